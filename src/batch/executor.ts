// Where chunks are scored: in this thread (tests, small inputs) or in a pool of worker threads.
import type { ScoringVersions } from '../scoring/scorer.js';
import { processSourceChunk, type ChunkContext, type ChunkResult } from './chunk.js';
import type { SourceChunk } from './source.js';

export interface ChunkExecutor {
  /** How many chunks may be in flight at once. */
  readonly parallelism: number;
  readonly versions: ScoringVersions;
  run(chunk: SourceChunk): Promise<ChunkResult>;
  close(): Promise<void>;
}

export function inProcessExecutor(ctx: ChunkContext, close: () => void = () => {}): ChunkExecutor {
  return {
    parallelism: 1,
    versions: ctx.scorer.versions,
    run: (chunk) => processSourceChunk(chunk, ctx),
    close: async () => close(),
  };
}
