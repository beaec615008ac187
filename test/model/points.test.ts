import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POINTS_SCALE, pdToPoints, pointsToPd } from '../../src/domain/decision/points.js';

describe('points', () => {
  it('gives 600 at odds 50:1 and 620 at odds 100:1 by default', () => {
    expect(pdToPoints(1 / 51)).toBeCloseTo(600, 9);
    expect(pdToPoints(1 / 101)).toBeCloseTo(620, 9);
    expect(pdToPoints(1 / 26)).toBeCloseTo(580, 9);
  });

  it('honours a configured scale', () => {
    const scale = { basePoints: 500, baseOdds: 20, doublingPoints: 50 };
    expect(pdToPoints(1 / 21, scale)).toBeCloseTo(500, 9);
    expect(pdToPoints(1 / 41, scale)).toBeCloseTo(550, 9);
  });

  it('round-trips PD -> points -> PD', () => {
    fc.assert(fc.property(fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true }), (pd) => {
      expect(pointsToPd(pdToPoints(pd))).toBeCloseTo(pd, 9);
    }));
  });

  it('is strictly decreasing in PD (higher is safer)', () => {
    fc.assert(fc.property(fc.double({ min: 1e-6, max: 0.999 }), fc.double({ min: 1e-4, max: 0.5 }), (pd, step) => {
      const hi = Math.min(0.999999, pd + step * (1 - pd));
      fc.pre(hi > pd + 1e-9);
      expect(pdToPoints(hi)).toBeLessThan(pdToPoints(pd));
    }));
  });

  it('stays finite at 0 and 1 and refuses non-probabilities', () => {
    expect(Number.isFinite(pdToPoints(0))).toBe(true);
    expect(Number.isFinite(pdToPoints(1))).toBe(true);
    expect(() => pdToPoints(1.5)).toThrow(/pd must be a probability/);
    expect(() => pdToPoints(0.1, { ...DEFAULT_POINTS_SCALE, doublingPoints: 0 })).toThrow(/doublingPoints/);
  });
});
