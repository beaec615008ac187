// Messages between the main thread and scoring workers.
import type { ScoringVersions } from '../scoring/scorer.js';
import type { ChunkResult, RawRecord } from './chunk.js';
import type { OutputFormat } from './decision-row.js';
import type { ScorerSpec } from './scorer-factory.js';
import type { Shard } from './shard.js';

export interface WorkerSetup {
  readonly scorer: ScorerSpec;
  readonly asOf: number;
  readonly shard: Shard;
  readonly format: OutputFormat;
  readonly referenceEdges: readonly number[];
}

export type ToWorker = { readonly type: 'chunk'; readonly index: number; readonly records: readonly RawRecord[] };

export type FromWorker =
  | { readonly type: 'ready'; readonly versions: ScoringVersions }
  | { readonly type: 'result'; readonly result: ChunkResult }
  | { readonly type: 'failed'; readonly index: number | null; readonly message: string };
