// What every reader gives the pipeline: numbered chunks of raw records, in a stable order, so that
// chunk k means the same records on every run (the basis of resume).
import type { RawRecord } from './chunk.js';

/** Loan ids from (inclusive) to (exclusive); null = unbounded. */
export interface IdRange {
  readonly from: string | null;
  readonly to: string | null;
  /** Ids in the range with schedule or events rows but no loans row, when the planner found them
   * already (in id order); the range reader then skips its own orphan query. */
  readonly orphans?: readonly string[];
  /** A Parquet file of the ids in the range (and around it) that the planner found inactive: the range
   * read takes them from it (history-sql.ts, rangeQuery's skipFile). */
  readonly skipFile?: string;
}

/**
 * Lines of one NDJSON file as UTF-8 bytes, back to back in a buffer of their own: decoded where the
 * chunk is scored, so that a worker gets them moved (transferred), not decoded, copied out and copied
 * in again as strings (read-ndjson.ts).
 */
export interface LineBlock {
  /** The file's name, for the records' positions (`file:line`). */
  readonly file: string;
  readonly bytes: Uint8Array;
  /** Line k is bytes [bounds[2k], bounds[2k + 1]) (its CR left out), line number numbers[k]. */
  readonly bounds: Int32Array;
  readonly numbers: Int32Array;
}

export interface SourceChunk {
  readonly index: number;
  readonly records: readonly RawRecord[];
  /** A range of the flat tables that the chunk's executor reads itself (then `records` is empty). */
  readonly range?: IdRange;
  /** NDJSON lines, the chunk's records in this order before `records` (then empty). */
  readonly lines?: readonly LineBlock[];
}

/** The records a chunk's line blocks hold: each line's text and position. */
export function lineRecords(blocks: readonly LineBlock[]): RawRecord[] {
  const out: RawRecord[] = [];
  for (const block of blocks) {
    const bytes = Buffer.from(block.bytes.buffer, block.bytes.byteOffset, block.bytes.byteLength);
    for (let k = 0; k < block.numbers.length; k++) {
      const from = block.bounds[2 * k]!;
      const to = block.bounds[2 * k + 1]!;
      out.push({ position: `${block.file}:${block.numbers[k]!}`, text: bytes.toString('utf8', from, to), bytes: bytes.subarray(from, to) });
    }
  }
  return out;
}

export interface ChunkSource {
  /** A description of the input for the checkpoint fingerprint (paths, sizes, mtimes). */
  readonly fingerprint: string;
  /** Loans in the input when cheaply known, else null. */
  readonly totalRecords: number | null;
  /** Yields every chunk from `fromIndex` on; earlier chunks are skipped as cheaply as the format allows. */
  chunks(fromIndex: number): AsyncIterable<SourceChunk>;
  /** Fraction of the input consumed so far (0..1), for the ETA. */
  fractionRead(): number;
  close(): Promise<void>;
}
