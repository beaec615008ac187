// A real (tiny) logistic RiskModel from known weights, and a small feature engine over the ledger:
// enough to test the scoring pipeline without a trained artefact.
import type { LoanHistory } from '../../src/domain/history/schema.js';
import { buildLedger } from '../../src/domain/history/ledger.js';
import { buildTimeline } from '../../src/domain/history/timeline.js';
import type { FeatureVectorizer } from '../../src/scoring/features-port.js';
import type { Attribution, RiskModel } from '../../src/scoring/ports.js';

export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

export function logisticModel(featureNames: readonly string[], weights: readonly number[], bias: number, featureSetVersion = 'tiny-1'): RiskModel & { calls: { batch: number; one: number } } {
  const calls = { batch: 0, one: 0 };
  const logit = (row: Float32Array, off = 0): number => {
    let z = bias;
    for (let j = 0; j < weights.length; j++) z += weights[j]! * row[off + j]!;
    return z;
  };
  return {
    calls,
    info: { name: 'tiny', version: '1', featureSetVersion, featureNames, horizonDays: 60, backend: 'js' },
    predictBatch(rows, n) {
      calls.batch++;
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = sigmoid(logit(rows, i * weights.length));
      return out;
    },
    predictOne(row) {
      calls.one++;
      return sigmoid(logit(row));
    },
    explain(row, max): Attribution[] {
      return weights
        .map((w, feature) => ({ feature, contribution: w * row[feature]! }))
        .filter((a) => a.contribution > 0)
        .sort((a, b) => b.contribution - a.contribution)
        .slice(0, max);
    },
  };
}

const TINY = {
  dpd: { en: 'Days past due', zh: '逾期天数' },
  instalments_overdue: { en: 'Instalments overdue', zh: '逾期期数' },
  days_to_max_overdue: { en: 'Days until the maximum overdue', zh: '距最长逾期天数' },
  refusals_30d: { en: 'Refusals in 30 days', zh: '30天内拒绝沟通次数' },
} as const;

/** dpd, instalments_overdue, days_to_max_overdue from the ledger; refusals_30d from the timeline. */
export function tinyFeatures(version = 'tiny-1'): FeatureVectorizer & { readonly calls: { n: number } } {
  const calls = { n: 0 };
  return {
    calls,
    names: Object.keys(TINY),
    version,
    vector(history: LoanHistory, asOf: number) {
      calls.n++;
      const timeline = buildTimeline(history, asOf);
      const ledger = buildLedger(timeline);
      let refusals = 0;
      for (const { event, day } of timeline.events) if (event.type === 'contact' && event.outcome === 'refused' && day > timeline.asOfDay - 30) refusals++;
      return Float32Array.of(ledger.dpd, ledger.instalmentsOverdue, history.contract.maxOverdueDays - ledger.dpd, refusals);
    },
    describe: (name) => TINY[name as keyof typeof TINY],
  };
}
