// The plain forward pass over exported weights: one row in a few microseconds with no tfjs, for
// underwriting calls and worker threads. Float64 accumulators; a parity test keeps it within 1e-5
// of TensorFlow.js on the bundled models.
import type { Attribution } from '../scoring/ports.js';
import { calibratedLogit, calibratedPd, type Calibration } from './calibration.js';
import { checkNetwork, inputSize, type Network } from './network.js';
import type { Normalisation } from './normalise.js';

export interface FastModel {
  readonly features: number;
  /** Raw (uncalibrated) log-odds of one raw feature row. */
  rawLogit(row: ArrayLike<number>): number;
  /** Calibrated PD of one raw feature row. */
  pd(row: ArrayLike<number>): number;
  /** Calibrated PDs of n rows (row-major) into `out` (allocated when absent). */
  pdBatch(rows: Float32Array, n: number, out?: Float32Array): Float32Array;
  /**
   * Adverse attributions by ablation: for each feature, how much the calibrated log-odds fall when
   * that feature alone is moved to the reference borrower's value. Positive = raises risk. Exactly
   * faithful by construction; costs about two forward passes (only the first layer is recomputed
   * incrementally per feature).
   */
  explain(row: ArrayLike<number>, max: number): Attribution[];
}

export function createFastModel(net: Network, norm: Normalisation, cal: Calibration, reference: readonly number[]): FastModel {
  checkNetwork(net);
  const d = inputSize(net);
  if (norm.mean.length !== d) throw new Error(`normalisation has ${norm.mean.length} features, network expects ${d}`);
  if (reference.length !== d) throw new Error(`reference has ${reference.length} features, network expects ${d}`);
  const layers = net.layers.map((l) => ({ ...l, k: Float64Array.from(l.kernel), b: Float64Array.from(l.bias), relu: l.activation === 'relu' }));
  const widest = Math.max(d, ...layers.map((l) => l.units));
  const bufA = new Float64Array(widest);
  const bufB = new Float64Array(widest);
  const first = layers[0]!;
  const h1 = first.units;
  const pre1 = new Float64Array(h1);
  // Standardisation is linear, so it is folded into the first layer: the row only goes through the
  // signed log and the clip (in the untransformed units), and zeros (most counts) are skipped.
  const transform = norm.transform.map((t) => t === 'slog');
  const active = Int32Array.from(norm.std.flatMap((s, j) => (s > 0 ? [j] : [])));
  const nActive = active.length;
  const mean = Float64Array.from(norm.mean);
  const lo = Float64Array.from(norm.mean, (m, j) => m - norm.clip * norm.std[j]!);
  const hi = Float64Array.from(norm.mean, (m, j) => m + norm.clip * norm.std[j]!);
  const kernel = new Float64Array(d * h1);
  const bias = Float64Array.from(first.b);
  for (let a = 0; a < nActive; a++) {
    const j = active[a]!;
    const inv = 1 / norm.std[j]!;
    for (let u = 0; u < h1; u++) {
      const w = first.k[j * h1 + u]! * inv;
      kernel[j * h1 + u] = w;
      bias[u] = bias[u]! - mean[j]! * w;
    }
  }
  const uBuf = new Float64Array(d);
  const uRef = new Float64Array(d);

  function transformInto(row: ArrayLike<number>, at: number, out: Float64Array): void {
    for (let a = 0; a < nActive; a++) {
      const j = active[a]!;
      let v = row[at + j]!;
      if (v !== v) {
        out[j] = mean[j]!;
        continue;
      }
      if (transform[j]) v = v < 0 ? -Math.log1p(-v) : Math.log1p(v);
      out[j] = v > hi[j]! ? hi[j]! : v < lo[j]! ? lo[j]! : v;
    }
  }
  transformInto(reference, 0, uRef);
  // One hidden ReLU layer (the bundled shape): the head is a dot product, fused with the ReLU.
  const twoLayer = layers.length === 2 && first.relu;
  const w2 = layers[layers.length - 1]!.k;
  const b2 = layers[layers.length - 1]!.b[0]!;

  /** Runs layers 1.. from the first layer's pre-activation. */
  function fromFirstPre(pre: Float64Array): number {
    if (twoLayer) {
      let acc = b2;
      for (let j = 0; j < h1; j++) {
        const v = pre[j]!;
        if (v > 0) acc += v * w2[j]!;
      }
      return acc;
    }
    let cur = bufA;
    for (let j = 0; j < h1; j++) {
      const v = pre[j]!;
      cur[j] = first.relu && v < 0 ? 0 : v;
    }
    let width = h1;
    let next = bufB;
    for (let k = 1; k < layers.length; k++) {
      const l = layers[k]!;
      const u = l.units;
      const kk = l.k;
      for (let j = 0; j < u; j++) next[j] = l.b[j]!;
      for (let i = 0; i < width; i++) {
        const a = cur[i]!;
        if (a === 0) continue;
        const off = i * u;
        for (let j = 0; j < u; j++) next[j] = next[j]! + a * kk[off + j]!;
      }
      if (l.relu) for (let j = 0; j < u; j++) if (next[j]! < 0) next[j] = 0;
      const t = cur;
      cur = next;
      next = t;
      width = u;
    }
    return cur[0]!;
  }

  function firstPre(u: Float64Array, pre: Float64Array): void {
    for (let j = 0; j < h1; j++) pre[j] = bias[j]!;
    for (let a = 0; a < nActive; a++) {
      const i = active[a]!;
      const v = u[i]!;
      if (v === 0) continue;
      const off = i * h1;
      for (let j = 0; j < h1; j++) pre[j] = pre[j]! + v * kernel[off + j]!;
    }
  }

  function rawLogit(row: ArrayLike<number>): number {
    if (row.length !== d) throw new Error(`expected a row of ${d} features, got ${row.length}`);
    transformInto(row, 0, uBuf);
    firstPre(uBuf, pre1);
    return fromFirstPre(pre1);
  }

  const shifted = new Float64Array(h1);
  return {
    features: d,
    rawLogit,
    pd: (row) => calibratedPd(cal, rawLogit(row)),
    pdBatch(rows, n, out = new Float32Array(n)) {
      if (rows.length < n * d) throw new Error(`expected ${n} rows of ${d} features (${n * d} values), got ${rows.length}`);
      for (let r = 0; r < n; r++) {
        transformInto(rows, r * d, uBuf);
        firstPre(uBuf, pre1);
        out[r] = calibratedPd(cal, fromFirstPre(pre1));
      }
      return out;
    },
    explain(row, max) {
      const base = calibratedLogit(cal, rawLogit(row));
      const found: Attribution[] = [];
      for (let a = 0; a < nActive; a++) {
        const i = active[a]!;
        const delta = uRef[i]! - uBuf[i]!;
        if (delta === 0) continue;
        const off = i * h1;
        let logit: number;
        if (twoLayer) {
          logit = b2;
          for (let j = 0; j < h1; j++) {
            const v = pre1[j]! + delta * kernel[off + j]!;
            if (v > 0) logit += v * w2[j]!;
          }
        } else {
          for (let j = 0; j < h1; j++) shifted[j] = pre1[j]! + delta * kernel[off + j]!;
          logit = fromFirstPre(shifted);
        }
        const contribution = base - calibratedLogit(cal, logit);
        if (contribution > 0) found.push({ feature: i, contribution });
      }
      found.sort((a, b) => b.contribution - a.contribution || a.feature - b.feature);
      return found.slice(0, Math.max(0, max));
    },
  };
}
