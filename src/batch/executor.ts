// Where chunks are scored: in this thread (tests, small inputs) or in a pool of worker threads.
import type { ScoringVersions } from '../scoring/scorer.js';
import { processSourceChunk, type ChunkContext, type ChunkResult } from './chunk.js';
import type { SourceChunk } from './source.js';

export interface ChunkExecutor {
  /** How many chunks are worked on at once (workers). */
  readonly parallelism: number;
  /** Chunks in flight per unit of parallelism: one scored, the others read ahead (at least 2). */
  readonly depth: number;
  readonly versions: ScoringVersions;
  run(chunk: SourceChunk): Promise<ChunkResult>;
  close(): Promise<void>;
}

export function inProcessExecutor(ctx: ChunkContext, close: () => void = () => {}, depth = 2): ChunkExecutor {
  let closed = false;
  return {
    parallelism: 1,
    depth,
    versions: ctx.scorer.versions,
    run: (chunk) => processSourceChunk(chunk, ctx),
    // Idempotent: the run closes it when its chunks are done, and its owner again on the way out.
    close: async () => {
      if (closed) return;
      closed = true;
      close();
    },
  };
}
