// A seeded synthetic feature matrix with a known non-linear risk signal, for model tests.
import { seededRng } from '../../../src/model/rng.js';

export interface Synthetic {
  x: Float32Array;
  y: Uint8Array;
  n: number;
  d: number;
  /** The true probability of each row. */
  p: Float64Array;
}

export function makeSynthetic(n: number, seed = 1, d = 8): Synthetic {
  const rng = seededRng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(rng() + 1e-12)) * Math.cos(2 * Math.PI * rng());
  const x = new Float32Array(n * d);
  const y = new Uint8Array(n);
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) x[i * d + j] = gauss();
    // feature 1 is a heavy-tailed amount, feature 2 a count: exercises the log transform
    x[i * d + 1] = Math.round(Math.exp(2 + gauss()) * 100);
    x[i * d + 2] = Math.floor(rng() * 4);
    const z = -1.5 + 1.2 * x[i * d]! + 0.4 * Math.log1p(x[i * d + 1]!) - 2 + 0.5 * x[i * d + 2]! + 0.8 * Math.max(0, x[i * d + 3]!) ** 2 - 0.6 * x[i * d + 4]!;
    p[i] = 1 / (1 + Math.exp(-z));
    y[i] = rng() < p[i]! ? 1 : 0;
  }
  return { x, y, n, d, p };
}
