// A rule set is data: versioned JSON, validated here. Conditions follow json-rules-engine's shape
// (all / any / not over leaves) with two kinds of leaf: a comparison of a named fact (a feature or a
// history fact) and a count of history events inside a look-back window.
import { z } from 'zod';
import { STEPS } from '../decision/schema.js';

export const COMPARISON_OPS = ['>', '>=', '<', '<=', '==', '!='] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];

export type Scalar = number | boolean | string;

/** The right-hand side of a comparison: a literal or another fact (optionally scaled). */
export type Operand = Scalar | { readonly fact: string; readonly times?: number };

export interface CompareCondition {
  readonly fact: string;
  readonly op: ComparisonOp;
  readonly value: Operand;
}
export interface BetweenCondition {
  readonly fact: string;
  readonly op: 'between';
  /** Inclusive bounds. */
  readonly value: readonly [number, number];
}
export interface InCondition {
  readonly fact: string;
  readonly op: 'in';
  readonly value: readonly Scalar[];
}
export type FactCondition = CompareCondition | BetweenCondition | InCondition;

/** Events of one type, optionally filtered on their fields, that happened in the last `withinDays` days. */
export interface EventWindow {
  readonly type: string;
  readonly where?: Readonly<Record<string, readonly Scalar[]>>;
  readonly withinDays: number;
}
export interface CountCondition {
  readonly count: EventWindow;
  readonly op: ComparisonOp;
  readonly value: number;
}

export type Condition =
  | { readonly all: readonly Condition[] }
  | { readonly any: readonly Condition[] }
  | { readonly not: Condition }
  | FactCondition
  | CountCondition;

const factName = z.string().regex(/^[a-z][a-z0-9_.]*$/, { error: 'expected a fact name in snake_case, e.g. "dpd"' });
const scalar = z.union([z.number().finite(), z.boolean(), z.string()], { error: 'expected a number, boolean or string' });

export const OperandSchema = z.union([scalar, z.strictObject({ fact: factName, times: z.number().finite().optional() })], {
  error: 'expected a number, boolean, string or {"fact": name}',
});

export const CompareSchema = z.strictObject({ fact: factName, op: z.enum(COMPARISON_OPS), value: OperandSchema });
export const BetweenSchema = z.strictObject({
  fact: factName,
  op: z.literal('between'),
  value: z.tuple([z.number().finite(), z.number().finite()], { error: 'expected [low, high]' }),
});
export const InSchema = z.strictObject({ fact: factName, op: z.literal('in'), value: z.array(scalar).min(1, { error: 'expected at least one value' }) });
export const CountSchema = z.strictObject({
  count: z.strictObject({
    type: z.string().min(1),
    where: z.record(z.string(), z.array(scalar).min(1)).optional(),
    withinDays: z.number().int().min(1).max(3650),
  }),
  op: z.enum(COMPARISON_OPS),
  value: z.number().finite(),
});

export const RULE_STEPS = STEPS;

/** A rule's outer shape; `when` is walked by parseCondition so that errors carry exact paths. */
export const RuleShape = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, { error: 'expected a rule id in snake_case' }),
  en: z.string().min(1),
  zh: z.string().min(1),
  /** 0..100: orders rule reasons and sets priority. */
  severity: z.number().int().min(0).max(100),
  /** True when the rule mirrors a referral condition of DOMAIN.md (legal review becomes possible). */
  referralCondition: z.boolean().default(false),
  /** The ladder step the rule recommends when it hits. */
  step: z.enum(STEPS),
  /** The fact whose value a reason shows (defaults to the first fact the conditions read). */
  keyFact: z.string().optional(),
  enabled: z.boolean().default(true),
  when: z.unknown(),
});

export const RuleSetShape = z.strictObject({
  version: z.string().min(1),
  description: z.string().optional(),
  rules: z.array(RuleShape).min(1, { error: 'expected at least one rule' }),
});

export type Step = (typeof STEPS)[number];

export interface Rule {
  readonly id: string;
  readonly en: string;
  readonly zh: string;
  readonly severity: number;
  readonly referralCondition: boolean;
  readonly step: Step;
  readonly keyFact: string | undefined;
  readonly enabled: boolean;
  readonly when: Condition;
}

export interface RuleSet {
  readonly version: string;
  readonly description: string | undefined;
  readonly rules: readonly Rule[];
}
