// Run statistics that merge: each chunk produces its own, the run adds them up in any order, and the
// checkpoint carries the running total so that a resumed run reports the same summary as an
// uninterrupted one.
import { BANDS, STEPS, type Decision } from '../domain/decision/schema.js';

/**
 * PDs are counted on a log scale: 100 bins per decade from 1e-9 to 1 (quantiles to within 2.3 %),
 * because a good portfolio's PDs sit far below 0.001, where equal-width bins would see one value.
 */
export const PD_BINS = 900;
const PD_FLOOR_LOG10 = -9;
const BINS_PER_DECADE = 100;

export interface RunStats {
  scored: number;
  rejected: number;
  /** Closed, written off, or not yet originated at the as-of time. */
  inactive: number;
  /** Loans that belong to another shard. */
  otherShard: number;
  bands: Record<string, number>;
  steps: Record<string, number>;
  /** Per rule: times it appeared in a decision's ruleHits, hit, errored. */
  rules: Record<string, { evaluated: number; hit: number; error: number }>;
  pdHistogram: number[];
  /** Equal-width tenths of [0, 1]. */
  pdTenths: number[];
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
    pdTenths: new Array<number>(10).fill(0),
    referenceBins: new Array<number>(referenceBinCount).fill(0),
    pdSum: 0,
  };
}

export function pdBin(pd: number): number {
  if (!(pd > 0)) return 0;
  return Math.min(PD_BINS - 1, Math.max(0, Math.floor((Math.log10(pd) - PD_FLOOR_LOG10) * BINS_PER_DECADE)));
}

/** Upper edge of a PD bin. */
export function pdBinUpper(bin: number): number {
  return Math.min(1, 10 ** ((bin + 1) / BINS_PER_DECADE + PD_FLOOR_LOG10));
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
  stats.pdTenths[Math.min(9, Math.floor(d.pd * 10))]!++;
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
  from.pdTenths.forEach((v, i) => (into.pdTenths[i] = (into.pdTenths[i] ?? 0) + v));
  from.referenceBins.forEach((v, i) => (into.referenceBins[i] = (into.referenceBins[i] ?? 0) + v));
  into.pdSum += from.pdSum;
  return into;
}

/** The PD below which a fraction q of the scored loans fall (upper edge of its log-scale bin). */
export function pdQuantile(histogram: readonly number[], q: number): number | null {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const target = q * total;
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i]!;
    if (seen >= target && seen > 0) return pdBinUpper(i);
  }
  return 1;
}
