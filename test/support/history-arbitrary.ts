// fast-check arbitraries for loan histories: every event type, late recordings, reversals,
// arrangements, statements. Reusable by any helper that needs random but valid histories.
import fc from 'fast-check';
import { dateToDay, dayToDate, DAY_MS } from '../../src/domain/history/calendar.js';
import {
  CONTACT_CHANNELS,
  CONTACT_DETAILS,
  CONTACT_OUTCOMES,
  HARDSHIP_REASONS,
  LoanHistory,
  type LoanEventInput,
  type LoanHistoryInput,
} from '../../src/domain/history/schema.js';

export const ORIGIN_DAY = dateToDay('2024-06-01');
const ZONES = ['Asia/Shanghai', 'UTC', 'America/New_York'] as const;

export interface ArbitraryOptions {
  maxEvents?: number;
  /** Span of event days after origination. */
  spanDays?: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function eventArb(originMs: number, spanDays: number, arrangementIds: readonly string[]): fc.Arbitrary<LoanEventInput> {
  const minute = fc.integer({ min: -2 * 24 * 60, max: spanDays * 24 * 60 });
  const base = fc.record({
    id: fc.string({ minLength: 1, maxLength: 6, unit: fc.constantFrom('a', 'b', 'c', 'd', 'e', '1', '2', '3') }),
    atMin: minute,
    delayMin: fc.option(fc.integer({ min: 0, max: 12 * 24 * 60 }), { nil: undefined }),
  });
  const dayOf = (m: number): string => dayToDate(Math.floor((originMs + m * 60_000) / DAY_MS));
  const money = fc.integer({ min: 1, max: 2000 });
  const body = fc.oneof(
    { weight: 6, arbitrary: money.map((amount) => ({ type: 'payment' as const, amount })) },
    { weight: 1, arbitrary: money.map((amount) => ({ type: 'payment_reversal' as const, amount })) },
    {
      weight: 2,
      arbitrary: fc.record({
        type: fc.constant('statement' as const),
        balance: fc.integer({ min: -100, max: 20000 }),
        minimumDue: fc.integer({ min: 0, max: 500 }),
        reportedDpd: fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
        monthsLate: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
        status: fc.option(fc.constantFrom('no_balance', 'paid_in_full', 'minimum_paid', 'delinquent' as const), { nil: undefined }),
        creditLimit: fc.option(fc.integer({ min: 1000, max: 50000 }), { nil: undefined }),
      }),
    },
    {
      weight: 5,
      arbitrary: fc.record({
        type: fc.constant('contact' as const),
        channel: fc.constantFrom(...CONTACT_CHANNELS),
        direction: fc.constantFrom('outbound', 'inbound' as const),
        outcome: fc.constantFrom(...CONTACT_OUTCOMES),
        thirdParty: fc.option(fc.boolean(), { nil: undefined }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('opt_out' as const), channel: fc.constantFrom(...CONTACT_CHANNELS) }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('promise_to_pay' as const), amount: money, promisedInDays: fc.integer({ min: 0, max: 20 }) }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('hardship_reported' as const), reason: fc.constantFrom(...HARDSHIP_REASONS) }) },
    {
      weight: 1,
      arbitrary: fc.record({
        type: fc.constant('arrangement_agreed' as const),
        arrangementId: fc.constantFrom(...arrangementIds),
        kind: fc.constantFrom('grace', 'plan' as const),
        lengthDays: fc.integer({ min: 0, max: 60 }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('arrangement_broken' as const), arrangementId: fc.constantFrom(...arrangementIds) }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('contact_details_changed' as const), field: fc.constantFrom(...CONTACT_DETAILS) }) },
    { weight: 1, arbitrary: fc.constant({ type: 'employment_changed' as const, change: 'new_employer' as const }) },
    { weight: 1, arbitrary: fc.constant({ type: 'legal_referral' as const, reason: 'max_overdue' as const }) },
  );
  return fc.tuple(base, body).map(([b, x]) => {
    const atMs = originMs + b.atMin * 60_000;
    const common = { id: b.id, at: iso(atMs), ...(b.delayMin === undefined ? {} : { recordedAt: iso(atMs + b.delayMin * 60_000) }) };
    const day = dayOf(b.atMin);
    switch (x.type) {
      case 'promise_to_pay':
        return { ...common, type: x.type, amount: x.amount, promisedDate: dayToDate(dateToDay(day) + x.promisedInDays) };
      case 'arrangement_agreed': {
        const until = dayToDate(dateToDay(day) + x.lengthDays);
        return x.kind === 'grace'
          ? { ...common, type: x.type, arrangementId: x.arrangementId, kind: x.kind, graceUntil: until }
          : { ...common, type: x.type, arrangementId: x.arrangementId, kind: x.kind, plan: [{ dueDate: until, amount: 100 }] };
      }
      case 'statement': {
        const { type, balance, minimumDue, reportedDpd, monthsLate, status, creditLimit } = x;
        return {
          ...common,
          type,
          balance,
          minimumDue,
          ...(reportedDpd === undefined ? {} : { reportedDpd }),
          ...(monthsLate === undefined ? {} : { monthsLate }),
          ...(status === undefined ? {} : { status }),
          ...(creditLimit === undefined ? {} : { creditLimit }),
        };
      }
      case 'contact': {
        const { thirdParty, ...rest } = x;
        return { ...common, ...rest, ...(thirdParty === undefined ? {} : { thirdParty }) };
      }
      default:
        return { ...common, ...x } as LoanEventInput;
    }
  });
}

