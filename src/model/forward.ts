// The plain forward pass over exported weights: one row in a few microseconds with no tfjs, for
// underwriting calls and worker threads. Float64 accumulators; a parity test keeps it within 1e-5
// of TensorFlow.js on the bundled models.
import type { Attribution } from '../scoring/ports.js';
import { calibratedLogit, pdFunction, type Calibration } from './calibration.js';
import { checkNetwork, inputSize, type Network } from './network.js';
import type { Normalisation } from './normalise.js';
import { foldFirstLayer, signedLog } from './fold.js';
import { createSimdKernels } from './simd-kernels.js';

export interface FastModel {
  readonly features: number;
  /** Where the hot loops run: WebAssembly SIMD kernels (simd-kernels.ts) or JavaScript. */
  readonly loops: 'wasm-simd' | 'js';
  /** Raw (uncalibrated) log-odds of one raw feature row. */
  rawLogit(row: ArrayLike<number>): number;
  /** Calibrated PD of one raw feature row. */
  pd(row: ArrayLike<number>): number;
  /**
   * The PD pdBatch gives this row, bit for bit (the same computation, rounded to float32), from the
   * single-row path: scoring row by row, an explain of the same row then reuses this forward pass.
   */
  pdLikeBatch(row: Float32Array): number;
  /** Calibrated PDs of n rows (row-major) into `out` (allocated when absent). */
  pdBatch(rows: Float32Array, n: number, out?: Float32Array): Float32Array;
  /**
   * Adverse attributions by ablation: for each feature, how much the calibrated log-odds fall when
   * that feature alone is moved to the reference borrower's value. Positive = raises risk. Exactly
   * faithful by construction. Each candidate shifts the row's first-layer pre-activations by one
   * kernel row and reruns the head; right after `pd`/`rawLogit` of the same row (equal values) the
   * row's forward pass is reused, not repeated.
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

/** simd: false keeps to the JavaScript loops (the kernels' parity test and benchmark compare the two). */
export function createFastModel(net: Network, norm: Normalisation, cal: Calibration, reference: readonly number[], options: { simd?: boolean } = {}): FastModel {
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
  // Only features that varied in training are read (a constant one is held at 0). Standardisation
  // is linear, so it is folded into the first layer (fold.ts): a row only goes through the signed
  // log and the clip (in the untransformed units), into a compact vector of the active inputs.
  const fold = foldFirstLayer(net.layers[0]!, norm);
  const { active, slog, lo, hi, fill: mean } = fold;
  const nA = active.length;
  // One hidden ReLU layer (the bundled shape): the head is a dot product, fused with the ReLU.
  const twoLayer = layers.length === 2 && first.relu;
  // Its two hot loops run as WebAssembly SIMD kernels where they can (same bits, simd-kernels.ts),
  // over buffers in the kernels' memory; the JavaScript below reads and writes the same buffers.
  const simd = twoLayer && options.simd !== false ? createSimdKernels(nA, h1) : null;
  // The folded first layer by input: kr[a·h1 + u].
  const kr = simd === null ? fold.kernel : copyInto(simd.kr, fold.kernel);
  const bias = simd === null ? fold.bias : copyInto(simd.bias, fold.bias);
  const pre1 = simd?.pre ?? new Float64Array(h1);
  const xBuf = simd?.x ?? new Float64Array(nA);
  const xRef = simd?.xRef ?? new Float64Array(nA);

  // Most inputs of a real row are 0 (counts, flags): their transformed value is a constant.
  const zero = Float64Array.from(active, (_, a) => (0 > hi[a]! ? hi[a]! : 0 < lo[a]! ? lo[a]! : 0));

  // Transformed inputs that are not 0, in order: a real row is mostly zeros (counts, flags), and
  // with the standardisation folded in a 0 contributes nothing to the first layer.
  const nz = simd?.nz ?? new Int32Array(nA);
  let nNz = 0;

  // Two copies of one transform: the Float32Array one (feature rows: batches and scoring) stays
  // monomorphic, so V8 keeps its element loads fast; the generic one serves plain arrays (the
  // reference row, tests). One transform for both costs more: as a per-value helper the single-row
  // path does not inline it (PD 3.5 -> 3.7 µs a row), over Float32Array | Float64Array rows its loads
  // go polymorphic. test/model/forward.test.ts holds the two to the same bits.
  function transformF32(row: Float32Array, at: number, out: Float64Array): void {
    let m = 0;
    for (let a = 0; a < nA; a++) {
      let v = row[at + active[a]!]!;
      if (v === 0) {
        v = zero[a]!;
      } else if (v !== v) {
        v = mean[a]!;
      } else {
        if (slog[a] === 1) v = signedLog(v);
        v = v > hi[a]! ? hi[a]! : v < lo[a]! ? lo[a]! : v;
      }
      out[a] = v;
      if (v !== 0) nz[m++] = a;
    }
    nNz = m;
  }

  function transformInto(row: ArrayLike<number>, at: number, out: Float64Array): void {
    if (row instanceof Float32Array) return transformF32(row, at, out);
    let m = 0;
    for (let a = 0; a < nA; a++) {
      let v = row[at + active[a]!]!;
      if (v === 0) {
        v = zero[a]!;
      } else if (v !== v) {
        v = mean[a]!;
      } else {
        if (slog[a] === 1) v = signedLog(v);
        v = v > hi[a]! ? hi[a]! : v < lo[a]! ? lo[a]! : v;
      }
      out[a] = v;
      if (v !== 0) nz[m++] = a;
    }
    nNz = m;
  }
  transformInto(reference, 0, xRef);
  const w2 = layers[layers.length - 1]!.k;
  const b2 = layers[layers.length - 1]!.b[0]!;

  // relu(v)·w = (v + |v|)·(w/2) exactly (doubling and halving are exact): no branch on the sign of
  // each hidden unit, which a CPU mispredicts about half the time. Four partial sums run side by
  // side (the adds do not wait on each other).
  const w2h = copyInto(simd?.w2h ?? new Float64Array(w2.length), Float64Array.from(w2, (w) => w * 0.5));
  const h4 = h1 & ~3;
  /** The head over the hidden pre-activations pre + delta·kr[off..]: b2 + Σ w2·relu(·). */
  function head(pre: Float64Array, off: number, delta: number): number {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let j = 0; j < h4; j += 4) {
      const v0 = pre[j]! + delta * kr[off + j]!;
      const v1 = pre[j + 1]! + delta * kr[off + j + 1]!;
      const v2 = pre[j + 2]! + delta * kr[off + j + 2]!;
      const v3 = pre[j + 3]! + delta * kr[off + j + 3]!;
      s0 += (v0 + Math.abs(v0)) * w2h[j]!;
      s1 += (v1 + Math.abs(v1)) * w2h[j + 1]!;
      s2 += (v2 + Math.abs(v2)) * w2h[j + 2]!;
      s3 += (v3 + Math.abs(v3)) * w2h[j + 3]!;
    }
    for (let j = h4; j < h1; j++) {
      const v = pre[j]! + delta * kr[off + j]!;
      s0 += (v + Math.abs(v)) * w2h[j]!;
    }
    return b2 + (s0 + s1 + (s2 + s3));
  }

