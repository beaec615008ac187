import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Decision } from '../../src/domain/decision/schema.js';
import type { ChunkExecutor } from '../../src/batch/executor.js';
import { ResumeMismatchError } from '../../src/batch/pipeline.js';
import { makeHistory } from './support/histories.js';
import { run, tempDir, writeNdjson } from './support/run.js';

const lines = (path: string) => readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');

function portfolio(n: number): unknown[] {
  const values: unknown[] = [];
  for (let i = 0; i < n; i++) values.push(makeHistory(i, { closed: i % 17 === 5 }));
  return values;
}

describe('runRescore', () => {
  it('scores every active loan in input order and reports bad records in a reject file', async () => {
    const dir = tempDir();
    const values = portfolio(50);
    values.splice(7, 0, '{"loanId": "broken"'); // not JSON
    values.splice(20, 0, { ...makeHistory(999), contract: { ...makeHistory(999).contract, principal: -5 } });
    const input = writeNdjson(dir, 'in.ndjson', values);
    const out = join(dir, 'out.ndjson');
    const summary = await run({ input, out });

    const decisions = lines(out).map((l) => Decision.parse(JSON.parse(l)));
    const active = portfolio(50).filter((_, i) => i % 17 !== 5) as { loanId: string }[];
    expect(decisions.map((d) => d.loanId)).toEqual(active.map((h) => h.loanId));
    const rejects = lines(`${out}.rejects.ndjson`).map((l) => JSON.parse(l));
    expect(rejects).toHaveLength(2);
    expect(rejects[0]).toMatchObject({ position: 'in.ndjson:8', loanId: null });
    expect(rejects[0].error).toMatch(/^not JSON/);
    expect(rejects[1]).toMatchObject({ position: 'in.ndjson:21', loanId: 'L0000999', error: 'contract.principal: expected a positive number' });
    expect(summary.status).toBe('complete');
    expect(summary.counts).toEqual({ records: 52, scored: active.length, rejected: 2, inactive: 3, otherShard: 0 });
    expect(Object.values(summary.bands).reduce((a, b) => a + b, 0)).toBe(active.length);
    const maxed = decisions.filter((d) => d.ruleHits.some((h) => h.ruleId === 'max_overdue_reached' && h.outcome === 'hit')).length;
    expect(summary.rules['max_overdue_reached']).toEqual({ hits: maxed, hitRate: maxed / active.length, errors: 0 });
    expect(summary.pd.tenths.reduce((a, b) => a + b, 0)).toBe(active.length);
    const pds = decisions.map((d) => d.pd).sort((a, b) => a - b);
    const p50 = pds[Math.ceil(0.5 * pds.length) - 1]!;
    // The log-scale bin's upper edge: at or above the true median, by at most 2.3 %.
    expect(summary.pd.p50!).toBeGreaterThanOrEqual(p50);
    expect(summary.pd.p50!).toBeLessThanOrEqual(p50 * 1.024);
    expect(JSON.parse(readFileSync(`${out}.summary.json`, 'utf8'))).toEqual(JSON.parse(JSON.stringify(summary)));
  });

  it('a rerun after Ctrl-C resumes at the last completed chunk and ends byte-identical to an uninterrupted run', async () => {
    const dir = tempDir();
    const input = writeNdjson(dir, 'in.ndjson', [...portfolio(95), 'garbage']);
    const whole = join(dir, 'whole.ndjson');
    await run({ input, out: whole, chunkSize: 10 });

    const out = join(dir, 'resumed.ndjson');
    const controller = new AbortController();
    let started = 0;
    const abortAfterThree = (e: ChunkExecutor): ChunkExecutor => ({
      ...e,
      run: (chunk) => {
        if (++started === 3) controller.abort();
        return e.run(chunk);
      },
    });
    const first = await run({ input, out, chunkSize: 10, wrap: abortAfterThree, extra: { signal: controller.signal } });
    expect(first.status).toBe('interrupted');
    expect(first.counts.records).toBe(30);
    expect(existsSync(`${out}.summary.json`)).toBe(false);
    const checkpoint = JSON.parse(readFileSync(`${out}.checkpoint.json`, 'utf8'));
    expect(checkpoint).toMatchObject({ nextChunk: 3, done: false });

    const seen: number[] = [];
    const record = (e: ChunkExecutor): ChunkExecutor => ({ ...e, run: (chunk) => (seen.push(chunk.index), e.run(chunk)) });
    const second = await run({ input, out, chunkSize: 10, wrap: record });
    expect(seen).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(second.status).toBe('complete');
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(whole, 'utf8'));
    expect(readFileSync(`${out}.rejects.ndjson`, 'utf8')).toBe(readFileSync(`${whole}.rejects.ndjson`, 'utf8'));
    const wholeSummary = JSON.parse(readFileSync(`${whole}.summary.json`, 'utf8'));
    expect(second.counts).toEqual(wholeSummary.counts);
    expect(second.bands).toEqual(wholeSummary.bands);
    expect(second.pd).toEqual(wholeSummary.pd);
  });

  it('resumes correctly when the output holds bytes written after the last checkpoint', async () => {
    const dir = tempDir();
    const input = writeNdjson(dir, 'in.ndjson', portfolio(40));
    const whole = join(dir, 'whole.ndjson');
    await run({ input, out: whole });
    const out = join(dir, 'crash.ndjson');
    const controller = new AbortController();
    let n = 0;
    await run({ input, out, wrap: (e) => ({ ...e, run: (c) => (++n === 2 && controller.abort(), e.run(c)) }), extra: { signal: controller.signal } });
    // A crash between the append and the checkpoint leaves a torn tail.
    const { appendFileSync } = await import('node:fs');
    appendFileSync(out, '{"loanId":"torn');
    await run({ input, out });
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(whole, 'utf8'));
  });

  it('refuses to resume an interrupted run with different settings unless told to restart', async () => {
    const dir = tempDir();
    const input = writeNdjson(dir, 'in.ndjson', portfolio(30));
    const out = join(dir, 'out.ndjson');
    const controller = new AbortController();
    controller.abort();
    await run({ input, out, extra: { signal: controller.signal } });
    await expect(run({ input, out, chunkSize: 7 })).rejects.toBeInstanceOf(ResumeMismatchError);
    const restarted = await run({ input, out, chunkSize: 7, extra: { restart: true } });
    expect(restarted.counts).toMatchObject({ scored: 28, inactive: 2 });
  });

  it('the outputs of all shards together equal the single-machine output exactly', async () => {
    const dir = tempDir();
    const input = writeNdjson(dir, 'in.ndjson', [...portfolio(120), 'not json', { loanId: 'L9', nope: 1 }]);
    const single = join(dir, 'single.ndjson');
    await run({ input, out: single, chunkSize: 16 });
    const singleLines = lines(single);
    const parts: string[][] = [];
    const rejectParts: string[][] = [];
    for (let i = 0; i < 3; i++) {
      const out = join(dir, `shard${i}.ndjson`);
      // A different chunk size per shard: the partition must not depend on it.
      const s = await run({ input, out, chunkSize: 5 + i * 7, shard: { index: i, count: 3 } });
      expect(s.counts.records).toBe(122);
      parts.push(lines(out));
      rejectParts.push(lines(`${out}.rejects.ndjson`));
    }
    for (const p of parts) expect(p.length).toBeGreaterThan(20);
    // Each shard keeps input order, so merging by input position rebuilds the single output exactly.
    const position = new Map(singleLines.map((l, i) => [l, i]));
    const merged = parts.flat().sort((a, b) => position.get(a)! - position.get(b)!);
    expect(merged).toEqual(singleLines);
    expect(new Set(parts.flat()).size).toBe(singleLines.length);
    expect(rejectParts.flat().sort()).toEqual(lines(`${single}.rejects.ndjson`).sort());
  });

  it('reports loans whose band rose since the previous run at the same output', async () => {
    const dir = tempDir();
    const out = join(dir, 'out.ndjson');
    const before = Array.from({ length: 20 }, (_, i) => makeHistory(i, { missed: 0 }));
    await run({ input: writeNdjson(dir, 'night1.ndjson', before), out });
    const after = before.map((h, i) => (i % 5 === 0 ? makeHistory(i, { missed: 4 }) : h));
    const summary = await run({ input: writeNdjson(dir, 'night2.ndjson', after), out });
    expect(summary.bandRises.count).toBe(4);
    const rises = lines(`${out}.rises.ndjson`).map((l) => JSON.parse(l));
    expect(rises.map((r) => r.loanId)).toEqual(['L0000000', 'L0000005', 'L0000010', 'L0000015']);
    expect(rises[0]).toEqual({ loanId: 'L0000000', from: 'low', to: rises[0].to });
    expect(rises[0].to).not.toBe('low');
  });
});
