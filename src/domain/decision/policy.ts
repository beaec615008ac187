// The decision policy is data: PD bands, the ladder step per band, how rule hits escalate it,
// channels per step, priorities, contact guardrails and the backtest's alert definition.
import { z } from 'zod';
import { CONTACT_CHANNELS } from '../history/schema.js';
import { problemsOf, type FieldProblem } from '../history/validate.js';
import { BANDS, PRIORITIES, STEPS, STEP_CHANNELS } from './schema.js';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'expected a local time as HH:MM' });
const step = z.enum(STEPS);
const band = z.enum(BANDS);
const priority = z.enum(PRIORITIES);
const channel = z.enum(STEP_CHANNELS);
const contactChannel = z.enum(CONTACT_CHANNELS);

const perBand = <T extends z.ZodType>(t: T) => z.strictObject({ low: t, watch: t, elevated: t, high: t, critical: t });

export const StepSpec = z.strictObject({
  channel,
  /** Tried in order when the channel is opted out or would reach a third party. */
  fallbackChannels: z.array(channel).default([]),
  en: z.string().min(1),
  zh: z.string().min(1),
});

export const ContactRules = z.strictObject({
  /** Contact allowed from `start` (inclusive) to `end` (exclusive), local time in the loan's zone. */
  quietHours: z.strictObject({ start: hhmm, end: hhmm }),
  /** Channels the quiet hours apply to (a letter is not a contact in time). */
  quietHoursChannels: z.array(channel),
  /** Channels whose attempts count against the call caps. */
  callChannels: z.array(contactChannel),
  maxCallsPerDay: z.number().int().min(0),
  maxCallsPer7Days: z.number().int().min(0),
  honourOptOuts: z.boolean().default(true),
  /** Phone-based channels, avoided once a number is known to reach someone else (never contact third parties). */
  phoneChannels: z.array(channel).default(['sms', 'call', 'robocall']),
  avoidThirdParties: z.boolean().default(true),
});

export const PolicyShape = z
  .strictObject({
    version: z.string().min(1),
    description: z.string().optional(),
    /** Lower PD bound of each band; low starts at 0 and bounds increase. */
    bandMinPd: perBand(z.number().min(0).max(1)),
    /** The step when no rule asks for more. */
    bandSteps: perBand(step),
    bandPriority: perBand(priority),
    /** Priority when a referral-condition rule hits, and from rule severity. */
    referralPriority: priority,
    severityPriority: z.array(z.strictObject({ minSeverity: z.number().int().min(0).max(100), priority })).default([]),
    steps: z.strictObject(Object.fromEntries(STEPS.map((s) => [s, StepSpec])) as Record<(typeof STEPS)[number], typeof StepSpec>),
    /** While an agreed arrangement is being kept, the step goes no higher than this. */
    arrangementKeptMaxStep: step,
    /** What legal review becomes when no referral condition holds. */
    legalReviewFallback: step,
    contact: ContactRules,
    reasons: z.strictObject({ max: z.number().int().min(0).max(4), maxRuleReasons: z.number().int().min(0).max(4) }),
    /** The backtest's alert: a loan-day whose step is one of these, or whose band is at least minBand; one per episode. */
    alert: z.strictObject({ steps: z.array(step), minBand: band, cooldownDays: z.number().int().min(0) }),
  })
  .superRefine((p, ctx) => {
    if (p.bandMinPd.low !== 0) ctx.addIssue({ code: 'custom', path: ['bandMinPd', 'low'], message: 'the low band must start at 0' });
    for (let i = 1; i < BANDS.length; i++) {
      const b = BANDS[i]!;
      if (p.bandMinPd[b] <= p.bandMinPd[BANDS[i - 1]!]) ctx.addIssue({ code: 'custom', path: ['bandMinPd', b], message: `must be above ${BANDS[i - 1]}'s bound` });
    }
    const [s, e] = [p.contact.quietHours.start, p.contact.quietHours.end];
    if (s >= e) ctx.addIssue({ code: 'custom', path: ['contact', 'quietHours', 'end'], message: 'must be after start' });
  });

export type Policy = z.output<typeof PolicyShape>;
export type StepSpec = z.output<typeof StepSpec>;
export type ContactRules = z.output<typeof ContactRules>;

export class PolicyError extends Error {
  readonly source: string;
  readonly problems: readonly FieldProblem[];
  constructor(source: string, problems: readonly FieldProblem[]) {
    super(`invalid policy\n${problems.slice(0, 5).map((p) => `${source}: ${p.path}: ${p.message}`).join('\n')}`);
    this.name = 'PolicyError';
    this.source = source;
    this.problems = problems;
  }
}

export function parsePolicy(raw: unknown, source: string): Policy {
  const parsed = PolicyShape.safeParse(raw);
  if (!parsed.success) throw new PolicyError(source, problemsOf(parsed.error));
  return parsed.data;
}
