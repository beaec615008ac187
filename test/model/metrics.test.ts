import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calibratedLogit, calibratedPd, fitBeta, fitIsotonic, fitPlatt, sigmoid } from '../../src/model/calibration.js';
import { createFastModel } from '../../src/model/forward.js';
import { auc, binShares, brier, deciles, ece, ks, psi, quantileEdges } from '../../src/model/metrics.js';
import { mergeMembers, type Network } from '../../src/model/network.js';
import { seededRng } from '../../src/model/rng.js';

/** The definition of AUC: P(score of a positive > score of a negative), ties half. */
function pairwiseAuc(p: number[], y: number[]): number {
  let wins = 0, pairs = 0;
  for (let i = 0; i < p.length; i++) for (let j = 0; j < p.length; j++) {
    if (y[i] === 1 && y[j] === 0) {
      pairs++;
      wins += p[i]! > p[j]! ? 1 : p[i] === p[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

const scored = fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }).map((v) => v / 20), fc.integer({ min: 0, max: 1 })), { minLength: 2, maxLength: 60 })
  .filter((rows) => rows.some((r) => r[1] === 1) && rows.some((r) => r[1] === 0));

describe('metrics', () => {
  it('AUC equals the pairwise definition, ties included', () => {
    fc.assert(fc.property(scored, (rows) => {
      const p = rows.map((r) => r[0]), y = rows.map((r) => r[1]);
      expect(auc(p, y)).toBeCloseTo(pairwiseAuc(p, y), 12);
    }));
  });

  it('KS, Brier and ECE on hand-checked cases', () => {
    expect(ks([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0])).toBe(1);
    expect(brier([1, 0], [1, 0])).toBe(0);
    expect(brier([0.5, 0.5], [1, 0])).toBe(0.25);
    // bin [0.2,0.3): mean PD 0.25, observed 0.5 over 4 of 4 rows
    expect(ece([0.25, 0.25, 0.25, 0.25], [1, 0, 1, 0])).toBeCloseTo(0.25, 12);
  });

  it('deciles capture every positive and PSI is zero for the same distribution', () => {
    const rng = seededRng(3);
    const p = Array.from({ length: 1000 }, () => rng());
    const y = p.map((v) => (rng() < v ? 1 : 0));
    const rows = deciles(p, y);
    expect(rows).toHaveLength(10);
    expect(rows[9]!.cumulativeGain).toBeCloseTo(1, 12);
    expect(rows[0]!.lift).toBeGreaterThan(rows[9]!.lift);
    const edges = quantileEdges(p);
    expect(psi(binShares(p, edges), binShares(p, edges))).toBe(0);
    expect(psi(binShares(p, edges), binShares(p.map((v) => v * v), edges))).toBeGreaterThan(0.1);
  });
});

describe('calibration', () => {
  it('Platt recovers a known linear map of the log-odds', () => {
    const rng = seededRng(5);
    const z: number[] = [], y: number[] = [];
    for (let i = 0; i < 20000; i++) {
      const v = 4 * rng() - 2;
      z.push(v);
      y.push(rng() < sigmoid(0.5 * v - 1) ? 1 : 0);
    }
    const cal = fitPlatt(z, y);
    if (cal.method !== 'platt') throw new Error('expected platt');
    expect(cal.a).toBeCloseTo(0.5, 1);
    expect(cal.b).toBeCloseTo(-1, 1);
  });

  it('beta calibration recovers tails bent differently, and stays strictly increasing', () => {
    const rng = seededRng(6);
    const z: number[] = [], y: number[] = [];
    const softplus = (v: number) => Math.log1p(Math.exp(v));
    const truth = (v: number) => sigmoid(-0.7 * softplus(-v) + 1.6 * softplus(v) - 0.5);
    for (let i = 0; i < 40000; i++) {
      const v = 6 * rng() - 3;
      z.push(v);
      y.push(rng() < truth(v) ? 1 : 0);
    }
    const cal = fitBeta(z, y);
    if (cal.method !== 'beta') throw new Error(`expected beta, got ${cal.method}`);
    expect(Math.abs(cal.a - 0.7)).toBeLessThan(0.15);
    expect(Math.abs(cal.b - 1.6)).toBeLessThan(0.15);
    let prev = -Infinity;
    for (let v = -8; v <= 8; v += 0.1) {
      const l = calibratedLogit(cal, v);
      expect(l).toBeGreaterThan(prev);
      prev = l;
    }
    for (let v = -3; v <= 3; v += 0.5) expect(Math.abs(calibratedPd(cal, v) - truth(v))).toBeLessThan(0.02);
  });

  it('isotonic is monotone non-decreasing', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.double({ min: -5, max: 5, noNaN: true }), fc.integer({ min: 0, max: 1 })), { minLength: 3, maxLength: 80 }), (rows) => {
      const cal = fitIsotonic(rows.map((r) => r[0]), rows.map((r) => r[1]));
      let prev = -Infinity;
      for (let z = -6; z <= 6; z += 0.25) {
        const p = calibratedPd(cal, z);
        expect(p).toBeGreaterThanOrEqual(prev - 1e-12);
        prev = p;
      }
    }));
  });
});

describe('member averaging', () => {
  const randomNet = (seed: number, d: number, hidden: number[]): Network => {
    const rng = seededRng(seed);
    const widths = [d, ...hidden, 1];
    return {
      layers: widths.slice(1).map((units, k) => ({
        inputs: widths[k]!,
        units,
        activation: k === hidden.length ? ('linear' as const) : ('relu' as const),
        kernel: Float32Array.from({ length: widths[k]! * units }, () => rng() * 2 - 1),
        bias: Float32Array.from({ length: units }, () => rng() - 0.5),
      })),
    };
  };

  it('the merged network gives the mean of the members log-odds', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 0, maxLength: 2 }), (seed, count, hidden) => {
      const d = 5;
      const members = Array.from({ length: count }, (_, m) => randomNet(seed + m, d, hidden));
      const norm = { transform: new Array(d).fill('none'), mean: new Array(d).fill(0), std: new Array(d).fill(1), clip: Infinity };
      const fast = (n: Network) => createFastModel(n, norm, { method: 'none' }, new Array(d).fill(0));
      const merged = fast(mergeMembers(members));
      const rng = seededRng(seed);
      for (let r = 0; r < 5; r++) {
        const row = Array.from({ length: d }, () => rng() * 4 - 2);
        const mean = members.reduce((s, m) => s + fast(m).rawLogit(row), 0) / count;
        expect(merged.rawLogit(row)).toBeCloseTo(mean, 4);
      }
    }), { numRuns: 50 });
  });
});
