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
}

export interface SourceChunk {
  readonly index: number;
  readonly records: readonly RawRecord[];
  /** A range of the flat tables that the chunk's executor reads itself (then `records` is empty). */
  readonly range?: IdRange;
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
