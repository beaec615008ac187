import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareIds } from '../../src/batch/read-tables.js';
import { chunkLimits, rangesFromBlocks, type PlanBlock } from '../../src/batch/table-chunks.js';

/** Sorted distinct ids with block sizes, as the planner returns them. */
const blocksArb = fc
  .uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 60 })
  .chain((ids) => {
    const sorted = [...ids].sort(compareIds);
    return fc.tuple(...sorted.map((first) => fc.integer({ min: 1, max: 50 }).chain((loans) => fc.record({ first: fc.constant(first), loans: fc.constant(loans), reads: fc.integer({ min: 0, max: loans }), readEvents: fc.integer({ min: 0, max: 400 }) }))));
  });

describe('table chunks', () => {
  it('cover the id space without gaps or overlaps, cut only at block starts, within the limits', () => {
    fc.assert(
      fc.property(blocksArb, fc.integer({ min: 1, max: 80 }), fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 2000 }), (blocks: PlanBlock[], maxReads, maxLoans, maxReadEvents) => {
        const ranges = rangesFromBlocks(blocks, { maxReads, maxLoans, maxReadEvents });
        expect(ranges[0]!.from).toBeNull();
        expect(ranges.at(-1)!.to).toBeNull();
        for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.from).toBe(ranges[i - 1]!.to);
        const starts = new Set(blocks.map((b) => b.first));
        for (const r of ranges.slice(1)) expect(starts.has(r.from!)).toBe(true);
        // Each block lands in exactly one range; a range exceeds a limit only when it is one block.
        for (const r of ranges) {
          const inside = blocks.filter((b) => (r.from === null || compareIds(b.first, r.from) >= 0) && (r.to === null || compareIds(b.first, r.to) < 0));
          expect(inside.length).toBeGreaterThan(0);
          const reads = inside.reduce((a, b) => a + b.reads, 0);
          const loans = inside.reduce((a, b) => a + b.loans, 0);
          const events = inside.reduce((a, b) => a + b.readEvents, 0);
          if (inside.length > 1) {
            expect(reads).toBeLessThanOrEqual(maxReads);
            expect(loans).toBeLessThanOrEqual(maxLoans);
            expect(events).toBeLessThanOrEqual(maxReadEvents);
          }
        }
        // Greedy: no two neighbouring ranges would fit in one.
        for (let i = 1; i < ranges.length; i++) {
          const inPair = blocks.filter((b) => (ranges[i - 1]!.from === null || compareIds(b.first, ranges[i - 1]!.from!) >= 0) && (ranges[i]!.to === null || compareIds(b.first, ranges[i]!.to!) < 0));
          const fits = inPair.reduce((a, b) => a + b.reads, 0) <= maxReads && inPair.reduce((a, b) => a + b.loans, 0) <= maxLoans && inPair.reduce((a, b) => a + b.readEvents, 0) <= maxReadEvents;
          expect(fits).toBe(false);
        }
      }),
    );
  });

  it('puts inactive stretches together and active loans in chunks of three quarters of the chunk size', () => {
    const limits = chunkLimits(8);
    expect(limits).toEqual({ maxReads: 6, maxLoans: 32, maxReadEvents: 192 });
    const blocks = [...Array.from({ length: 40 }, (_, i) => ({ first: `A${String(i).padStart(2, '0')}`, loans: 1, reads: 0, readEvents: 0 })), ...Array.from({ length: 8 }, (_, i) => ({ first: `B${i}`, loans: 1, reads: 1, readEvents: 10 }))];
    expect(rangesFromBlocks(blocks, limits)).toEqual([
      { from: null, to: 'A32' },
      { from: 'A32', to: 'B6' },
      { from: 'B6', to: null },
    ]);
    expect(rangesFromBlocks([], limits)).toEqual([{ from: null, to: null }]);
    // Long histories: the events cap cuts first.
    const heavy = Array.from({ length: 6 }, (_, i) => ({ first: `C${i}`, loans: 1, reads: 1, readEvents: 100 }));
    expect(rangesFromBlocks(heavy, limits).map((r) => r.from)).toEqual([null, 'C1', 'C2', 'C3', 'C4', 'C5']);
  });
});
