// The decisions of the committed sample portfolio, digested: every field of every decision at several
// as-of instants, through the real feature engine, rule set and policy. The model is a fixed logistic
// over real features (not the trained artefact) so that the digest pins the decision path (rules,
// decide, contact guardrails, evidence, reasons) and moves only when that path's behaviour does.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { featureSetVersion } from '../../src/domain/features/index.js';
import type { Decision } from '../../src/domain/decision/schema.js';
import type { LoanEvent, LoanHistory } from '../../src/domain/history/schema.js';
import { parseHistory } from '../../src/domain/history/validate.js';
import { createScorer } from '../../src/scoring/feature-engine.js';
import { defaultPolicy, defaultRuleSet } from './rule-config.js';
import { logisticModel } from './tiny-model.js';

/** Local times chosen to land inside and outside quiet hours (Asia/Shanghai is UTC+8). */
export const GOLDEN_AS_OF = ['2024-09-30T07:30:00Z', '2024-12-31T14:00:00Z', '2025-03-15T23:30:00Z', '2025-06-30T04:00:00Z'] as const;

const FEATURES = ['dpd', 'instalments_overdue', 'ptp_broken_60d', 'unanswered_streak', 'late_count_6', 'partial_count_6', 'switched_off_30d'];
const WEIGHTS = [0.05, 0.3, 0.5, 0.1, 0.4, 0.3, 0.3];

export function goldenScorer() {
  const model = logisticModel(FEATURES, WEIGHTS, -4, featureSetVersion());
  // float32 PDs on both paths, as a trained model gives them, so that scoreOne and scoreMany agree.
  const predictOne = model.predictOne.bind(model);
  return createScorer({ model: { ...model, predictOne: (row) => Math.fround(predictOne(row)) }, ruleSet: defaultRuleSet(), policy: defaultPolicy() });
}

/**
 * The sample, with every fifth loan's events reversed, every fifth (offset 2) moved to a zone with
 * daylight saving, every fifth (offset 3) carrying late-recorded duplicates of its last three events:
 * the slow paths (sorting, de-duplication, zone offsets from Intl) are pinned too.
 */
export function goldenHistories(): LoanHistory[] {
  const lines = gunzipSync(readFileSync('data/sample/histories.ndjson.gz')).toString('utf8').split('\n').filter((l) => l !== '');
  return lines.map((line, i) => {
    const raw = JSON.parse(line) as LoanHistory & { events: LoanEvent[] };
    if (i % 5 === 1) raw.events = [...raw.events].reverse();
    if (i % 5 === 2) raw.timeZone = 'America/New_York';
    if (i % 5 === 3) {
      const late = raw.events.slice(-3).map((e) => ({ ...e, recordedAt: new Date(Date.parse(e.recordedAt ?? e.at) + 86_400_000).toISOString() }));
      raw.events = [...late, ...raw.events];
    }
    const parsed = parseHistory(raw);
    if (!parsed.ok) throw new Error(`sample line ${i + 1}: ${JSON.stringify(parsed.problems)}`);
    return parsed.value;
  });
}

export interface DecisionDigest {
  readonly asOf: string;
  readonly loans: number;
  /** sha256 over the decisions' JSON, one a line, in input order. */
  readonly sha256: string;
  readonly steps: Record<string, number>;
  readonly bands: Record<string, number>;
  readonly ruleHits: Record<string, number>;
  readonly guardrails: Record<string, number>;
  readonly withEvidence: number;
}

const count = (into: Record<string, number>, key: string) => {
  into[key] = (into[key] ?? 0) + 1;
};

export function digestDecisions(asOf: string, decisions: readonly Decision[]): DecisionDigest {
  const hash = createHash('sha256');
  const steps: Record<string, number> = {};
  const bands: Record<string, number> = {};
  const ruleHits: Record<string, number> = {};
  const guardrails: Record<string, number> = {};
  let withEvidence = 0;
  for (const d of decisions) {
    hash.update(JSON.stringify(d));
    hash.update('\n');
    count(steps, d.step.action);
    count(bands, d.band);
    for (const h of d.ruleHits) count(ruleHits, `${h.ruleId}:${h.outcome}`);
    for (const g of d.guardrails) count(guardrails, g.guardrail);
    if (d.evidence !== null) withEvidence++;
  }
  const sorted = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)));
  return { asOf, loans: decisions.length, sha256: hash.digest('hex'), steps: sorted(steps), bands: sorted(bands), ruleHits: sorted(ruleHits), guardrails: sorted(guardrails), withEvidence };
}
