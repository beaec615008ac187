// A value that is not finite once stored as float32 (NaN, or a number beyond float32's range, say a
// declared attribute of 1e39) becomes the feature's missing value, in both forms; finite values pass
// through untouched. The row guard sums the row first and fixes values only when the sum is not finite.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeFeatures, computeFeaturesInto, featureCount, featureNames } from '../../../src/domain/features/index.js';
import { FeatureConfig } from '../../../src/domain/features/feature-config.js';
import { endOfDay, makeHistory } from '../../support/history-factory.js';

const config = FeatureConfig.parse({ numeric: [{ name: 'a', missing: -5 }, { name: 'b', missing: -7 }], categorical: [] });
const names = featureNames(config);
const slotA = names.indexOf('attr_a');
const slotB = names.indexOf('attr_b');
const asOf = endOfDay('2025-06-01');

const value = fc.oneof(
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  fc.constantFrom(1e39, -1e39, 3.4e38, -3.4e38, 3.5e38, Number.MAX_VALUE, -Number.MAX_VALUE, 0, -0),
);
const expected = (v: number, missing: number): number => (Number.isFinite(Math.fround(v)) ? Math.fround(v) : missing);

describe('non-finite values become the missing value', () => {
  it('per loan and batch: each declared attribute on its own, the rest of the row unchanged', () => {
    const d = featureCount(config);
    const plain = computeFeatures(makeHistory({ borrower: { attributes: { a: 1, b: 1 } } }), asOf, config);
    fc.assert(
      fc.property(value, value, (a, b) => {
        const history = makeHistory({ borrower: { attributes: { a, b } } });
        const row = computeFeatures(history, asOf, config);
        expect(Object.is(row[slotA], expected(a, -5))).toBe(true);
        expect(Object.is(row[slotB], expected(b, -7))).toBe(true);
        // Batch form at an offset: same row, neighbours untouched.
        const matrix = new Float32Array(3 * d).fill(7);
        computeFeaturesInto(matrix, d, history, asOf, config);
        expect(Array.from(matrix.subarray(d, 2 * d))).toEqual(Array.from(row));
        expect(matrix.subarray(0, d).every((x) => x === 7) && matrix.subarray(2 * d).every((x) => x === 7)).toBe(true);
        // Every other feature equals the same loan's with finite attributes.
        for (let i = 0; i < d; i++) if (i !== slotA && i !== slotB) expect(Object.is(row[i], plain[i])).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('a base feature overflowing float32 (a principal of 1e39) becomes its missing value', () => {
    const f = computeFeatures(makeHistory({ principal: 1e39 }), asOf);
    expect(f[featureNames().indexOf('principal')]).toBe(0);
    expect(f.every((x) => Number.isFinite(x))).toBe(true);
  });
});
