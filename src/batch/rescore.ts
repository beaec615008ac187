// The batch use case as the CLI calls it: input spec in, summary out. Picks the reader, the executor
// (worker threads, or in-process for --workers 0) and the PSI reference, and always closes them.
import type { Store } from '../scoring/store-port.js';
import type { OutputFormat } from './decision-row.js';
import { inProcessExecutor, type ChunkExecutor } from './executor.js';
import type { InputSpec } from './input.js';
import { runRescore } from './pipeline.js';
import { createWorkerPool } from './pool.js';
import type { ProgressReporter } from './progress.js';
import { ndjsonSource } from './read-ndjson.js';
import type { TablesInput } from './read-tables.js';
import { defaultReaders, openRangeReaders, readAhead } from './range-readers.js';
import { tablesSource } from './tables-source.js';
import { storeSource } from './read-store.js';
import { recordDecisions } from './store-recorder.js';
import { loadReference } from './reference.js';
import { buildScorer, type ScorerSpec } from './scorer-factory.js';
import type { Shard } from './shard.js';
import type { ChunkSource, IdRange } from './source.js';
import type { RunSummary } from './summary.js';

export const DEFAULT_CHUNK_SIZE = 4096;

/**
 * Worker threads when --workers is not given. Flat tables: one per two cores, since each worker's range
 * query runs on a thread of its own beside its scoring (at 1M loans from Parquet on 2 cores, 1 worker
 * against 2 by turns: 16,792 / 15,369 against 16,023 / 14,684 loans/s, 89 / 97 against 116 / 125 µs of CPU
 * an input loan, docs/batch.md). Otherwise one per core.
 */
export function defaultWorkers(input: RescoreRequest['input'], cores: number): number {
  return input.kind === 'tables' ? Math.max(1, Math.floor(cores / 2)) : Math.max(1, cores);
}

export interface RescoreRequest {
  /** Files, or the service's store (then `store` is required). */
  readonly input: InputSpec | { readonly kind: 'store' };
  /** The service's store: the input with --from-store; decisions and alerts are recorded there. */
  readonly store?: Store;
  readonly out: string;
  readonly format: OutputFormat;
  readonly asOf: number;
  /** 0 scores in this thread. */
  readonly workers: number;
  readonly shard: Shard;
  readonly chunkSize?: number;
  /** Table readers per worker (flat tables only; defaultReaders(workers) when absent): see range-readers.ts. */
  readonly readers?: number;
  readonly scorer: ScorerSpec;
  readonly restart?: boolean;
  readonly signal?: AbortSignal;
  readonly progress?: ProgressReporter;
  /** Clock for the store records' createdAt. */
  readonly now?: () => number;
}


export async function rescore(r: RescoreRequest): Promise<RunSummary> {
  const chunkSize = r.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const { reference, note } = loadReference(r.scorer.kind === 'engine' ? r.scorer.modelDir : null);
  const referenceEdges = reference?.edges ?? [];
  const tables = r.input.kind === 'tables' ? (r.input as TablesInput) : undefined;
  const fromStore = r.input.kind === 'store';
  if (fromStore && r.store === undefined) throw new Error('rescore from the store needs the store');
  const setup = { scorer: r.scorer, asOf: r.asOf, shard: r.shard, format: r.format, referenceEdges, keepDecisions: fromStore, ...(tables === undefined ? {} : { tables, readers: r.readers ?? defaultReaders(r.workers) }) };
  // The flat tables' planner (DuckDB, on this thread) starts while the workers load their scorers
  // (~1.5 s of wall time at the start of a run that the cores spent one after the other).
  const planned = tables === undefined ? null : tablesSource(tables, chunkSize, r.asOf);
  planned?.catch(() => {}); // awaited below; a failure surfaces there
  let executor: ChunkExecutor;
  try {
    if (r.workers > 0) executor = await createWorkerPool(r.workers, setup);
    else {
      const readers = tables === undefined ? undefined : await openRangeReaders(tables, { asOf: r.asOf }, setup.readers ?? 1);
      const ctx = { ...setup, scorer: await buildScorer(r.scorer), ...(readers === undefined ? {} : { readRange: (range: IdRange) => readers.read(range) }) };
      executor = inProcessExecutor(ctx, () => readers?.close(), readAhead(setup));
    }
  } catch (error) {
    await (await planned?.catch(() => null))?.close();
    throw error;
  }
  let tablesInput: ChunkSource | null = null;
  try {
    const storeInput = r.input.kind === 'store' ? storeSource(r.store!, chunkSize, r.asOf) : null;
    let source: ChunkSource;
    if (storeInput !== null) source = storeInput;
    else if (r.input.kind === 'ndjson') source = ndjsonSource(r.input.files, chunkSize);
    else source = tablesInput = await planned!;
    const recorded = { decisionsSaved: 0, alertsRaised: 0 };
    const now = r.now ?? Date.now;
    return await runRescore({
      source,
      executor,
      out: r.out,
      format: r.format,
      asOf: r.asOf,
      shard: r.shard,
      chunkSize,
      reference,
      ...(note === undefined ? {} : { referenceNote: note }),
      ...(r.restart === undefined ? {} : { restart: r.restart }),
      ...(r.signal === undefined ? {} : { signal: r.signal }),
      ...(r.progress === undefined ? {} : { progress: r.progress }),
      onChunksDone: () => executor.close(),
      ...(storeInput === null
        ? {}
        : {
            onDecisions: (decisions) => {
              const outcome = recordDecisions(r.store!, decisions, (id) => storeInput.take(id), new Date(now()).toISOString());
              recorded.decisionsSaved += outcome.saved;
              recorded.alertsRaised += outcome.alerts;
            },
            extraSummary: () => ({ store: recorded }),
          }),
    });
  } finally {
    // runRescore closes its source and, once the chunks are done, the executor; this covers a failure before
    // it got that far (closing twice is harmless).
    await tablesInput?.close();
    await executor.close();
  }
}
