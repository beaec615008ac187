// Evaluation metrics for a binary risk model: ranking (AUC with a bootstrap interval, Gini, KS,
// lift and gains), calibration (Brier, ECE over 10 equal-width bins, calibration table, log loss)
// and stability (PSI). Pure functions over arrays; the bootstrap is seeded.
import { seededRng } from './rng.js';

export interface DecileRow {
  readonly decile: number;
  readonly n: number;
  readonly positives: number;
  readonly rate: number;
  readonly meanPd: number;
  readonly lift: number;
  readonly cumulativeGain: number;
}

export interface CalibrationBin {
  readonly lo: number;
  readonly hi: number;
  readonly n: number;
  readonly meanPd: number;
  readonly observed: number;
}

export interface Metrics {
  readonly n: number;
  readonly positives: number;
  readonly auc: number;
  readonly aucCi95: [number, number];
  readonly gini: number;
  readonly ks: number;
  readonly brier: number;
  readonly ece: number;
  readonly logLoss: number;
  readonly meanPd: number;
  readonly observedRate: number;
  readonly deciles: DecileRow[];
  readonly calibration: CalibrationBin[];
}

/** Rank-based AUC (Mann-Whitney), ties count half. */
export function auc(p: ArrayLike<number>, y: ArrayLike<number>, index?: ArrayLike<number>): number {
  const n = index ? index.length : p.length;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = index ? index[i]! : i;
  idx.sort((a, b) => p[a]! - p[b]!);
  let pos = 0;
  let rankSum = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && p[idx[j + 1]!] === p[idx[i]!]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (y[idx[k]!]! > 0.5) {
        pos++;
        rankSum += avgRank;
      }
    }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Percentile bootstrap 95% interval of the AUC. */
export function aucInterval(p: ArrayLike<number>, y: ArrayLike<number>, resamples = 200, seed = 7): [number, number] {
  const n = p.length;
  const rng = seededRng(seed);
  const values: number[] = [];
  const index = new Int32Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) index[i] = Math.floor(rng() * n);
    const a = auc(p, y, index);
    if (!Number.isNaN(a)) values.push(a);
  }
  values.sort((a, b) => a - b);
  const q = (f: number) => values[Math.min(values.length - 1, Math.max(0, Math.round(f * (values.length - 1))))] ?? NaN;
  return [q(0.025), q(0.975)];
}

export function ks(p: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = p.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => p[b]! - p[a]!);
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i]! > 0.5 ? 1 : 0;
  const neg = n - pos;
  let tp = 0, fp = 0, best = 0;
  for (let k = 0; k < n; k++) {
    const i = idx[k]!;
    if (y[i]! > 0.5) tp++;
    else fp++;
    if (k + 1 < n && p[idx[k + 1]!] === p[i]) continue;
    best = Math.max(best, Math.abs(tp / (pos || 1) - fp / (neg || 1)));
  }
  return best;
}

export function brier(p: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += (p[i]! - y[i]!) ** 2;
  return s / p.length;
}

export function logLoss(p: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const q = Math.min(1 - 1e-12, Math.max(1e-12, p[i]!));
    s -= y[i]! > 0.5 ? Math.log(q) : Math.log(1 - q);
  }
  return s / p.length;
}

/** Calibration table over `bins` equal-width PD bins (empty bins omitted). */
export function calibrationTable(p: ArrayLike<number>, y: ArrayLike<number>, bins = 10): CalibrationBin[] {
  const n = new Float64Array(bins), sp = new Float64Array(bins), sy = new Float64Array(bins);
  for (let i = 0; i < p.length; i++) {
    const b = Math.min(bins - 1, Math.floor(p[i]! * bins));
    n[b]!++;
    sp[b]! += p[i]!;
    sy[b]! += y[i]!;
  }
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) if (n[b]! > 0) out.push({ lo: b / bins, hi: (b + 1) / bins, n: n[b]!, meanPd: sp[b]! / n[b]!, observed: sy[b]! / n[b]! });
  return out;
}

/** Expected calibration error: bin-weighted |mean PD − observed rate| over 10 equal-width bins. */
export function ece(p: ArrayLike<number>, y: ArrayLike<number>, bins = 10): number {
  return calibrationTable(p, y, bins).reduce((s, b) => s + (b.n / p.length) * Math.abs(b.meanPd - b.observed), 0);
}

/** Deciles by descending PD: rate, lift over the base rate and cumulative share of positives captured. */
export function deciles(p: ArrayLike<number>, y: ArrayLike<number>): DecileRow[] {
  const n = p.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => p[b]! - p[a]! || a - b);
  let total = 0;
  for (let i = 0; i < n; i++) total += y[i]!;
  const base = total / n;
  const rows: DecileRow[] = [];
  let captured = 0;
  for (let d = 0; d < 10; d++) {
    const lo = Math.floor((d * n) / 10), hi = Math.floor(((d + 1) * n) / 10);
    let pos = 0, sp = 0;
    for (let k = lo; k < hi; k++) {
      pos += y[idx[k]!]!;
      sp += p[idx[k]!]!;
    }
    const m = hi - lo;
    captured += pos;
    const rate = m > 0 ? pos / m : 0;
    rows.push({ decile: d + 1, n: m, positives: pos, rate, meanPd: m > 0 ? sp / m : 0, lift: base > 0 ? rate / base : 0, cumulativeGain: total > 0 ? captured / total : 0 });
  }
  return rows;
}

/** Score distribution as 10 quantile edges of a reference sample, for PSI later. */
export function quantileEdges(p: ArrayLike<number>, bins = 10): number[] {
  const s = Array.from(p).sort((a, b) => a - b);
  const edges: number[] = [];
  for (let b = 1; b < bins; b++) edges.push(s[Math.min(s.length - 1, Math.floor((b * s.length) / bins))]!);
  return edges;
}

export function binShares(p: ArrayLike<number>, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (let i = 0; i < p.length; i++) {
    let b = 0;
    while (b < edges.length && p[i]! > edges[b]!) b++;
    counts[b]!++;
  }
  return counts.map((c) => c / (p.length || 1));
}

/** Population stability index of `actual` shares against `expected` shares (same bins). */
export function psi(expected: readonly number[], actual: readonly number[]): number {
  let s = 0;
  for (let b = 0; b < expected.length; b++) {
    const e = Math.max(expected[b]!, 1e-4);
    const a = Math.max(actual[b] ?? 0, 1e-4);
    s += (a - e) * Math.log(a / e);
  }
  return s;
}

export function evaluate(p: ArrayLike<number>, y: ArrayLike<number>, bootstrap = 200): Metrics {
  let positives = 0, sp = 0;
  for (let i = 0; i < p.length; i++) {
    positives += y[i]! > 0.5 ? 1 : 0;
    sp += p[i]!;
  }
  const a = auc(p, y);
  return {
    n: p.length,
    positives,
    auc: a,
    aucCi95: aucInterval(p, y, bootstrap),
    gini: 2 * a - 1,
    ks: ks(p, y),
    brier: brier(p, y),
    ece: ece(p, y),
    logLoss: logLoss(p, y),
    meanPd: sp / (p.length || 1),
    observedRate: positives / (p.length || 1),
    deciles: deciles(p, y),
    calibration: calibrationTable(p, y),
  };
}
