import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mustParseHistory } from '../../src/domain/history/validate.js';
import { checkPhaseQueue } from '../../src/http/check-phase-queue.js';
import { auth, buildTestApp, type TestApp } from '../support/app.js';
import { makeHistoryInput } from '../support/histories.js';
import { testDecision } from '../support/test-scorer.js';

describe('checkPhaseQueue', () => {
  it('does the jobs queued in one turn together, in order, in the check phase after it', async () => {
    const batches: number[][] = [];
    let current: number[] | null = null;
    const run = checkPhaseQueue((n: number) => {
      if (current === null) {
        current = [];
        batches.push(current);
        queueMicrotask(() => (current = null));
      }
      current.push(n);
      return n * 2;
    });
    const first = [1, 2, 3].map((n) => run(n));
    // Nothing runs before the check phase.
    await Promise.resolve();
    expect(batches).toEqual([]);
    expect(await Promise.all(first)).toEqual([2, 4, 6]);
    // Jobs queued later form a batch of their own.
    expect(await Promise.all([run(4), run(5)])).toEqual([8, 10]);
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('rejects only the job that threw', async () => {
    const run = checkPhaseQueue((n: number) => {
      if (n === 2) throw new Error('two');
      return n;
    });
    const results = await Promise.allSettled([run(1), run(2), run(3)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('two'));
  });
});

describe('POST /v1/score under concurrent requests', () => {
  let t: TestApp;
  beforeAll(async () => (t = await buildTestApp({})));
  afterAll(() => t.close());

  it('answers each request with its own history\'s decision', async () => {
    const inputs = Array.from({ length: 24 }, (_, i) => makeHistoryInput({ loanId: `L-${i}`, due: 2 + (i % 6), missed: i % 3, amountDue: 300 + i }));
    const asOf = '2025-06-01T12:00:00+08:00';
    const replies = await Promise.all(
      inputs.map((payload) => t.app.inject({ method: 'POST', url: `/v1/score?asOf=${encodeURIComponent(asOf)}`, headers: auth('underwriting'), payload })),
    );
    replies.forEach((r, i) => {
      expect(r.statusCode).toBe(200);
      expect(r.json()).toEqual(testDecision(mustParseHistory(inputs[i]), Date.parse(asOf)));
    });
    // Distinct histories, distinct answers: a mix-up between queued requests would show.
    expect(new Set(replies.map((r) => r.body)).size).toBe(inputs.length);
  });
});
