// The plain forward pass against a direct reference implementation (standardise, dense layers,
// calibrate; ablation by recomputing the whole row), on random networks: the batch form, the
// single-row form and the reasons must all agree with it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calibratedLogit, calibratedPd, type Calibration } from '../../src/model/calibration.js';
import { createFastModel } from '../../src/model/forward.js';
import type { Network } from '../../src/model/network.js';
import { normaliseValue, type Normalisation } from '../../src/model/normalise.js';
import { calibrations, randomCase } from './support/random-network.js';

/** The textbook computation, feature by feature, no folding. */
function referencePd(net: Network, norm: Normalisation, cal: Calibration, row: ArrayLike<number>): { logit: number; pd: number } {
  let act = Array.from({ length: row.length }, (_, j) => normaliseValue(norm, j, row[j]!));
  for (const l of net.layers) {
    const next = Array.from({ length: l.units }, (_, u) => l.bias[u]! + act.reduce((s, v, i) => s + v * l.kernel[i * l.units + u]!, 0));
    act = l.activation === 'relu' ? next.map((v) => Math.max(0, v)) : next;
  }
  return { logit: calibratedLogit(cal, act[0]!), pd: calibratedPd(cal, act[0]!) };
}

describe('plain forward pass', () => {
  it('batch, single row and the reference agree (random networks, NaN, zeros, clipping, constant features)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 23 }), fc.constantFrom([5], [16], [12], [3, 4]), fc.constantFrom(...calibrations), (seed, d, hidden, cal) => {
      const c = randomCase(seed, d, hidden, cal);
      const fast = createFastModel(c.net, c.norm, c.cal, c.reference);
      const batch = fast.pdBatch(c.rows, c.n);
      for (let i = 0; i < c.n; i++) {
        const row = c.rows.subarray(i * d, (i + 1) * d);
        const want = referencePd(c.net, c.norm, c.cal, row).pd;
        expect(Math.abs(fast.pd(row) - want)).toBeLessThan(1e-9);
        expect(Math.abs(batch[i]! - want)).toBeLessThan(1e-6);
        // The input transform is written twice (a Float32Array row and any other): both the same, bit for bit.
        expect(Object.is(fast.rawLogit(Array.from(row)), fast.rawLogit(row))).toBe(true);
      }
    }), { numRuns: 60 });
  });

  it('pdLikeBatch of a row is bit for bit the batch PD of that row (calibrations, NaN, zeros, clipping)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 23 }), fc.constantFrom([5], [16], [12], [3, 4]), fc.constantFrom(...calibrations), (seed, d, hidden, cal) => {
      const c = randomCase(seed, d, hidden, cal);
      const fast = createFastModel(c.net, c.norm, c.cal, c.reference);
      const batch = fast.pdBatch(c.rows, c.n);
      for (let i = 0; i < c.n; i++) expect(Object.is(fast.pdLikeBatch(c.rows.slice(i * d, (i + 1) * d)), batch[i])).toBe(true);
    }), { numRuns: 60 });
  });

  it('reasons are exactly the largest drops in calibrated log-odds when one feature moves to its reference', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 23 }), fc.constantFrom([5], [16], [12], [3, 4]), fc.constantFrom(...calibrations), fc.integer({ min: 0, max: 6 }), (seed, d, hidden, cal, max) => {
      const c = randomCase(seed, d, hidden, cal);
      const fast = createFastModel(c.net, c.norm, c.cal, c.reference);
      for (let i = 0; i < c.n; i += 5) {
        const row = Array.from(c.rows.subarray(i * d, (i + 1) * d));
        const base = referencePd(c.net, c.norm, c.cal, row).logit;
        const all = row
          .map((_, j) => {
            const moved = row.slice();
            moved[j] = c.reference[j]!;
            return { feature: j, contribution: base - referencePd(c.net, c.norm, c.cal, moved).logit };
          })
          .filter((r) => r.contribution > 1e-9 && c.norm.std[r.feature]! > 0)
          .sort((p, q) => q.contribution - p.contribution || p.feature - q.feature);
        const got = fast.explain(row, max);
        expect(got.length).toBe(Math.min(max, all.length));
        got.forEach((r, k) => {
          expect(r.contribution).toBeCloseTo(all[k]!.contribution, 7);
          expect(Math.abs(all.find((a) => a.feature === r.feature)!.contribution - all[k]!.contribution)).toBeLessThan(1e-7);
        });
      }
    }), { numRuns: 60 });
  });

  it('explain after a PD of the same row (the reused forward pass) = explain on a fresh model, whatever came before', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 23 }), fc.constantFrom([5], [16], [3, 4]), fc.constantFrom(...calibrations), fc.array(fc.tuple(fc.constantFrom('pd', 'explain', 'batch', 'mutate'), fc.integer({ min: 0, max: 5 })), { minLength: 1, maxLength: 25 }), (seed, d, hidden, cal, ops) => {
      const c = randomCase(seed, d, hidden, cal);
      const fast = createFastModel(c.net, c.norm, c.cal, c.reference);
      // six rows the operations pick from; 'mutate' changes one value of a row in place
      const rows = Array.from({ length: 6 }, (_, i) => c.rows.slice(i * d, (i + 1) * d));
      for (const [op, i] of ops) {
        const row = rows[i]!;
        if (op === 'pd') fast.pd(row);
        else if (op === 'batch') fast.pdBatch(c.rows, 3);
        else if (op === 'mutate') row[(i * 7) % d] = row[(i * 7) % d]! === 0 ? 1 + i : 0;
        else {
          const fresh = createFastModel(c.net, c.norm, c.cal, c.reference);
          expect(fast.explain(row, 4)).toEqual(fresh.explain(row, 4));
          expect(fast.pd(row)).toBe(fresh.pd(row));
        }
      }
    }), { numRuns: 80 });
  });

  it('a network none of whose inputs varied in training returns its constant log-odds (no input column at all)', () => {
    const net: Network = { layers: [
      { inputs: 2, units: 5, activation: 'relu', kernel: new Float32Array(10).fill(0.5), bias: Float32Array.from([1, -1, 2, 0.5, 3]) },
      { inputs: 5, units: 1, activation: 'linear', kernel: Float32Array.from([1, 2, 3, 4, -1]), bias: Float32Array.from([0.25]) },
    ] };
    const fast = createFastModel(net, { transform: ['none', 'slog'], mean: [1, 2], std: [0, 0], clip: 8 }, { method: 'none' }, [1, 2]);
    expect(fast.rawLogit([5, 6])).toBeCloseTo(1 + 6 + 2 - 3 + 0.25, 12);
    expect(fast.explain([5, 6], 4)).toEqual([]);
    expect(Array.from(fast.pdBatch(Float32Array.from([1, 2, NaN, 9]), 2))).toEqual([Math.fround(fast.pd([0, 0])), Math.fround(fast.pd([0, 0]))]);
  });
});
