// Rule evaluation: each rule ends hit, no_hit or error, with every fact value its conditions read.
// A rule that fails (an unknown fact, a non-comparable value) is reported as an error and the
// others go on: one broken rule never breaks a decision.
import type { RuleHit } from '../decision/schema.js';
import type { ComparisonOp, Condition, EventWindow, Operand, Rule, RuleSet, Scalar } from './schema.js';

export type FactValue = Scalar | null;

/** Where rules read from: feature values and history facts by name, and windowed event counts. */
export interface FactSource {
  /** The value of a fact; undefined when no such fact exists (null when it exists but has no value). */
  get(name: string): FactValue | undefined;
  /** Visible events of a type whose fields match `where`, that happened in the last `withinDays` local days. */
  countEvents(window: EventWindow): number;
}

export type RuleResult = RuleHit;

export class RuleEvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuleEvaluationError';
  }
}

export function evaluateRules(ruleSet: RuleSet, facts: FactSource): RuleResult[] {
  const out: RuleResult[] = [];
  for (const rule of ruleSet.rules) if (rule.enabled) out.push(evaluateRule(rule, facts));
  return out;
}

/**
 * Only the rules that hit or fail, exactly as evaluateRules reports them: a decision shows nothing of
 * a rule that does not hit, so those are tested without recording values or building a result. A hit
 * is tested again by evaluateRule to record its values: cheaper than recording every rule's values
 * in one pass (a reused log, tried: 0.57 -> 0.66 µs a loan, 16 rules, 0.7 hits a loan).
 */
export function evaluateRuleHits(ruleSet: RuleSet, facts: FactSource): RuleResult[] {
  const out: RuleResult[] = [];
  for (const rule of ruleSet.rules) {
    if (!rule.enabled) continue;
    let hit: boolean;
    try {
      hit = test(rule.when, facts, null);
    } catch {
      hit = true; // evaluateRule reports the error
    }
    if (hit) out.push(evaluateRule(rule, facts));
  }
  return out;
}

export function evaluateRule(rule: Rule, facts: FactSource): RuleResult {
  const values: Record<string, FactValue> = {};
  // Object literals, not spreads: a spread here cost ~10 µs a rule on Node 20 (backtest hot path).
  try {
    const hit = test(rule.when, facts, values);
    return { ruleId: rule.id, outcome: hit ? 'hit' : 'no_hit', severity: rule.severity, referralCondition: rule.referralCondition, step: rule.step, en: rule.en, zh: rule.zh, values };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ruleId: rule.id, outcome: 'error', severity: rule.severity, referralCondition: rule.referralCondition, step: rule.step, en: rule.en, zh: rule.zh, values, error: message };
  }
}

/**
 * `any` reads every branch so that a hit explains all of itself; `all` stops at the first false
 * branch (the rule cannot hit, and the cheap guards such as `dpd > 0` come first in the rule sets).
 */
function test(cond: Condition, facts: FactSource, values: Record<string, FactValue> | null): boolean {
  if ('all' in cond) {
    for (const c of cond.all) if (!test(c, facts, values)) return false;
    return true;
  }
  if ('any' in cond) {
    let ok = false;
    for (const c of cond.any) ok = test(c, facts, values) || ok;
    return ok;
  }
  if ('not' in cond) return !test(cond.not, facts, values);
  if ('count' in cond) {
    const n = facts.countEvents(cond.count);
    if (!Number.isFinite(n)) throw new RuleEvaluationError(`event count ${windowLabel(cond.count)} is not a number`);
    if (values !== null) values[windowLabel(cond.count)] = n;
    return compare(n, cond.op, cond.value);
  }
  const left = read(cond.fact, facts, values);
  if (cond.op === 'between') {
    if (left === null) return false;
    const x = asNumber(cond.fact, left);
    return x >= cond.value[0] && x <= cond.value[1];
  }
  if (cond.op === 'in') return left !== null && cond.value.some((v) => equal(left, v));
  const right = operand(cond.value, facts, values);
  if (left === null || right === null) return false;
  if (cond.op === '==' || cond.op === '!=') return equal(left, right) === (cond.op === '==');
  return compare(asNumber(cond.fact, left), cond.op, asNumber(typeof cond.value === 'object' ? cond.value.fact : 'value', right));
}

/** `values` null: test only, record nothing. */
function read(name: string, facts: FactSource, values: Record<string, FactValue> | null): FactValue {
  const v = facts.get(name);
  if (v === undefined) throw new RuleEvaluationError(`unknown fact "${name}"`);
  if (typeof v === 'number' && Number.isNaN(v)) throw new RuleEvaluationError(`fact "${name}" is NaN`);
  if (values !== null) values[name] = v;
  return v;
}

function operand(value: Operand, facts: FactSource, values: Record<string, FactValue> | null): FactValue {
  if (typeof value !== 'object') return value;
  const v = read(value.fact, facts, values);
  if (v === null || value.times === undefined) return v;
  return asNumber(value.fact, v) * value.times;
}

/** Booleans compare as 0/1 so that 0/1 feature flags and true/false literals agree. */
function asNumber(name: string, v: Scalar): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new RuleEvaluationError(`fact "${name}" is the string "${v}", not a number`);
}

function equal(a: Scalar, b: Scalar): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return asNumber('', a) === asNumber('', b);
}

function compare(a: number, op: ComparisonOp, b: number): boolean {
  switch (op) {
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
}

export function windowLabel(w: EventWindow): string {
  const filters = Object.entries(w.where ?? {}).map(([k, vs]) => `${k}=${vs.join('|')}`);
  return `count(${w.type}${filters.length > 0 ? ` ${filters.join(' ')}` : ''}, ${w.withinDays}d)`;
}
