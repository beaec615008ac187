// At most four reasons, merged from rule hits (actionable, in the collector's words) and the model's
// adverse attributions (feature descriptions from the registry, with the value the model saw).
import type { RuleResult } from '../rules/evaluate.js';
import type { Reason } from './schema.js';

export interface ModelReasonInput {
  readonly feature: string;
  /** Contribution to the log-odds; only positive (adverse) ones become reasons. */
  readonly contribution: number;
  readonly value: number;
  readonly en: string;
  readonly zh: string;
}

export interface ReasonLimits {
  readonly max: number;
  readonly maxRuleReasons: number;
}

export function ruleReasons(results: readonly RuleResult[], keyFacts: ReadonlyMap<string, string | undefined> = new Map()): Reason[] {
  const hits = results.filter((r) => r.outcome === 'hit');
  hits.sort((a, b) => Number(b.referralCondition) - Number(a.referralCondition) || b.severity - a.severity || (a.ruleId < b.ruleId ? -1 : 1));
  return hits.map((h) => {
    const key = keyFacts.get(h.ruleId) ?? Object.keys(h.values)[0];
    const value = key === undefined ? null : (h.values[key] ?? null);
    return { source: 'rule', code: h.ruleId, en: h.en, zh: h.zh, value, weight: h.severity };
  });
}

export function modelReasons(attributions: readonly ModelReasonInput[]): Reason[] {
  return attributions
    .filter((a) => a.contribution > 0 && Number.isFinite(a.contribution))
    .sort((a, b) => b.contribution - a.contribution)
    .map((a) => ({ source: 'model', code: a.feature, en: a.en, zh: a.zh, value: a.value, weight: a.contribution }));
}

/** Rule reasons first (up to maxRuleReasons), then model reasons, then any remaining rule reasons; never over max. */
export function mergeReasons(rules: readonly Reason[], model: readonly Reason[], limits: ReasonLimits): Reason[] {
  const max = Math.min(4, limits.max);
  const out: Reason[] = rules.slice(0, Math.min(limits.maxRuleReasons, max));
  for (const r of model) {
    if (out.length >= max) break;
    out.push(r);
  }
  for (const r of rules.slice(out.filter((x) => x.source === 'rule').length)) {
    if (out.length >= max) break;
    out.push(r);
  }
  return out;
}
