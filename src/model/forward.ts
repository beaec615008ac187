// The plain forward pass over exported weights: one row in a few microseconds with no tfjs, for
// underwriting calls and worker threads. Float64 accumulators; a parity test keeps it within 1e-5
// of TensorFlow.js on the bundled models.
import type { Attribution } from '../scoring/ports.js';
import { calibratedLogit, pdFunction, type Calibration } from './calibration.js';
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

/** A calibration map from raw to calibrated log-odds, when it is strictly increasing (so order in raw log-odds is order in PD). */
function strictlyIncreasing(cal: Calibration): boolean {
  if (cal.method === 'none') return true;
  if (cal.method === 'platt') return cal.a > 0;
  if (cal.method === 'beta') return cal.a >= 0 && cal.b >= 0 && cal.a + cal.b > 0;
  return false;
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
  // Only features that varied in training are read (a constant one is held at 0). Standardisation
  // is linear, so it is folded into the first layer: a row only goes through the signed log and the
  // clip (in the untransformed units), into a compact vector of the active inputs.
  const active = Int32Array.from(norm.std.flatMap((s, j) => (s > 0 ? [j] : [])));
  const nA = active.length;
  const slog = Uint8Array.from(active, (j) => (norm.transform[j] === 'slog' ? 1 : 0));
  const mean = Float64Array.from(active, (j) => norm.mean[j]!);
  const lo = Float64Array.from(active, (j) => norm.mean[j]! - norm.clip * norm.std[j]!);
  const hi = Float64Array.from(active, (j) => norm.mean[j]! + norm.clip * norm.std[j]!);
  // The folded first layer twice: by input (kr[a·h1 + u], for the per-feature ablations of explain)
  // and by unit (kt[u·nA + a], so that a unit's pre-activation is one dot product held in registers).
  const kr = new Float64Array(nA * h1);
  const kt = new Float64Array(h1 * nA);
  const bias = Float64Array.from(first.b);
  for (let a = 0; a < nA; a++) {
    const j = active[a]!;
    const inv = 1 / norm.std[j]!;
    for (let u = 0; u < h1; u++) {
      const w = first.k[j * h1 + u]! * inv;
      kr[a * h1 + u] = w;
      kt[u * nA + a] = w;
      bias[u] = bias[u]! - mean[a]! * w;
    }
  }
  const xBuf = new Float64Array(nA);
  const xRef = new Float64Array(nA);

  function transformInto(row: ArrayLike<number>, at: number, out: Float64Array): void {
    for (let a = 0; a < nA; a++) {
      let v = row[at + active[a]!]!;
      if (v !== v) {
        out[a] = mean[a]!;
        continue;
      }
      if (slog[a] === 1) v = v < 0 ? -Math.log1p(-v) : Math.log1p(v);
      out[a] = v > hi[a]! ? hi[a]! : v < lo[a]! ? lo[a]! : v;
    }
  }
  transformInto(reference, 0, xRef);
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

  /** First-layer pre-activations: per unit a dot product over the active inputs, four partial sums. */
  function firstPre(x: Float64Array, pre: Float64Array): void {
    const tail = nA & ~3;
    for (let u = 0; u < h1; u++) {
      const off = u * nA;
      let s0 = bias[u]!, s1 = 0, s2 = 0, s3 = 0;
      let a = 0;
      for (; a < tail; a += 4) {
        s0 += x[a]! * kt[off + a]!;
        s1 += x[a + 1]! * kt[off + a + 1]!;
        s2 += x[a + 2]! * kt[off + a + 2]!;
        s3 += x[a + 3]! * kt[off + a + 3]!;
      }
      for (; a < nA; a++) s0 += x[a]! * kt[off + a]!;
      pre[u] = s0 + s1 + (s2 + s3);
    }
  }

  function rawLogit(row: ArrayLike<number>): number {
    if (row.length !== d) throw new Error(`expected a row of ${d} features, got ${row.length}`);
    transformInto(row, 0, xBuf);
    firstPre(xBuf, pre1);
    return fromFirstPre(pre1);
  }

  const toPd = pdFunction(cal);
  const ordered = strictlyIncreasing(cal);
  const shifted = new Float64Array(h1);
  const ablated = new Float64Array(nA);
  /** Raw log-odds with active input a moved to the reference value (xBuf, pre1 hold the row). */
  function ablate(a: number, delta: number): number {
    const off = a * h1;
    if (twoLayer) {
      let logit = b2;
      for (let j = 0; j < h1; j++) {
        const v = pre1[j]! + delta * kr[off + j]!;
        if (v > 0) logit += v * w2[j]!;
      }
      return logit;
    }
    for (let j = 0; j < h1; j++) shifted[j] = pre1[j]! + delta * kr[off + j]!;
    return fromFirstPre(shifted);
  }

  return {
    features: d,
    rawLogit,
    pd: (row) => toPd(rawLogit(row)),
    pdBatch(rows, n, out = new Float32Array(n)) {
      if (rows.length < n * d) throw new Error(`expected ${n} rows of ${d} features (${n * d} values), got ${rows.length}`);
      for (let r = 0; r < n; r++) {
        transformInto(rows, r * d, xBuf);
        firstPre(xBuf, pre1);
        out[r] = toPd(fromFirstPre(pre1));
      }
      return out;
    },
    explain(row, max) {
      const z0 = rawLogit(row);
      const base = calibratedLogit(cal, z0);
      const want = Math.max(0, Math.floor(max));
      if (want === 0) return [];
      if (!ordered) {
        // A calibration with flat parts (isotonic): rank by calibrated contribution directly.
        const found: Attribution[] = [];
        for (let a = 0; a < nA; a++) {
          const delta = xRef[a]! - xBuf[a]!;
          if (delta === 0) continue;
          const contribution = base - calibratedLogit(cal, ablate(a, delta));
          if (contribution > 0) found.push({ feature: active[a]!, contribution });
        }
        found.sort((p, q) => q.contribution - p.contribution || p.feature - q.feature);
        return found.slice(0, want);
      }
      // A strictly increasing calibration keeps the order of raw log-odds, so the top reasons are
      // chosen on raw log-odds and only those few are calibrated.
      const top: number[] = [];
      for (let a = 0; a < nA; a++) {
        const delta = xRef[a]! - xBuf[a]!;
        if (delta === 0) continue;
        const z = ablate(a, delta);
        if (!(z < z0)) continue;
        ablated[a] = z;
        if (top.length === want && !(z < ablated[top[want - 1]!]!)) continue;
        let k = top.length === want ? want - 1 : top.length;
        while (k > 0 && z < ablated[top[k - 1]!]!) {
          top[k] = top[k - 1]!;
          k--;
        }
        top[k] = a;
      }
      const found: Attribution[] = [];
      for (const a of top) {
        const contribution = base - calibratedLogit(cal, ablated[a]!);
        if (contribution > 0) found.push({ feature: active[a]!, contribution });
      }
      return found;
    },
  };
}
