// Test histories from a few words: makeHistory({ missedInstalments: 2 }) beats a 500-line fixture.
// Dates are local dates in the loan's zone (default Asia/Shanghai, +08:00); instants are built at
// a local wall-clock time. Every history goes through the zod schema, so defaults apply as in production.
import { civilToDay, dateToDay, dayToCivil, dayToDate, localToInstant } from '../../src/domain/history/calendar.js';
import { LoanHistory, type LoanEventInput, type LoanHistoryInput } from '../../src/domain/history/schema.js';

export interface HistoryOptions {
  loanId?: string;
  borrowerId?: string;
  timeZone?: string;
  originationDate?: string;
  /** Number of instalments (monthly, on the origination day of month, capped at 28). */
  instalments?: number;
  amountDue?: number;
  principal?: number;
  maxOverdueDays?: number;
  kind?: 'instalment' | 'revolving';
  creditLimit?: number;
  /** Payments are generated for instalments due on or before this date (default: origination + 365 days). */
  paidThrough?: string;
  /** The last N instalments due by `paidThrough` get no payment. */
  missedInstalments?: number;
  /** Days late for each paid instalment: one number for all, or one per instalment (by seq - 1). */
  daysLate?: number | readonly number[];
  /** Fraction of each instalment paid (1 = in full). */
  paidFraction?: number;
  /** Record payments this many days after they happened (point-in-time tests). */
  recordDelayDays?: number;
  borrower?: Partial<LoanHistoryInput['borrower']>;
  events?: readonly LoanEventInput[];
}

let idCounter = 0;
const nextId = (prefix: string): string => `${prefix}-${++idCounter}`;

/** ISO instant for a local date and wall-clock time in a zone. */
export function instantOf(date: string, time = '10:00', zone = 'Asia/Shanghai'): string {
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const ms = localToInstant(dateToDay(date), hh * 60 + mm, zone);
  return new Date(ms).toISOString();
}

/** Epoch ms of the end of a local date (23:59:59.999) in a zone: the usual as-of instant in tests. */
export function endOfDay(date: string, zone = 'Asia/Shanghai'): number {
  return localToInstant(dateToDay(date) + 1, 0, zone) - 1;
}

export function addDays(date: string, days: number): string {
  return dayToDate(dateToDay(date) + days);
}

export function addMonths(date: string, months: number): string {
  const c = dayToCivil(dateToDay(date));
  const m0 = c.month - 1 + months;
  const y = c.year + Math.floor(m0 / 12);
  const m = (((m0 % 12) + 12) % 12) + 1;
  return dayToDate(civilToDay(y, m, Math.min(c.day, 28)));
}

export function makeHistory(options: HistoryOptions = {}): LoanHistory {
  const zone = options.timeZone ?? 'Asia/Shanghai';
  const origination = options.originationDate ?? '2025-03-01';
  const n = options.instalments ?? 12;
  const amountDue = options.amountDue ?? 500;
  const schedule = Array.from({ length: n }, (_, i) => ({ seq: i + 1, dueDate: addMonths(origination, i + 1), amountDue }));
  const paidThrough = dateToDay(options.paidThrough ?? addDays(origination, 365));
  // Revolving loans have no schedule, hence no generated payments: pass them as events.
  const dueByThen = options.kind === 'revolving' ? [] : schedule.filter((s) => dateToDay(s.dueDate) <= paidThrough);
  const missed = options.missedInstalments ?? 0;
  const paid = dueByThen.slice(0, Math.max(0, dueByThen.length - missed));
  const events: LoanEventInput[] = [];
  for (const s of paid) {
    const late = typeof options.daysLate === 'number' ? options.daysLate : (options.daysLate?.[s.seq - 1] ?? 0);
    const day = addDays(s.dueDate, late);
    if (dateToDay(day) > paidThrough) continue;
    const at = instantOf(day, '12:00', zone);
    const recordedAt = options.recordDelayDays === undefined ? undefined : instantOf(addDays(day, options.recordDelayDays), '12:00', zone);
    events.push({ id: nextId('pay'), type: 'payment', at, ...(recordedAt === undefined ? {} : { recordedAt }), amount: Math.round(amountDue * (options.paidFraction ?? 1) * 100) / 100 });
  }
  events.push(...(options.events ?? []));
  const input: LoanHistoryInput = {
    loanId: options.loanId ?? nextId('loan'),
    borrowerId: options.borrowerId ?? nextId('borrower'),
    timeZone: zone,
    contract: {
      originationDate: origination,
      principal: options.principal ?? amountDue * n * 0.9,
      instalmentCount: n,
      kind: options.kind ?? 'instalment',
      ...(options.creditLimit === undefined ? {} : { creditLimit: options.creditLimit }),
      maxOverdueDays: options.maxOverdueDays ?? 90,
    },
    borrower: { occupation: 'construction', age: 34, monthlyIncome: 6000, payFrequency: 'monthly', payday: 10, migrant: true, ...options.borrower },
    schedule: options.kind === 'revolving' ? [] : schedule,
    events,
  };
  return LoanHistory.parse(input);
}

