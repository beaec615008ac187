// The plain forward pass over exported weights: one row in a few microseconds with no tfjs, for
// underwriting calls and worker threads. Float64 accumulators; a parity test keeps it within 1e-5
// of TensorFlow.js on the bundled models.
import type { Attribution } from '../scoring/ports.js';
import { calibratedLogit, calibratedPd, type Calibration } from './calibration.js';
import { checkNetwork, inputSize, type Network } from './network.js';
import { normaliseValue, type Normalisation } from './normalise.js';

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
  const zBuf = new Float64Array(d);
  const bufA = new Float64Array(widest);
  const bufB = new Float64Array(widest);
  const first = layers[0]!;
  const h1 = first.units;
  const pre1 = new Float64Array(h1);
  const zRef = Float64Array.from(reference, (v, j) => normaliseValue(norm, j, v));
  const transform = norm.transform.map((t) => t === 'slog');
  const mean = Float64Array.from(norm.mean);
  const invStd = Float64Array.from(norm.std, (s) => (s > 0 ? 1 / s : 0));
  const active = Int32Array.from(norm.std.flatMap((s, j) => (s > 0 ? [j] : [])));
  const nActive = active.length;
  const clip = norm.clip;

  function normaliseInto(row: ArrayLike<number>, at: number, z: Float64Array): void {
    for (let a = 0; a < nActive; a++) {
      const j = active[a]!;
      let v = row[at + j]!;
      if (v !== v) {
        z[j] = 0;
        continue;
      }
      if (transform[j]) v = v < 0 ? -Math.log1p(-v) : Math.log1p(v);
      const s = (v - mean[j]!) * invStd[j]!;
      z[j] = s > clip ? clip : s < -clip ? -clip : s;
    }
  }

  /** Runs layers 1.. from the first layer's pre-activation. */
  function fromFirstPre(pre: Float64Array): number {
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

  function firstPre(z: Float64Array, pre: Float64Array): void {
    const kk = first.k;
    for (let j = 0; j < h1; j++) pre[j] = first.b[j]!;
    for (let a = 0; a < nActive; a++) {
      const i = active[a]!;
      const v = z[i]!;
      if (v === 0) continue;
      const off = i * h1;
      for (let j = 0; j < h1; j++) pre[j] = pre[j]! + v * kk[off + j]!;
    }
  }

  function rawLogit(row: ArrayLike<number>): number {
    if (row.length !== d) throw new Error(`expected a row of ${d} features, got ${row.length}`);
    normaliseInto(row, 0, zBuf);
    firstPre(zBuf, pre1);
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
        normaliseInto(rows, r * d, zBuf);
        firstPre(zBuf, pre1);
        out[r] = calibratedPd(cal, fromFirstPre(pre1));
      }
      return out;
    },
    explain(row, max) {
      const base = calibratedLogit(cal, rawLogit(row));
      const found: Attribution[] = [];
      const kk = first.k;
      for (let a = 0; a < nActive; a++) {
        const i = active[a]!;
        const delta = zRef[i]! - zBuf[i]!;
        if (delta === 0) continue;
        const off = i * h1;
        for (let j = 0; j < h1; j++) shifted[j] = pre1[j]! + delta * kk[off + j]!;
        const contribution = base - calibratedLogit(cal, fromFirstPre(shifted));
        if (contribution > 0) found.push({ feature: i, contribution });
      }
      found.sort((a, b) => b.contribution - a.contribution || a.feature - b.feature);
      return found.slice(0, Math.max(0, max));
    },
  };
}
