// Run statistics that merge: each chunk produces its own, the run adds them up in any order, and the
// checkpoint carries the running total so that a resumed run reports the same summary as an
// uninterrupted one.
import { BANDS, STEPS, type Decision } from '../domain/decision/schema.js';

/** PDs are counted in this many equal-width bins on [0, 1] (quantiles to 0.001). */
export const PD_BINS = 1000;

export interface RunStats {
  scored: number;
  rejected: number;
  /** Closed, written off, or not yet originated at the as-of time. */
  inactive: number;
  /** Loans that belong to another shard. */
  otherShard: number;
  bands: Record<string, number>;
  steps: Record<string, number>;
  /** Per rule: times evaluated, hit, errored. */
  rules: Record<string, { evaluated: number; hit: number; error: number }>;
  pdHistogram: number[];
  /** Counts in the model's training-distribution bins (for PSI); empty when no reference. */
  referenceBins: number[];
  pdSum: number;
}

export function emptyStats(referenceBinCount = 0): RunStats {
  return {
    scored: 0,
    rejected: 0,
    inactive: 0,
    otherShard: 0,
    bands: Object.fromEntries(BANDS.map((b) => [b, 0])),
    steps: Object.fromEntries(STEPS.map((s) => [s, 0])),
    rules: {},
    pdHistogram: new Array<number>(PD_BINS).fill(0),
    referenceBins: new Array<number>(referenceBinCount).fill(0),
    pdSum: 0,
  };
}

export function pdBin(pd: number): number {
  return Math.min(PD_BINS - 1, Math.max(0, Math.floor(pd * PD_BINS)));
}

/** Index of the bin of `value` given ascending inner edges (k edges make k + 1 bins, each (e[b-1], e[b]]). */
export function binOf(value: number, edges: readonly number[]): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (value <= edges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function countDecision(stats: RunStats, d: Decision, referenceEdges: readonly number[]): void {
  stats.scored++;
  stats.bands[d.band] = (stats.bands[d.band] ?? 0) + 1;
  stats.steps[d.step.action] = (stats.steps[d.step.action] ?? 0) + 1;
  for (const h of d.ruleHits) {
    const r = (stats.rules[h.ruleId] ??= { evaluated: 0, hit: 0, error: 0 });
    r.evaluated++;
    if (h.outcome === 'hit') r.hit++;
    else if (h.outcome === 'error') r.error++;
  }
  stats.pdHistogram[pdBin(d.pd)]!++;
  if (stats.referenceBins.length > 0) stats.referenceBins[binOf(d.pd, referenceEdges)]!++;
  stats.pdSum += d.pd;
}

export function mergeStats(into: RunStats, from: RunStats): RunStats {
  into.scored += from.scored;
  into.rejected += from.rejected;
  into.inactive += from.inactive;
  into.otherShard += from.otherShard;
  for (const [k, v] of Object.entries(from.bands)) into.bands[k] = (into.bands[k] ?? 0) + v;
  for (const [k, v] of Object.entries(from.steps)) into.steps[k] = (into.steps[k] ?? 0) + v;
  for (const [k, v] of Object.entries(from.rules)) {
    const r = (into.rules[k] ??= { evaluated: 0, hit: 0, error: 0 });
    r.evaluated += v.evaluated;
    r.hit += v.hit;
    r.error += v.error;
  }
  from.pdHistogram.forEach((v, i) => (into.pdHistogram[i] = (into.pdHistogram[i] ?? 0) + v));
  from.referenceBins.forEach((v, i) => (into.referenceBins[i] = (into.referenceBins[i] ?? 0) + v));
  into.pdSum += from.pdSum;
  return into;
}

/** The PD below which a fraction q of the scored loans fall (upper edge of the bin, to 0.001). */
export function pdQuantile(histogram: readonly number[], q: number): number | null {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const target = q * total;
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i]!;
    if (seen >= target && seen > 0) return (i + 1) / histogram.length;
  }
  return 1;
}
