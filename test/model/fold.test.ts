// The standardisation folded into the first layer (fold.ts) against the unfolded computation
// (normaliseValue, then W·z + b) on random layers and normalisations: the float64 fold the plain
// pass uses, and the float32 input writer + permuted kernel the tfjs batch path feeds to matMul.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldedInputWriter, foldFirstLayer, permutedKernel, signedLog } from '../../src/model/fold.js';
import type { DenseLayer } from '../../src/model/network.js';
import { normaliseValue, type Normalisation } from '../../src/model/normalise.js';
import { seededRng } from '../../src/model/rng.js';

function randomCase(seed: number, d: number, units: number, meanScale: number) {
  const rng = seededRng(seed);
  const g = () => rng() * 2 - 1;
  const layer: DenseLayer = {
    inputs: d,
    units,
    activation: 'relu',
    kernel: Float32Array.from({ length: d * units }, g),
    bias: Float32Array.from({ length: units }, () => g() * 0.3),
  };
  const std = Array.from({ length: d }, (_, j) => (j % 5 === 4 ? 0 : 0.05 + rng() * 3));
  const norm: Normalisation = {
    transform: Array.from({ length: d }, (_, j) => (j % 3 === 1 ? 'slog' : 'none')),
    // means up to meanScale standard deviations away from 0 (large ones exercise the centring)
    mean: std.map((s) => g() * meanScale * (s || 1)),
    std,
    clip: 2 + Math.floor(rng() * 7),
  };
  // zeros, NaN, small integers (the log table), negatives, fractions, values beyond the clip
  const kinds = [() => 0, () => NaN, () => Math.floor(rng() * 50), () => -Math.floor(rng() * 50), () => g() * 10, () => norm.mean[0]! + g() * 1e6, () => rng() * 5000];
  const n = 40;
  const rows = Float32Array.from({ length: n * d }, () => kinds[Math.floor(rng() * kinds.length)]!());
  return { layer, norm, rows, n };
}

/** The unfolded first-layer pre-activations of one row: standardise (with clip, NaN -> 0, constant -> 0), then W·z + b. */
function unfolded(layer: DenseLayer, norm: Normalisation, row: Float32Array): Float64Array {
  const z = Array.from(row, (v, j) => normaliseValue(norm, j, v));
  return Float64Array.from({ length: layer.units }, (_, u) => z.reduce((s, v, j) => s + v * layer.kernel[j * layer.units + u]!, layer.bias[u]!));
}

/** Scale of the terms summed into unit u (for a relative tolerance). */
function magnitude(layer: DenseLayer, norm: Normalisation, row: Float32Array, u: number): number {
  return Array.from(row, (v, j) => Math.abs(normaliseValue(norm, j, v) * layer.kernel[j * layer.units + u]!)).reduce((s, t) => s + t, Math.abs(layer.bias[u]!)) + 1;
}

describe('first-layer fold', () => {
  it('float64 fold over raw inputs = standardise then the first layer (random layers, normalisations, rows)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 20 }), fc.constantFrom(0.5, 5, 40), (seed, d, units, meanScale) => {
      const c = randomCase(seed, d, units, meanScale);
      const fold = foldFirstLayer(c.layer, c.norm);
      expect(Array.from(fold.active)).toEqual(c.norm.std.flatMap((s, j) => (s > 0 ? [j] : [])));
      for (let i = 0; i < c.n; i++) {
        const row = c.rows.subarray(i * d, (i + 1) * d);
        const want = unfolded(c.layer, c.norm, row);
        for (let u = 0; u < units; u++) {
          let pre = fold.bias[u]!;
          fold.active.forEach((j, a) => {
            const v = row[j]!;
            const t = v !== v ? fold.fill[a]! : Math.min(fold.hi[a]!, Math.max(fold.lo[a]!, fold.slog[a] === 1 ? signedLog(v) : v));
            pre += (t - fold.centre[a]!) * fold.kernel[a * units + u]!;
          });
          expect(Math.abs(pre - want[u]!)).toBeLessThanOrEqual(1e-9 * magnitude(c.layer, c.norm, row, u) * (1 + meanScale));
        }
      }
    }), { numRuns: 80 });
  });

  it('float32 writer + permuted kernel (the tfjs input) agree with the unfolded layer to float32 rounding', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 20 }), fc.constantFrom(0.5, 5, 40, 1000), (seed, d, units, meanScale) => {
      const c = randomCase(seed, d, units, meanScale);
      const fold = foldFirstLayer(c.layer, c.norm, 8);
      const writer = foldedInputWriter(fold);
      const k = fold.active.length;
      expect(Array.from(writer.order).sort((p, q) => p - q)).toEqual(Array.from({ length: k }, (_, a) => a));
      const kernel = permutedKernel(fold, writer.order);
      const bias = Float32Array.from(fold.bias);
      const x = new Float32Array(c.n * k);
      writer.into(c.rows, c.n, d, x);
      for (let i = 0; i < c.n; i++) {
        const row = c.rows.subarray(i * d, (i + 1) * d);
        const want = unfolded(c.layer, c.norm, row);
        for (let u = 0; u < units; u++) {
          // float32 products and sums, as a float32 matMul computes them
          let pre = bias[u]!;
          for (let a = 0; a < k; a++) pre = Math.fround(pre + Math.fround(x[i * k + a]! * kernel[a * units + u]!));
          expect(Math.abs(pre - want[u]!)).toBeLessThanOrEqual(2e-6 * magnitude(c.layer, c.norm, row, u));
        }
      }
    }), { numRuns: 80 });
  });

  it('signedLog is Math.log1p exactly, on both sides of the table', () => {
    const rng = seededRng(3);
    const values = [0, 1, 2, 4095, 4096, 4097, 1e9, -1, -4095, -5000, 0.5, 1.5, 4095.5, ...Array.from({ length: 2000 }, () => (rng() - 0.5) * 10 ** Math.floor(rng() * 7)), ...Array.from({ length: 2000 }, () => Math.floor(rng() * 6000))];
    for (const v of values) expect(signedLog(v)).toBe(v < 0 ? -Math.log1p(-v) : Math.log1p(v));
    expect(Number.isNaN(signedLog(NaN))).toBe(true);
  });

  it('refuses a normalisation of another width', () => {
    const c = randomCase(1, 4, 3, 1);
    expect(() => foldFirstLayer(c.layer, { ...c.norm, mean: c.norm.mean.slice(1) })).toThrow(/normalisation has 3 features, the first layer takes 4/);
  });
});
