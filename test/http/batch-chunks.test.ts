import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/domain/decision/schema.js';
import type { LoanHistory } from '../../src/domain/history/schema.js';
import { CHUNK, scoreInChunks } from '../../src/http/batch-chunks.js';
import { makeHistoryInput } from '../support/histories.js';
import { createTestScorer } from '../support/test-scorer.js';

const NOW = Date.parse('2025-05-20T04:00:00Z');

describe('scoreInChunks', () => {
  it('scores the valid histories a chunk per model call, answers each invalid one with its batch path, and waits between chunks', async () => {
    const n = 2 * CHUNK + 3;
    // Every seventh item breaks the contract.
    const raw = Array.from({ length: n }, (_, k) => (k % 7 === 3 ? { ...makeHistoryInput({ loanId: `L-${k}` }), currency: 'yuan' } : makeHistoryInput({ loanId: `L-${k}`, due: 3, missed: k % 3 })));
    const scorer = createTestScorer();
    const calls: number[] = [];
    const many = scorer.scoreMany.bind(scorer);
    const counting = { scoreMany: (hs: readonly LoanHistory[], asOf: number) => (calls.push(hs.length), many(hs, asOf)) };
    const got: Array<{ k: number; decision?: Decision; path?: string }> = [];
    let pauses = 0;
    const r = await scoreInChunks(counting, raw, NOW, {
      firstIndex: 10,
      score: true,
      between: async () => pauses++,
      invalid: (k, problems) => got.push({ k, path: problems[0]!.path }),
      scored: (k, decision) => got.push({ k, decision }),
    });
    const bad = raw.filter((_, k) => k % 7 === 3).length;
    expect(r.valid).toBe(n - bad);
    expect(pauses).toBe(2);
    expect(calls.reduce((a, b) => a + b, 0)).toBe(n - bad);
    expect(calls).toHaveLength(3);
    expect(got.map((g) => g.k).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, k) => k));
    for (const g of got) {
      if (g.k % 7 === 3) expect(g.path).toBe(`histories[${10 + g.k}].currency`);
      else expect(g.decision!.loanId).toBe(`L-${g.k}`);
    }
    // Validating only (the benchmark floor): the same count, no model call.
    calls.length = 0;
    const floor = await scoreInChunks(counting, raw, NOW, { firstIndex: 0, score: false, invalid: () => undefined, scored: () => expect.unreachable() });
    expect([floor.valid, calls.length]).toEqual([n - bad, 0]);
  });
});
