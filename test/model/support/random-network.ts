// A random network, normalisation, reference row and 64 rows (zeros, NaN, large values) for the forward
// pass's tests: every fifth feature constant in training, every third through the signed log.
import type { Calibration } from '../../../src/model/calibration.js';
import type { Network } from '../../../src/model/network.js';
import type { Normalisation } from '../../../src/model/normalise.js';
import { seededRng } from '../../../src/model/rng.js';

export function randomCase(seed: number, d: number, hidden: readonly number[], cal: Calibration) {
  const rng = seededRng(seed);
  const g = () => rng() * 2 - 1;
  const widths = [d, ...hidden, 1];
  const net: Network = {
    layers: widths.slice(1).map((units, k) => ({
      inputs: widths[k]!,
      units,
      activation: k === widths.length - 2 ? 'linear' : 'relu',
      kernel: Float32Array.from({ length: widths[k]! * units }, g),
      bias: Float32Array.from({ length: units }, () => g() * 0.3),
    })),
  };
  const norm: Normalisation = {
    transform: Array.from({ length: d }, (_, j) => (j % 3 === 1 ? 'slog' : 'none')),
    mean: Array.from({ length: d }, () => g()),
    // every fifth feature constant in training: held at 0
    std: Array.from({ length: d }, (_, j) => (j % 5 === 4 ? 0 : 0.5 + rng())),
    clip: 3,
  };
  const reference = Array.from({ length: d }, () => Math.round(g() * 2));
  const rows = new Float32Array(64 * d).map((_, i) => (i % 7 === 0 ? 0 : i % 11 === 0 ? NaN : g() * 4 * (i % 3 === 1 ? 50 : 1)));
  return { net, norm, cal, reference, rows, n: 64 };
}

/** One calibration of each kind: two strictly increasing maps, an isotonic one with a flat part, none. */
export const calibrations: Calibration[] = [
  { method: 'platt', a: 0.8, b: -0.4 },
  { method: 'beta', a: 0.7, b: 1.6, c: -1.2 },
  { method: 'isotonic', x: [0.05, 0.2, 0.5, 0.8, 0.95], y: [0.02, 0.1, 0.1, 0.6, 0.9] },
  { method: 'none' },
];
