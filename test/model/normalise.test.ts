import { describe, expect, it } from 'vitest';
import { createFastModel } from '../../src/model/forward.js';
import { compactNormaliser, fitNormalisation, normaliseRows, normaliseValue } from '../../src/model/normalise.js';
import { seededRng } from '../../src/model/rng.js';

describe('normalisation', () => {
  const rng = seededRng(9);
  const n = 500, d = 3;
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    x[i * d] = rng();               // a ratio: left as it is
    x[i * d + 1] = rng() * 1e5;     // an amount: signed log
    x[i * d + 2] = 4;               // constant in training
  }
  const norm = fitNormalisation(x, n, d);

  it('log-transforms heavy tails, standardises, and marks constant features inactive', () => {
    expect(norm.transform).toEqual(['none', 'slog', 'none']);
    expect(norm.std[2]).toBe(0);
    let s = 0, ss = 0;
    for (let i = 0; i < n; i++) {
      const z = normaliseValue(norm, 0, x[i * d]!);
      s += z;
      ss += z * z;
    }
    expect(s / n).toBeCloseTo(0, 6);
    expect(ss / n).toBeCloseTo(1, 6);
    expect(normaliseValue(norm, 0, 1e9)).toBe(norm.clip);
    expect(normaliseValue(norm, 0, NaN)).toBe(0);
  });

  it('a feature that never varied in training cannot move the PD', () => {
    const kernel = Float32Array.from({ length: d * 4 }, () => rng() * 2 - 1);
    const net = { layers: [
      { inputs: d, units: 4, activation: 'relu' as const, kernel, bias: new Float32Array(4).fill(0.1) },
      { inputs: 4, units: 1, activation: 'linear' as const, kernel: Float32Array.from([1, -1, 0.5, 2]), bias: new Float32Array(1) },
    ] };
    const model = createFastModel(net, norm, { method: 'none' }, [0.5, 100, 4]);
    const a = model.pd([0.3, 5000, 4]);
    expect(model.pd([0.3, 5000, 400])).toBe(a);
    expect(model.explain([0.3, 5000, 400], 4).map((r) => r.feature)).not.toContain(2);
  });

  it('compact form: the active columns of normaliseRows, exactly (zeros, NaN, negatives, clipping)', () => {
    const rows = Float32Array.from([0, 0, 0, NaN, 250, 4, -3, -1e9, 9, 0.5, 1e12, NaN]);
    const m = rows.length / d;
    const full = normaliseRows(norm, rows, m, d);
    const compact = compactNormaliser(norm);
    expect(Array.from(compact.active)).toEqual([0, 1]);
    const out = new Float32Array(m * 2);
    compact.into(rows, m, d, out);
    for (let i = 0; i < m; i++) for (let a = 0; a < 2; a++) expect(out[i * 2 + a]).toBe(full[i * d + compact.active[a]!]);
  });
});
