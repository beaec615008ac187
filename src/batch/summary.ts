// The run summary: what operators and the model owner read after the night's run.
import type { BandRise } from './band-rises.js';
import { psi, PSI_DRIFT_THRESHOLD, type ReferenceDistribution } from './psi.js';
import { pdQuantile, type RunStats } from './stats.js';

export interface RunSummary {
  readonly status: 'complete' | 'interrupted';
  readonly asOf: string;
  readonly shard: string;
  readonly versions: Record<string, string> | null;
  readonly counts: { records: number; scored: number; rejected: number; inactive: number; otherShard: number };
  readonly bands: Record<string, number>;
  readonly steps: Record<string, number>;
  /** Hit rate = hits / loans scored. */
  readonly rules: Record<string, { hits: number; hitRate: number; errors: number }>;
  /** Quantiles to within 2.3 % (log-scale bins); `tenths` = loans with PD in [0, 0.1), [0.1, 0.2), ... */
  readonly pd: { mean: number | null; p10: number | null; p50: number | null; p90: number | null; p99: number | null; tenths: number[] };
  readonly psi: { value: number | null; threshold: number; drift: boolean; note?: string };
  readonly bandRises: { count: number; sample: BandRise[]; file: string };
  readonly files: Record<string, string>;
  readonly elapsedMs: number;
  readonly loansPerSecond: number;
  /** With --from-store: decisions saved and alerts raised in the store by this invocation. */
  readonly store?: { readonly decisionsSaved: number; readonly alertsRaised: number };
}

export interface SummaryInput {
  readonly status: RunSummary['status'];
  readonly asOf: string;
  readonly shard: string;
  readonly versions: Record<string, string> | null;
  readonly stats: RunStats;
  readonly reference: ReferenceDistribution | null;
  readonly referenceNote?: string;
  readonly rises: number;
  readonly riseSample: BandRise[];
  readonly files: Record<string, string> & { rises: string };
  readonly elapsedMs: number;
  /** Records handled in this invocation (a resumed run counts only its own part for the rate). */
  readonly recordsThisRun: number;
}

export function summarize(input: SummaryInput): RunSummary {
  const s = input.stats;
  const h = s.pdHistogram;
  const psiValue = input.reference === null ? null : psi(input.reference.proportions, s.referenceBins);
  const rules = Object.fromEntries(
    Object.entries(s.rules)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([id, r]) => [id, { hits: r.hit, hitRate: s.scored === 0 ? 0 : r.hit / s.scored, errors: r.error }]),
  );
  return {
    status: input.status,
    asOf: input.asOf,
    shard: input.shard,
    versions: input.versions,
    counts: { records: s.scored + s.rejected + s.inactive + s.otherShard, scored: s.scored, rejected: s.rejected, inactive: s.inactive, otherShard: s.otherShard },
    bands: s.bands,
    steps: s.steps,
    rules,
    pd: {
      mean: s.scored === 0 ? null : s.pdSum / s.scored,
      p10: pdQuantile(h, 0.1),
      p50: pdQuantile(h, 0.5),
      p90: pdQuantile(h, 0.9),
      p99: pdQuantile(h, 0.99),
      tenths: s.pdTenths,
    },
    psi: {
      value: psiValue,
      threshold: PSI_DRIFT_THRESHOLD,
      drift: psiValue !== null && psiValue > PSI_DRIFT_THRESHOLD,
      ...(input.referenceNote === undefined ? {} : { note: input.referenceNote }),
    },
    bandRises: { count: input.rises, sample: input.riseSample, file: input.files.rises },
    files: input.files,
    elapsedMs: Math.round(input.elapsedMs),
    loansPerSecond: input.elapsedMs <= 0 ? 0 : Math.round((input.recordsThisRun * 1000) / input.elapsedMs),
  };
}
