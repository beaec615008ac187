// The loan-history contract: the one source of every input shape (types, validation, JSON Schema).
// Objects are strict: an unknown field is an error naming it, because a misspelt optional field
// (say `recordAt`) silently ignored would break point-in-time correctness. Lenders put their own
// extras under `meta` (any JSON, never read by the engine) or, for model inputs, `borrower.attributes`.
import { z } from 'zod';

export const SCHEMA_VERSION = 1;

const localDate = z.iso.date({ error: 'expected a date as YYYY-MM-DD' });
const instant = z.iso.datetime({ offset: true, error: 'expected an ISO 8601 date-time with offset, e.g. 2025-03-01T09:30:00+08:00' });
const money = z.number({ error: 'expected a number' }).finite().positive({ error: 'expected a positive number' });
const nonNegativeMoney = z.number({ error: 'expected a number' }).finite().nonnegative({ error: 'expected a number >= 0' });
const count = z.number({ error: 'expected an integer' }).int({ error: 'expected an integer' }).nonnegative({ error: 'expected an integer >= 0' });
const id = z.string().min(1, { error: 'expected a non-empty string' }).max(128, { error: 'expected at most 128 characters' });
const meta = z.record(z.string(), z.unknown()).optional();

export const TIME_ZONE_DEFAULT = 'Asia/Shanghai';

// Constructing an Intl.DateTimeFormat was a third of parsing a typical history; valid zone names are
// few, so they are remembered (invalid ones are not, so bad input cannot grow the set).
const knownZones = new Set<string>();

function isTimeZone(zone: string): boolean {
  if (knownZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    knownZones.add(zone);
    return true;
  } catch {
    return false;
  }
}

export const OCCUPATIONS = [
  'construction',
  'factory',
  'logistics_delivery',
  'food_service',
  'domestic_cleaning',
  'security_guard',
  'ride_hailing',
  'seasonal_farm',
  'other',
  'unknown',
] as const;
export const PAY_FREQUENCIES = ['monthly', 'semi_monthly', 'weekly', 'daily'] as const;
export const CONTACT_CHANNELS = ['sms', 'call', 'robocall', 'app', 'letter', 'visit'] as const;
export const CONTACT_OUTCOMES = ['delivered', 'answered', 'no_answer', 'busy', 'refused', 'wrong_number', 'switched_off'] as const;
export const HARDSHIP_REASONS = ['job_loss', 'wage_arrears', 'illness_injury', 'family_emergency', 'seasonal_gap', 'disaster', 'other'] as const;
export const ARRANGEMENT_KINDS = ['grace', 'plan'] as const;
export const CONTACT_DETAILS = ['phone', 'address', 'employer', 'bank_account'] as const;
export const EMPLOYMENT_CHANGES = ['new_employer', 'job_loss', 'self_employed', 'occupation_change'] as const;
export const REFERRAL_REASONS = ['max_overdue', 'refused_contact', 'unreasonable_plan', 'broken_arrangement', 'fraud', 'other'] as const;
export const CLOSE_REASONS = ['repaid', 'settled', 'written_off'] as const;
export const STATEMENT_STATUSES = ['no_balance', 'paid_in_full', 'minimum_paid', 'delinquent'] as const;

export const AttributeValue = z.union([z.number().finite(), z.string().max(256)]);

export const Borrower = z.strictObject({
  occupation: z.enum(OCCUPATIONS).default('unknown'),
  age: z.number().int().min(16).max(100).optional(),
  monthlyIncome: nonNegativeMoney.optional(),
  payFrequency: z.enum(PAY_FREQUENCIES).optional(),
  /** Day of month wages usually arrive (monthly / semi-monthly pay). */
  payday: z.number().int().min(1).max(31).optional(),
  employerTenureMonths: z.number().finite().nonnegative().optional(),
  migrant: z.boolean().optional(),
  dependents: count.max(20).optional(),
  priorLoans: count.optional(),
  priorWorstDpd: count.optional(),
  /** Lender-declared attributes (e.g. bureau fields); a feature configuration names the ones a model uses. */
  attributes: z.record(z.string().min(1).max(64), AttributeValue).default({}),
  meta,
});

