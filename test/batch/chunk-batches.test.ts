// processChunk scores a chunk in batches of ctx.scoreBatch histories (memory bounded by the batch, not
// the chunk): whatever the batch size, the chunk's result is the one-batch result, byte for byte.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { processChunk, type ChunkContext, type RawRecord } from '../../src/batch/chunk.js';
import { createFixtureScorer } from '../../src/batch/fixture-scorer.js';
import { WHOLE } from '../../src/batch/shard.js';
import type { Scorer } from '../../src/scoring/scorer.js';
import { makeHistory } from './support/histories.js';
import { AS_OF } from './support/run.js';

/** Active and closed loans, a record that is not JSON and one that breaks the contract. */
function records(n: number): RawRecord[] {
  const out: RawRecord[] = [];
  for (let i = 0; i < n; i++) out.push({ position: `in:${i + 1}`, text: JSON.stringify(makeHistory(i, { missed: i % 4, closed: i % 7 === 3 })) });
  out.splice(5, 0, { position: 'in:x', text: '{"loanId":' });
  const bad = makeHistory(900);
  out.splice(11, 0, { position: 'in:y', text: JSON.stringify({ ...bad, contract: { ...bad.contract, principal: -1 } }) });
  return out;
}

/** The fixture scorer, except that a batch holding loan L0000013 fails and L0000013 alone cannot be scored. */
function failingOn13(): Scorer {
  const inner = createFixtureScorer();
  return {
    ...inner,
    scoreOne(h, asOf) {
      if (h.loanId === 'L0000013') throw new Error('no score for 13');
      return inner.scoreOne(h, asOf);
    },
    async scoreMany(hs, asOf) {
      if (hs.some((h) => h.loanId === 'L0000013')) throw new Error('batch with 13');
      return inner.scoreMany(hs, asOf);
    },
  };
}

const base: ChunkContext = { scorer: failingOn13(), asOf: AS_OF, shard: WHOLE, format: 'csv', referenceEdges: [0.01, 0.1, 0.5], keepDecisions: true };

describe('processChunk in score batches', () => {
  it('gives the one-batch output, rejects, bands and statistics for any batch size', async () => {
    const input = records(40);
    const whole = await processChunk(3, input, { ...base, scoreBatch: 1_000_000 });
    expect(whole.stats.scored).toBeGreaterThan(25);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 45 }), async (scoreBatch) => {
        const batched = await processChunk(3, input, { ...base, scoreBatch });
        expect(batched.output).toEqual(whole.output);
        expect(batched.rejects).toBe(whole.rejects);
        expect(batched.bands).toBe(whole.bands);
        expect(batched.stats).toEqual(whole.stats);
        expect(batched.decisions).toEqual(whole.decisions);
      }),
      { numRuns: 25 },
    );
  });

  it('reports the loan that cannot be scored after the records that cannot be read', async () => {
    const result = await processChunk(0, records(40), { ...base, scoreBatch: 4 });
    const rejects = result.rejects.trim().split('\n').map((l) => JSON.parse(l) as { position: string; error: string });
    expect(rejects.map((r) => r.position)).toEqual(['in:x', 'in:y', 'in:14']);
    expect(rejects[2]!.error).toBe('scoring failed: no score for 13');
    expect(result.bands).not.toContain('L0000013');
    expect(result.bands).toContain('L0000012');
  });
});
