// Messages between the main thread and scoring workers.
import type { ScoringVersions } from '../scoring/scorer.js';
import type { ChunkResult } from './chunk.js';
import type { SourceChunk } from './source.js';
import type { OutputFormat } from './decision-row.js';
import type { TablesInput } from './read-tables.js';
import type { ScorerSpec } from './scorer-factory.js';
import type { Shard } from './shard.js';

export interface WorkerSetup {
  readonly scorer: ScorerSpec;
  readonly asOf: number;
  readonly shard: Shard;
  readonly format: OutputFormat;
  readonly referenceEdges: readonly number[];
  readonly keepDecisions?: boolean;
  /** The flat tables, when chunks are id ranges the worker reads itself. */
  readonly tables?: TablesInput;
  /** Table readers (DuckDB instances) per worker, reading ranges ahead of the scoring (range-readers.ts); 1 when absent. */
  readonly readers?: number;
}

export type ToWorker = { readonly type: 'chunk'; readonly chunk: SourceChunk };

export type FromWorker =
  | { readonly type: 'ready'; readonly versions: ScoringVersions }
  | { readonly type: 'result'; readonly result: ChunkResult }
  | { readonly type: 'failed'; readonly index: number | null; readonly message: string };