export const Contract = z.strictObject({
  product: z.string().max(64).optional(),
  kind: z.enum(['instalment', 'revolving']).default('instalment'),
  originationDate: localDate,
  principal: money,
  instalmentCount: z.number().int().min(1).max(600),
  /** Annual percentage rate as a fraction (0.24 = 24%). */
  apr: z.number().finite().min(0).max(10).optional(),
  fees: nonNegativeMoney.optional(),
  creditLimit: money.optional(),
  maxOverdueDays: z.number().int().min(1).max(3650).default(90),
});

export const Instalment = z.strictObject({
  seq: z.number().int().min(1),
  dueDate: localDate,
  amountDue: money,
  principalDue: nonNegativeMoney.optional(),
});

const eventBase = {
  id,
  /** When it happened. */
  at: instant,
  /** When the lender recorded it (defaults to `at`); point-in-time views need both. */
  recordedAt: instant.optional(),
  meta,
};

const PlanInstalment = z.strictObject({ dueDate: localDate, amount: money });

export const PaymentEvent = z.strictObject({ ...eventBase, type: z.literal('payment'), amount: money, channel: z.string().max(32).optional() });
export const PaymentReversalEvent = z.strictObject({ ...eventBase, type: z.literal('payment_reversal'), amount: money, reversesId: id.optional() });
export const StatementEvent = z.strictObject({
  ...eventBase,
  type: z.literal('statement'),
  balance: z.number().finite(),
  minimumDue: nonNegativeMoney,
  /** Days past due as the source reports it. */
  reportedDpd: count.optional(),
  /** Months late as the source reports it (converted at 30 days a month when no reportedDpd). */
  monthsLate: count.optional(),
  status: z.enum(STATEMENT_STATUSES).optional(),
  creditLimit: money.optional(),
});
export const ContactEvent = z.strictObject({
  ...eventBase,
  type: z.literal('contact'),
  channel: z.enum(CONTACT_CHANNELS),
  direction: z.enum(['outbound', 'inbound']).default('outbound'),
  outcome: z.enum(CONTACT_OUTCOMES),
  /** True for a contact with a third party (never allowed by policy; recorded for audit). */
  thirdParty: z.boolean().optional(),
});
export const OptOutEvent = z.strictObject({ ...eventBase, type: z.literal('opt_out'), channel: z.enum(CONTACT_CHANNELS) });
export const PromiseToPayEvent = z.strictObject({ ...eventBase, type: z.literal('promise_to_pay'), amount: money, promisedDate: localDate });
export const HardshipEvent = z.strictObject({ ...eventBase, type: z.literal('hardship_reported'), reason: z.enum(HARDSHIP_REASONS) });
export const ArrangementOfferedEvent = z.strictObject({
  ...eventBase,
  type: z.literal('arrangement_offered'),
  arrangementId: id,
  kind: z.enum(ARRANGEMENT_KINDS),
  /** Who proposed it: a borrower's proposal can be unreasonable, a referral condition. */
  proposedBy: z.enum(['lender', 'borrower']).default('lender'),
  graceUntil: localDate.optional(),
  plan: z.array(PlanInstalment).max(120).optional(),
});
export const ArrangementAgreedEvent = z.strictObject({
  ...eventBase,
  type: z.literal('arrangement_agreed'),
  arrangementId: id,
  kind: z.enum(ARRANGEMENT_KINDS),
  graceUntil: localDate.optional(),
  plan: z.array(PlanInstalment).max(120).optional(),
});
export const ArrangementBrokenEvent = z.strictObject({ ...eventBase, type: z.literal('arrangement_broken'), arrangementId: id });
export const ContactDetailsChangedEvent = z.strictObject({ ...eventBase, type: z.literal('contact_details_changed'), field: z.enum(CONTACT_DETAILS) });
export const EmploymentChangedEvent = z.strictObject({
  ...eventBase,
  type: z.literal('employment_changed'),
  change: z.enum(EMPLOYMENT_CHANGES),
  occupation: z.enum(OCCUPATIONS).optional(),
});
export const LegalReferralEvent = z.strictObject({ ...eventBase, type: z.literal('legal_referral'), reason: z.enum(REFERRAL_REASONS) });
export const ClosedEvent = z.strictObject({ ...eventBase, type: z.literal('closed'), reason: z.enum(CLOSE_REASONS) });