/** A valid loan history with monthly instalments and random events around them. */
export function historyArb(options: ArbitraryOptions = {}): fc.Arbitrary<LoanHistory> {
  const spanDays = options.spanDays ?? 420;
  return fc
    .record({
      zone: fc.constantFrom(...ZONES),
      originOffset: fc.integer({ min: 0, max: 400 }),
      instalments: fc.integer({ min: 0, max: 14 }),
      amount: fc.integer({ min: 50, max: 1500 }),
      maxOverdueDays: fc.constantFrom(30, 60, 90),
      kind: fc.constantFrom('instalment', 'revolving' as const),
      payday: fc.option(fc.integer({ min: 1, max: 31 }), { nil: undefined }),
      attributes: fc.dictionary(fc.constantFrom('bureau', 'region', 'limit'), fc.oneof(fc.integer({ min: 0, max: 900 }), fc.constantFrom('north', 'south', 'x'))),
    })
    .chain((h) => {
      const originDay = ORIGIN_DAY + h.originOffset;
      const originMs = originDay * DAY_MS;
      return fc.array(eventArb(originMs, spanDays, ['A1', 'A2', 'A3']), { maxLength: options.maxEvents ?? 40 }).map((events) => {
        const input: LoanHistoryInput = {
          loanId: 'L1',
          borrowerId: 'B1',
          timeZone: h.zone,
          contract: {
            originationDate: dayToDate(originDay),
            principal: Math.max(1, h.amount * Math.max(1, h.instalments)),
            instalmentCount: Math.max(1, h.instalments),
            kind: h.kind,
            maxOverdueDays: h.maxOverdueDays,
            ...(h.kind === 'revolving' ? { creditLimit: 10000 } : {}),
          },
          borrower: { occupation: 'factory', payFrequency: 'monthly', ...(h.payday === undefined ? {} : { payday: h.payday }), monthlyIncome: 5000, attributes: h.attributes },
          schedule: Array.from({ length: h.instalments }, (_, i) => ({ seq: i + 1, dueDate: dayToDate(originDay + 30 * (i + 1)), amountDue: h.amount })),
          events,
        };
        return LoanHistory.parse(input);
      });
    });
}

/** An as-of instant somewhere in a history's life (ms). */
export function asOfArb(history: LoanHistory, spanDays = 420): fc.Arbitrary<number> {
  const originMs = dateToDay(history.contract.originationDate) * DAY_MS;
  return fc.integer({ min: -1440, max: spanDays * 1440 }).map((m) => originMs + m * 60_000 + 37_000);
}

/** A history and an as-of instant for it. */
export function historyAtArb(options: ArbitraryOptions = {}): fc.Arbitrary<{ history: LoanHistory; asOf: number }> {
  return historyArb(options).chain((history) => asOfArb(history, options.spanDays).map((asOf) => ({ history, asOf })));
}
