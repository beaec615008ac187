// The decision every path returns (service, batch, backtest): one shape, declared once.
import { z } from 'zod';

export const BANDS = ['low', 'watch', 'elevated', 'high', 'critical'] as const;
export const STEPS = ['none', 'reminder', 'robocall', 'collector_call', 'offer_plan', 'consider_grace', 'final_notice', 'legal_review'] as const;
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const STEP_CHANNELS = ['none', 'sms', 'robocall', 'call', 'app', 'letter', 'visit', 'legal'] as const;

export const Reason = z.object({
  source: z.enum(['model', 'rule']),
  /** Feature name (model) or rule id (rule). */
  code: z.string(),
  en: z.string(),
  zh: z.string(),
  /** The feature value or the rule's key fact. */
  value: z.union([z.number(), z.string(), z.boolean(), z.null()]),
  /** Contribution to the log-odds (model) or severity weight (rule). */
  weight: z.number(),
});

export const RuleHit = z.object({
  ruleId: z.string(),
  outcome: z.enum(['hit', 'no_hit', 'error']),
  severity: z.number().int().min(0).max(100),
  /** True for rules that mirror a referral condition (DOMAIN.md). */
  referralCondition: z.boolean(),
  step: z.enum(STEPS),
  en: z.string(),
  zh: z.string(),
  /** The facts and values the conditions read. */
  values: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
  error: z.string().optional(),
});

export const GuardrailEffect = z.object({
  guardrail: z.enum(['quiet_hours', 'daily_cap', 'weekly_cap', 'opt_out', 'arrangement_kept', 'third_party']),
  en: z.string(),
  zh: z.string(),
});

export const EvidenceSummary = z.object({
  dpd: z.number(),
  maxOverdueDays: z.number(),
  overdueAmount: z.number(),
  contactAttempts: z.number(),
  contactsAnswered: z.number(),
  refusals: z.number(),
  promisesMade: z.number(),
  promisesBroken: z.number(),
  arrangementsOffered: z.number(),
  arrangementsBroken: z.number(),
  lastPaymentAt: z.string().nullable(),
});

export const Decision = z.object({
  loanId: z.string(),
  asOf: z.string(),
  horizonDays: z.number().int(),
  pd: z.number().min(0).max(1),
  points: z.number(),
  band: z.enum(BANDS),
  reasons: z.array(Reason).max(4),
  ruleHits: z.array(RuleHit),
  step: z.object({
    action: z.enum(STEPS),
    channel: z.enum(STEP_CHANNELS),
    priority: z.enum(PRIORITIES),
    /** Earliest time the recommended contact is allowed (ISO, loan's zone), null when no contact. */
    earliestContactAt: z.string().nullable(),
    en: z.string(),
    zh: z.string(),
  }),
  guardrails: z.array(GuardrailEffect),
  evidence: EvidenceSummary.nullable(),
  versions: z.object({ model: z.string(), featureSet: z.string(), ruleSet: z.string(), policy: z.string() }),
});

export type Band = (typeof BANDS)[number];
export type Step = (typeof STEPS)[number];
export type Reason = z.infer<typeof Reason>;
export type RuleHit = z.infer<typeof RuleHit>;
export type GuardrailEffect = z.infer<typeof GuardrailEffect>;
export type EvidenceSummary = z.infer<typeof EvidenceSummary>;
export type Decision = z.infer<typeof Decision>;
