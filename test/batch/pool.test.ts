import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inProcessExecutor } from '../../src/batch/executor.js';
import { createFixtureScorer } from '../../src/batch/fixture-scorer.js';
import { createWorkerPool } from '../../src/batch/pool.js';
import { WHOLE } from '../../src/batch/shard.js';
import { makeHistory } from './support/histories.js';
import { AS_OF, run, tempDir, writeNdjson } from './support/run.js';

// Workers run dist/ (npm test builds before vitest).
describe('worker pool', () => {
  it('two workers write exactly what the in-process run writes', async () => {
    const dir = tempDir();
    const input = writeNdjson(dir, 'in.ndjson', [...Array.from({ length: 230 }, (_, i) => makeHistory(i)), 'bad line']);
    const inProcess = join(dir, 'a.ndjson');
    await run({ input, out: inProcess, chunkSize: 16 });
    const pooled = join(dir, 'b.ndjson');
    const pool = await createWorkerPool(2, { scorer: { kind: 'fixture' }, asOf: AS_OF, shard: WHOLE, format: 'ndjson', referenceEdges: [] });
    try {
      const summary = await run({ input, out: pooled, chunkSize: 16, executor: pool });
      expect(summary.counts).toMatchObject({ scored: 230, rejected: 1 });
    } finally {
      await pool.close();
    }
    expect(readFileSync(pooled, 'utf8')).toBe(readFileSync(inProcess, 'utf8'));
    expect(readFileSync(`${pooled}.rejects.ndjson`, 'utf8')).toBe(readFileSync(`${inProcess}.rejects.ndjson`, 'utf8'));
  });

  it('closes once however often it is asked (the run closes it, then its owner)', async () => {
    const pool = await createWorkerPool(1, { scorer: { kind: 'fixture' }, asOf: AS_OF, shard: WHOLE, format: 'ndjson', referenceEdges: [] });
    const first = pool.close();
    expect(pool.close()).toBe(first);
    await first;
    let closed = 0;
    const inProcess = inProcessExecutor({ scorer: createFixtureScorer(), asOf: AS_OF, shard: WHOLE, format: 'ndjson', referenceEdges: [] }, () => closed++);
    await inProcess.close();
    await inProcess.close();
    expect(closed).toBe(1);
  });

  it('fails clearly when a worker cannot build its scorer', async () => {
    await expect(
      createWorkerPool(1, { scorer: { kind: 'engine', modelDir: '/nonexistent/model', rulesFile: 'config/rules/default.json', policyFile: 'config/policy/default.json' }, asOf: AS_OF, shard: WHOLE, format: 'ndjson', referenceEdges: [] }),
    ).rejects.toThrow(/could not start.*\/nonexistent\/model/);
  });
});
