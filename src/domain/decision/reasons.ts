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

const NO_KEY_FACTS: ReadonlyMap<string, string | undefined> = new Map();

const byRuleOrder = (a: RuleResult, b: RuleResult): number => Number(b.referralCondition) - Number(a.referralCondition) || b.severity - a.severity || (a.ruleId < b.ruleId ? -1 : 1);

// Loops rather than filter/sort/map chains: every decision goes through these, mostly with zero to
// two rule hits and four model reasons, and the chains' arrays and closures were most of their cost.
export function ruleReasons(results: readonly RuleResult[], keyFacts: ReadonlyMap<string, string | undefined> = NO_KEY_FACTS): Reason[] {
  const out: Reason[] = [];
  for (const h of sortedHits(results) ?? []) out.push(ruleReason(h, keyFacts));
  return out;
}

/** The hits in reason order (referral conditions, then severity, then id); null when none. */
function sortedHits(results: readonly RuleResult[]): RuleResult[] | null {
  let hits: RuleResult[] | null = null;
  for (const r of results) if (r.outcome === 'hit') (hits ??= []).push(r);
  if (hits !== null && hits.length > 1) hits.sort(byRuleOrder);
  return hits;
}

export function modelReasons(attributions: readonly ModelReasonInput[]): Reason[] {
  const out: Reason[] = [];
  let sorted = true;
  for (const a of attributions) {
    if (!(a.contribution > 0 && Number.isFinite(a.contribution))) continue;
    if (out.length > 0 && a.contribution > out[out.length - 1]!.weight) sorted = false;
    out.push({ source: 'model', code: a.feature, en: a.en, zh: a.zh, value: a.value, weight: a.contribution });
  }
  // The model gives them largest first; a stable sort would leave that order as it is.
  if (!sorted) out.sort((a, b) => b.weight - a.weight);
  return out;
}

/** Rule reasons first (up to maxRuleReasons), then model reasons, then any remaining rule reasons; never over max. */
export function mergeReasons(rules: readonly Reason[], model: readonly Reason[], limits: ReasonLimits): Reason[] {
  const max = Math.min(4, limits.max);
  const out: Reason[] = rules.slice(0, Math.min(limits.maxRuleReasons, max));
  for (const r of model) {
    if (out.length >= max) break;
    out.push(r);
  }
  let fromRules = 0;
  for (const x of out) if (x.source === 'rule') fromRules++;
  for (let i = fromRules; i < rules.length; i++) {
    if (out.length >= max) break;
    out.push(rules[i]!);
  }
  return out;
}

const ruleReason = (h: RuleResult, keyFacts: ReadonlyMap<string, string | undefined>): Reason => {
  const key = keyFacts.get(h.ruleId) ?? Object.keys(h.values)[0];
  const value = key === undefined ? null : (h.values[key] ?? null);
  return { source: 'rule', code: h.ruleId, en: h.en, zh: h.zh, value, weight: h.severity };
};

const qualifies = (a: ModelReasonInput): boolean => a.contribution > 0 && Number.isFinite(a.contribution);

/**
 * mergeReasons(ruleReasons(results, keyFacts), modelReasons(attributions), limits), building only
 * the reasons that make the cut and no list in between (test/domain/decision/reasons.test.ts holds
 * the two equal). Model reasons that do not come largest first go the long way.
 */
export function decisionReasons(results: readonly RuleResult[], keyFacts: ReadonlyMap<string, string | undefined> = NO_KEY_FACTS, attributions: readonly ModelReasonInput[], limits: ReasonLimits): Reason[] {
  const max = Math.min(4, limits.max);
  const firstRules = Math.min(limits.maxRuleReasons, max);
  let ordered = max >= 0 && firstRules >= 0;
  let last = Infinity;
  for (let i = 0; i < attributions.length && ordered; i++) {
    const a = attributions[i]!;
    if (!qualifies(a)) continue;
    if (a.contribution > last) ordered = false;
    last = a.contribution;
  }
  if (!ordered) return mergeReasons(ruleReasons(results, keyFacts), modelReasons(attributions), limits);
  const hits = sortedHits(results);
  const nHits = hits === null ? 0 : hits.length;
  const out: Reason[] = [];
  const lead = Math.min(firstRules, nHits);
  for (let i = 0; i < lead; i++) out.push(ruleReason(hits![i]!, keyFacts));
  for (const a of attributions) {
    if (out.length >= max) break;
    if (qualifies(a)) out.push({ source: 'model', code: a.feature, en: a.en, zh: a.zh, value: a.value, weight: a.contribution });
  }
  for (let i = lead; i < nHits && out.length < max; i++) out.push(ruleReason(hits![i]!, keyFacts));
  return out;
}
