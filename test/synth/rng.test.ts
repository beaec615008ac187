import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/synth/rng.js';

const draw = (rng: Rng, n: number): number[] => Array.from({ length: n }, () => rng.nextUint32());

describe('Rng', () => {
  it('is a pure function of its stream key', () => {
    expect(draw(Rng.stream(7, 3, 1), 50)).toEqual(draw(Rng.stream(7, 3, 1), 50));
  });

  it('gives different streams for different loans, purposes and seeds', () => {
    const a = draw(Rng.stream(7, 3, 1), 8);
    expect(draw(Rng.stream(7, 4, 1), 8)).not.toEqual(a);
    expect(draw(Rng.stream(7, 3, 2), 8)).not.toEqual(a);
    expect(draw(Rng.stream(8, 3, 1), 8)).not.toEqual(a);
  });

  it('int(lo, hi) stays within bounds and next() in [0, 1)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (seed, lo, width) => {
        const rng = new Rng(seed);
        for (let i = 0; i < 20; i++) {
          const x = rng.int(lo, lo + width);
          expect(x).toBeGreaterThanOrEqual(lo);
          expect(x).toBeLessThanOrEqual(lo + width);
          const u = rng.next();
          expect(u).toBeGreaterThanOrEqual(0);
          expect(u).toBeLessThan(1);
        }
      }),
    );
  });

  it('has the moments of its distributions', () => {
    const rng = Rng.stream(1, 2, 3);
    const n = 100_000;
    let sum = 0;
    let sumN = 0;
    let sumN2 = 0;
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      sum += u;
      buckets[Math.floor(u * 10)]!++;
      const z = rng.normal();
      sumN += z;
      sumN2 += z * z;
    }
    expect(sum / n).toBeCloseTo(0.5, 2);
    for (const b of buckets) expect(Math.abs(b / n - 0.1)).toBeLessThan(0.006);
    expect(sumN / n).toBeCloseTo(0, 1);
    expect(sumN2 / n).toBeCloseTo(1, 1);
  });

  it('weighted() follows the weights', () => {
    const rng = Rng.stream(5);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[rng.weighted([1, 0, 3])]!++;
    expect(counts[1]).toBe(0);
    expect(counts[2]! / counts[0]!).toBeGreaterThan(2.7);
    expect(counts[2]! / counts[0]!).toBeLessThan(3.3);
  });
});
