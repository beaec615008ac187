// The checkpoint beside the output: which chunks are done, how long each output file was at that
// point, and the statistics so far. Written atomically (temp file + rename) after the chunk's bytes
// are on disk, so a crash or Ctrl-C at any moment leaves a checkpoint that matches the files.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { RunStats } from './stats.js';

// 3: the Parquet output's staging file is in the staging CSV dialect (csv.ts).
export const CHECKPOINT_VERSION = 3;

export interface Offsets {
  decisions: number;
  rejects: number;
  bands: number;
  rises: number;
}

export interface Checkpoint {
  readonly version: number;
  /** Input identity and every setting that changes the output; a resume requires them equal. */
  readonly key: string;
  readonly startedAt: string;
  nextChunk: number;
  offsets: Offsets;
  stats: RunStats;
  rises: number;
  done: boolean;
}

export function readCheckpoint(path: string): Checkpoint | null {
  if (!existsSync(path)) return null;
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Checkpoint;
  if (parsed.version !== CHECKPOINT_VERSION) throw new Error(`checkpoint ${path}: version ${parsed.version}, expected ${CHECKPOINT_VERSION}; rerun with --restart`);
  return parsed;
}

export function writeCheckpoint(path: string, checkpoint: Checkpoint): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(checkpoint));
  renameSync(tmp, path);
}
