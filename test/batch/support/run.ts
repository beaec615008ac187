// Runs the pipeline in-process with the fixture scorer over an NDJSON file, for the mechanics tests.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChunkExecutor } from '../../../src/batch/executor.js';
import { inProcessExecutor } from '../../../src/batch/executor.js';
import { createFixtureScorer } from '../../../src/batch/fixture-scorer.js';
import type { OutputFormat } from '../../../src/batch/decision-row.js';
import { runRescore, type RescoreOptions } from '../../../src/batch/pipeline.js';
import { ndjsonSource } from '../../../src/batch/read-ndjson.js';
import { WHOLE, type Shard } from '../../../src/batch/shard.js';
import { ndjson } from './histories.js';

export const AS_OF = Date.parse('2025-08-01T00:00:00Z');

export function tempDir(prefix = 'ews-batch-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeNdjson(dir: string, name: string, values: readonly unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, ndjson(values));
  return path;
}

export interface RunOptions {
  readonly input: string;
  readonly out: string;
  readonly format?: OutputFormat;
  readonly shard?: Shard;
  readonly chunkSize?: number;
  readonly executor?: ChunkExecutor;
  readonly wrap?: (e: ChunkExecutor) => ChunkExecutor;
  readonly extra?: Partial<RescoreOptions>;
}

export function fixtureExecutor(shard: Shard = WHOLE, format: OutputFormat = 'ndjson'): ChunkExecutor {
  return inProcessExecutor({ scorer: createFixtureScorer(), asOf: AS_OF, shard, format, referenceEdges: [] });
}

export function run(o: RunOptions) {
  const format = o.format ?? 'ndjson';
  const shard = o.shard ?? WHOLE;
  const chunkSize = o.chunkSize ?? 10;
  const base = o.executor ?? fixtureExecutor(shard, format);
  return runRescore({
    source: ndjsonSource([o.input], chunkSize),
    executor: o.wrap === undefined ? base : o.wrap(base),
    out: o.out,
    format,
    asOf: AS_OF,
    shard,
    chunkSize,
    reference: null,
    ...o.extra,
  });
}