/** Event builders with fresh ids; `date` is a local date, `time` a local wall-clock time. */
export const ev = {
  payment: (date: string, amount: number, time = '12:00'): LoanEventInput => ({ id: nextId('pay'), type: 'payment', at: instantOf(date, time), amount }),
  reversal: (date: string, amount: number): LoanEventInput => ({ id: nextId('rev'), type: 'payment_reversal', at: instantOf(date), amount }),
  contact: (
    date: string,
    outcome: 'delivered' | 'answered' | 'no_answer' | 'busy' | 'refused' | 'wrong_number' | 'switched_off',
    channel: 'sms' | 'call' | 'robocall' | 'app' | 'letter' | 'visit' = 'call',
    direction: 'outbound' | 'inbound' = 'outbound',
  ): LoanEventInput => ({ id: nextId('contact'), type: 'contact', at: instantOf(date, '11:00'), channel, direction, outcome }),
  promise: (date: string, promisedDate: string, amount: number): LoanEventInput => ({ id: nextId('ptp'), type: 'promise_to_pay', at: instantOf(date, '11:30'), promisedDate, amount }),
  hardship: (date: string, reason: 'job_loss' | 'wage_arrears' | 'illness_injury' | 'family_emergency' | 'seasonal_gap' | 'disaster' | 'other'): LoanEventInput => ({
    id: nextId('hardship'),
    type: 'hardship_reported',
    at: instantOf(date, '11:40'),
    reason,
  }),
  grace: (date: string, graceUntil: string, arrangementId = nextId('arr')): LoanEventInput => ({ id: nextId('agreed'), type: 'arrangement_agreed', at: instantOf(date, '14:00'), arrangementId, kind: 'grace', graceUntil }),
  broken: (date: string, arrangementId: string): LoanEventInput => ({ id: nextId('broken'), type: 'arrangement_broken', at: instantOf(date, '15:00'), arrangementId }),
  detailsChanged: (date: string, field: 'phone' | 'address' | 'employer' | 'bank_account'): LoanEventInput => ({ id: nextId('details'), type: 'contact_details_changed', at: instantOf(date, '09:00'), field }),
  employmentChanged: (date: string): LoanEventInput => ({ id: nextId('employment'), type: 'employment_changed', at: instantOf(date, '09:00'), change: 'new_employer' }),
  referral: (date: string): LoanEventInput => ({ id: nextId('referral'), type: 'legal_referral', at: instantOf(date, '16:00'), reason: 'max_overdue' }),
  closed: (date: string, reason: 'repaid' | 'settled' | 'written_off' = 'repaid'): LoanEventInput => ({ id: nextId('closed'), type: 'closed', at: instantOf(date, '17:00'), reason }),
  statement: (
    date: string,
    fields: { balance: number; minimumDue?: number; reportedDpd?: number; monthsLate?: number; status?: 'no_balance' | 'paid_in_full' | 'minimum_paid' | 'delinquent'; creditLimit?: number },
  ): LoanEventInput => ({ id: nextId('stmt'), type: 'statement', at: instantOf(date, '00:30'), minimumDue: 0, ...fields }),
};
