// Several table readers in one thread, the id ranges dealt to them in turn, each reading one range at a
// time. A range query runs on its reader's own DuckDB thread and costs more CPU than scoring the range, so
// with one reader the worker's thread waited on it (~28 % of a 1M-loan Parquet run, CPU profile); with two,
// two ranges are read at once while the worker scores (1M Parquet, 1 worker, 8 pairs by turns: faster in
// all 8, median +18.5 %; three readers were slower: docs/batch.md).
import type { RawRecord } from './chunk.js';
import { TablesReader, type TablesInput, type TablesReaderOptions } from './read-tables.js';
import type { IdRange } from './source.js';
import type { WorkerSetup } from './worker-protocol.js';

/**
 * Table readers per worker when the caller does not say: two for a single worker; one each for more,
 * where the other workers' readers keep the cores busy already and every reader adds its memory (1M
 * Parquet, 2 workers: 16,248 / 16,963 loans/s with two readers each against 15,685 / 16,224 with one,
 * peak RSS up to 1,436 MB against 1,235, near the 1.5 GB bound).
 */
export function defaultReaders(workers: number): number {
  return workers <= 1 ? 2 : 1;
}

/** Chunks in flight per worker: one scored and one read ahead per table reader (two for other inputs). */
export function readAhead(setup: Pick<WorkerSetup, 'tables' | 'readers'>): number {
  return setup.tables === undefined ? 2 : Math.max(1, setup.readers ?? 1) + 1;
}

/** More readers than this open more DuckDB instances (128 MB each) than a worker can keep busy. */
export const MAX_READERS = 8;

export interface RangeReader {
  readRange(range: IdRange): Promise<RawRecord[]>;
  close(): void;
}

export class RangeReaders {
  private readonly tails: Promise<unknown>[];
  private next = 0;

  constructor(private readonly readers: readonly RangeReader[]) {
    if (readers.length === 0) throw new Error('RangeReaders needs at least one reader');
    this.tails = readers.map(() => Promise.resolve());
  }

  /** Reads the range on the next reader in turn, once that reader's previous read has ended. */
  read(range: IdRange): Promise<RawRecord[]> {
    const i = this.next;
    this.next = (i + 1) % this.readers.length;
    const reader = this.readers[i]!;
    const records = this.tails[i]!.then(() => reader.readRange(range));
    this.tails[i] = records.catch(() => {});
    return records;
  }

  close(): void {
    for (const r of this.readers) r.close();
  }
}

/** `count` TablesReaders on `input` (each its own DuckDB instance); none left open when one fails to open. */
export async function openRangeReaders(input: TablesInput, options: TablesReaderOptions, count: number): Promise<RangeReaders> {
  if (!Number.isInteger(count) || count < 1 || count > MAX_READERS) throw new Error(`table readers: expected an integer from 1 to ${MAX_READERS}, got ${count}`);
  const opened = await Promise.allSettled(Array.from({ length: count }, () => TablesReader.open(input, options)));
  const readers = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  const failed = opened.find((o) => o.status === 'rejected');
  if (failed !== undefined) {
    for (const r of readers) r.close();
    throw failed.reason;
  }
  return new RangeReaders(readers);
}