  /** The head over the row's own pre-activations (no shift: kr may be empty when no input is active). */
  function headOf(pre: Float64Array): number {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let j = 0; j < h4; j += 4) {
      const v0 = pre[j]!, v1 = pre[j + 1]!, v2 = pre[j + 2]!, v3 = pre[j + 3]!;
      s0 += (v0 + Math.abs(v0)) * w2h[j]!;
      s1 += (v1 + Math.abs(v1)) * w2h[j + 1]!;
      s2 += (v2 + Math.abs(v2)) * w2h[j + 2]!;
      s3 += (v3 + Math.abs(v3)) * w2h[j + 3]!;
    }
    for (let j = h4; j < h1; j++) {
      const v = pre[j]!;
      s0 += (v + Math.abs(v)) * w2h[j]!;
    }
    return b2 + (s0 + s1 + (s2 + s3));
  }

  /** Runs layers 1.. from the first layer's pre-activation. */
  function fromFirstPre(pre: Float64Array): number {
    if (twoLayer) return headOf(pre);
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

  /**
   * First-layer pre-activations of the transformed row in x, over its non-zero inputs only (nz).
   * Units go in blocks of eight held in local variables (registers: no store per multiply-add);
   * a width that is not a multiple of eight finishes unit by unit.
   */
  const blocked = h1 & ~7;
  function firstPreJs(x: Float64Array, pre: Float64Array): void {
    const m = nNz;
    for (let g = 0; g < blocked; g += 8) {
      let p0 = bias[g]!, p1 = bias[g + 1]!, p2 = bias[g + 2]!, p3 = bias[g + 3]!;
      let p4 = bias[g + 4]!, p5 = bias[g + 5]!, p6 = bias[g + 6]!, p7 = bias[g + 7]!;
      for (let k = 0; k < m; k++) {
        const a = nz[k]!;
        const v = x[a]!;
        const o = a * h1 + g;
        p0 += v * kr[o]!;
        p1 += v * kr[o + 1]!;
        p2 += v * kr[o + 2]!;
        p3 += v * kr[o + 3]!;
        p4 += v * kr[o + 4]!;
        p5 += v * kr[o + 5]!;
        p6 += v * kr[o + 6]!;
        p7 += v * kr[o + 7]!;
      }
      pre[g] = p0;
      pre[g + 1] = p1;
      pre[g + 2] = p2;
      pre[g + 3] = p3;
      pre[g + 4] = p4;
      pre[g + 5] = p5;
      pre[g + 6] = p6;
      pre[g + 7] = p7;
    }
    for (let u = blocked; u < h1; u++) {
      let acc = bias[u]!;
      for (let k = 0; k < m; k++) {
        const a = nz[k]!;
        acc += x[a]! * kr[a * h1 + u]!;
      }
      pre[u] = acc;
    }
  }

  // The kernel reads xBuf and writes pre1, the only arguments firstPre is ever given.
  const firstPre: (x: Float64Array, pre: Float64Array) => void = simd === null ? firstPreJs : () => simd.firstPre(nNz);

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
  const top = new Int32Array(nA);
  /** Raw log-odds with active input a moved to the reference value (xBuf, pre1 hold the row). */
  function ablate(a: number, delta: number): number {
    const off = a * h1;
    if (twoLayer) return head(pre1, off, delta);
    for (let j = 0; j < h1; j++) shifted[j] = pre1[j]! + delta * kr[off + j]!;
    return fromFirstPre(shifted);
  }

  // The last single row's raw active inputs and log-odds: a scorer asks for the PD and then the
  // reasons of the same row, and explain then reuses the forward pass (xBuf, pre1) instead of
  // repeating it. Any batch overwrites xBuf and pre1, so it clears the memo.
  const lastRaw = new Float64Array(nA);
  let lastZ = Number.NaN;
  let memo = false;
  function sameAsLast(row: ArrayLike<number>): boolean {
    if (!memo || row.length !== d) return false;
    for (let a = 0; a < nA; a++) {
      const v = row[active[a]!]!;
      const w = lastRaw[a]!;
      if (v !== w && (v === v || w === w)) return false;
    }
    return true;
  }
  function rememberedLogit(row: ArrayLike<number>): number {
    const z = rawLogit(row);
    for (let a = 0; a < nA; a++) lastRaw[a] = row[active[a]!]!;
    lastZ = z;
    memo = true;
    return z;
  }

  return {
    features: d,
    loops: simd === null ? 'js' : 'wasm-simd',
    rawLogit: rememberedLogit,
    pd: (row) => toPd(rememberedLogit(row)),
    pdLikeBatch: (row) => Math.fround(toPd(rememberedLogit(row))),
    pdBatch(rows, n, out = new Float32Array(n)) {
      if (rows.length < n * d) throw new Error(`expected ${n} rows of ${d} features (${n * d} values), got ${rows.length}`);
      memo = false;
      for (let r = 0; r < n; r++) {
        transformF32(rows, r * d, xBuf);
        firstPre(xBuf, pre1);
        out[r] = toPd(fromFirstPre(pre1));
      }
      return out;
    },
    explain(row, max) {
      const z0 = sameAsLast(row) ? lastZ : rememberedLogit(row);
      const base = calibratedLogit(cal, z0);
      const want = Math.max(0, Math.floor(max));
      if (want === 0) return [];
      // Every ablation at once (kernels): z of input a is then simd.ablated[a].
      simd?.ablate(b2);
      if (!ordered) {
        // A calibration with flat parts (isotonic): rank by calibrated contribution directly.
        const found: Attribution[] = [];
        for (let a = 0; a < nA; a++) {
          const delta = xRef[a]! - xBuf[a]!;
          if (delta === 0) continue;
          const contribution = base - calibratedLogit(cal, simd === null ? ablate(a, delta) : simd.ablated[a]!);
          if (contribution > 0) found.push({ feature: active[a]!, contribution });
        }
        found.sort((p, q) => q.contribution - p.contribution || p.feature - q.feature);
        return found.slice(0, want);
      }
      // A strictly increasing calibration keeps the order of raw log-odds, so the top reasons are
      // chosen on raw log-odds and only those few are calibrated.
      // top[0..n): the inputs chosen so far, lowest ablated log-odds first (a reused buffer).
      let n = 0;
      for (let a = 0; a < nA; a++) {
        const delta = xRef[a]! - xBuf[a]!;
        if (delta === 0) continue;
        const z = simd === null ? ablate(a, delta) : simd.ablated[a]!;
        if (!(z < z0)) continue;
        ablated[a] = z;
        if (n === want && !(z < ablated[top[want - 1]!]!)) continue;
        let k = n === want ? want - 1 : n;
        while (k > 0 && z < ablated[top[k - 1]!]!) {
          top[k] = top[k - 1]!;
          k--;
        }
        top[k] = a;
        if (n < want) n++;
      }
      const found: Attribution[] = [];
      for (let k = 0; k < n; k++) {
        const a = top[k]!;
        const contribution = base - calibratedLogit(cal, ablated[a]!);
        if (contribution > 0) found.push({ feature: active[a]!, contribution });
      }
      return found;
    },
  };
}

/** target with source's values (the same length). */
function copyInto(target: Float64Array, source: ArrayLike<number>): Float64Array {
  target.set(source);
  return target;
}