export const EVENT_SCHEMAS = {
  payment: PaymentEvent,
  payment_reversal: PaymentReversalEvent,
  statement: StatementEvent,
  contact: ContactEvent,
  opt_out: OptOutEvent,
  promise_to_pay: PromiseToPayEvent,
  hardship_reported: HardshipEvent,
  arrangement_offered: ArrangementOfferedEvent,
  arrangement_agreed: ArrangementAgreedEvent,
  arrangement_broken: ArrangementBrokenEvent,
  contact_details_changed: ContactDetailsChangedEvent,
  employment_changed: EmploymentChangedEvent,
  legal_referral: LegalReferralEvent,
  closed: ClosedEvent,
} as const;

export type EventType = keyof typeof EVENT_SCHEMAS;
export const EVENT_TYPES = Object.keys(EVENT_SCHEMAS) as EventType[];

export const LoanEvent = z.discriminatedUnion('type', [
  PaymentEvent,
  PaymentReversalEvent,
  StatementEvent,
  ContactEvent,
  OptOutEvent,
  PromiseToPayEvent,
  HardshipEvent,
  ArrangementOfferedEvent,
  ArrangementAgreedEvent,
  ArrangementBrokenEvent,
  ContactDetailsChangedEvent,
  EmploymentChangedEvent,
  LegalReferralEvent,
  ClosedEvent,
], { error: (issue) => (issue.code === 'invalid_union' ? `unknown event type; expected one of: ${EVENT_TYPES.join(', ')}` : undefined) });

export const LoanHistory = z
  .strictObject({
    schemaVersion: z.literal(SCHEMA_VERSION).default(SCHEMA_VERSION),
    loanId: id,
    borrowerId: id,
    timeZone: z.string().refine(isTimeZone, { error: 'expected an IANA time zone, e.g. Asia/Shanghai' }).default(TIME_ZONE_DEFAULT),
    currency: z.string().regex(/^[A-Z]{3}$/, { error: 'expected an ISO 4217 code, e.g. CNY' }).default('CNY'),
    contract: Contract,
    borrower: Borrower,
    schedule: z.array(Instalment).max(600).default([]),
    events: z.array(LoanEvent).max(100_000).default([]),
    meta,
  })
  .superRefine((h, ctx) => {
    const seen = new Set<number>();
    h.schedule.forEach((inst, i) => {
      if (seen.has(inst.seq)) ctx.addIssue({ code: 'custom', path: ['schedule', i, 'seq'], message: `duplicate instalment seq ${inst.seq}` });
      seen.add(inst.seq);
    });
  });

export const LabelledSnapshot = z.strictObject({
  asOf: instant,
  /** 1 = referral-grade delinquency within the horizon; omitted when it is derived from the history. */
  label: z.union([z.literal(0), z.literal(1)]).optional(),
  horizonDays: z.number().int().min(1).max(3650).optional(),
  history: LoanHistory,
});

export type LoanHistory = z.output<typeof LoanHistory>;
export type LoanHistoryInput = z.input<typeof LoanHistory>;
export type LoanEvent = z.output<typeof LoanEvent>;
export type LoanEventInput = z.input<typeof LoanEvent>;
export type Instalment = z.output<typeof Instalment>;
export type Borrower = z.output<typeof Borrower>;
export type Contract = z.output<typeof Contract>;
export type LabelledSnapshot = z.output<typeof LabelledSnapshot>;
export type Occupation = (typeof OCCUPATIONS)[number];
export type PayFrequency = (typeof PAY_FREQUENCIES)[number];
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];
export type HardshipReason = (typeof HARDSHIP_REASONS)[number];
export type EventOf<T extends EventType> = Extract<LoanEvent, { type: T }>;
