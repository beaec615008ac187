import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

fc.configureGlobal({ numRuns: Number(process.env.FC_RUNS ?? 200) });
import { dateToDay, dayToDate } from '../../../src/domain/history/calendar.js';
import { buildLedger, type Ledger } from '../../../src/domain/history/ledger.js';
import type { LoanEventInput, LoanHistory } from '../../../src/domain/history/schema.js';
import { buildTimeline } from '../../../src/domain/history/timeline.js';
import { mustParseHistory } from '../../../src/domain/history/validate.js';

const ORIGIN = dateToDay('2025-01-10');
const at = (day: number, hour = 10): string => `${dayToDate(day)}T${String(hour).padStart(2, '0')}:00:00+08:00`;
const endOf = (day: number): number => Date.parse(`${dayToDate(day)}T23:59:59+08:00`);

function loan(events: LoanEventInput[], instalments = 6, amount = 1000, maxOverdueDays = 90): LoanHistory {
  return mustParseHistory({
    loanId: 'L1',
    borrowerId: 'B1',
    contract: { originationDate: dayToDate(ORIGIN), principal: instalments * amount * 0.9, instalmentCount: instalments, maxOverdueDays },
    borrower: { occupation: 'construction' },
    schedule: Array.from({ length: instalments }, (_, i) => ({ seq: i + 1, dueDate: dayToDate(ORIGIN + 30 * (i + 1)), amountDue: amount })),
    events,
  });
}

const ledgerAt = (h: LoanHistory, day: number): Ledger => buildLedger(buildTimeline(h, endOf(day)));
const pay = (id: string, day: number, amount: number, recordedDay?: number): LoanEventInput => ({
  id,
  type: 'payment',
  at: at(day),
  amount,
  ...(recordedDay === undefined ? {} : { recordedAt: at(recordedDay, 11) }),
});

/** The part of a ledger that must not change (functions dropped). */
const snapshot = (l: Ledger) => ({ ...l, worstDpdSince: l.worstDpdSince(l.asOfDay - 90), pausedDays: l.pausedDays(l.asOfDay - 90, l.asOfDay) });

describe('DPD ledger: worked examples', () => {
  it('counts days since the oldest unpaid due date and allocates oldest first', () => {
    const h = loan([pay('p1', ORIGIN + 35, 1000)]);
    const l = ledgerAt(h, ORIGIN + 70); // instalment 1 paid 5 days late, instalment 2 due day 60 unpaid
    expect(l.dpd).toBe(10);
    expect(l.instalmentsOverdue).toBe(1);
    expect(l.overdueAmount).toBe(1000);
    expect(l.instalments[0]!.daysLate).toBe(5);
    expect(l.instalments[0]!.paidOffDay).toBe(ORIGIN + 35);
  });

  it('treats a shortfall of at most one unit as paid, and more as unpaid', () => {
    expect(ledgerAt(loan([pay('p1', ORIGIN + 30, 999)]), ORIGIN + 40).dpd).toBe(0);
    const short = ledgerAt(loan([pay('p1', ORIGIN + 30, 998.5)]), ORIGIN + 40);
    expect(short.dpd).toBe(10);
    expect(short.instalments[0]!.paid).toBeCloseTo(998.5);
  });

  it('a reversal re-opens the instalment it had settled', () => {
    const h = loan([pay('p1', ORIGIN + 30, 1000), { id: 'r1', type: 'payment_reversal', at: at(ORIGIN + 33), amount: 1000, reversesId: 'p1' }]);
    expect(ledgerAt(h, ORIGIN + 32).dpd).toBe(0);
    expect(ledgerAt(h, ORIGIN + 45).dpd).toBe(15);
  });

  it('days inside an agreed grace period do not count, and the clock restarts when it is broken', () => {
    const grace: LoanEventInput = { id: 'g1', type: 'arrangement_agreed', at: at(ORIGIN + 40), arrangementId: 'A1', kind: 'grace', graceUntil: dayToDate(ORIGIN + 60) };
    const h = loan([grace]);
    // due day 30; days 31..39 count (9), 40..60 paused, 61..70 count (10)
    expect(ledgerAt(h, ORIGIN + 70).dpd).toBe(19);
    expect(ledgerAt(h, ORIGIN + 50).activePause?.kind).toBe('grace');
    const broken = loan([grace, { id: 'b1', type: 'arrangement_broken', at: at(ORIGIN + 45), arrangementId: 'A1' }]);
    // paused 40..44 only: 40 days late minus 5
    expect(ledgerAt(broken, ORIGIN + 70).dpd).toBe(35);
    expect(ledgerAt(broken, ORIGIN + 50).activePause).toBeNull();
  });

  it('uses a statement-reported DPD when the source only reports status', () => {
    const h = mustParseHistory({
      loanId: 'C1',
      borrowerId: 'B1',
      contract: { kind: 'revolving', originationDate: '2005-04-01', principal: 20000, instalmentCount: 1, creditLimit: 20000 },
      borrower: {},
      events: [
        { id: 's1', type: 'statement', at: '2005-08-31T23:00:00+08:00', balance: 3000, minimumDue: 300, monthsLate: 2 },
        { id: 's2', type: 'statement', at: '2005-09-30T23:00:00+08:00', balance: 3100, minimumDue: 300, reportedDpd: 0, status: 'minimum_paid' },
      ],
    });
    const l = buildLedger(buildTimeline(h, Date.parse('2005-09-30T23:30:00+08:00')));
    expect(l.dpd).toBe(0);
    expect(l.worstDpdSince(dateToDay('2005-08-01'))).toBe(60);
    const before = buildLedger(buildTimeline(h, Date.parse('2005-09-10T12:00:00+08:00')));
    expect(before.dpd).toBe(60 + 10);
  });

  it('reads days in the loan\'s own calendar', () => {
    // Paid at 23:30 Beijing time on the due date (15:30 UTC): on time locally.
    const h = loan([{ id: 'p1', type: 'payment', at: `${dayToDate(ORIGIN + 30)}T15:30:00Z`, amount: 1000 }]);
    expect(ledgerAt(h, ORIGIN + 31).instalments[0]!.daysLate).toBe(0);
  });
});

// Arbitrary event streams over a 6-instalment loan: payments, reversals, grace and plans, breaks.
const dayArb = fc.integer({ min: 0, max: 250 });
const eventArb: fc.Arbitrary<LoanEventInput> = fc.oneof(
  fc.record({ d: dayArb, amount: fc.integer({ min: 1, max: 2500 }), lag: fc.integer({ min: 0, max: 5 }) }).map(({ d, amount, lag }) => ({
    id: '',
    type: 'payment' as const,
    at: at(ORIGIN + d),
    recordedAt: at(ORIGIN + d + lag, 12),
    amount,
  })),
  fc.record({ d: dayArb, amount: fc.integer({ min: 1, max: 800 }) }).map(({ d, amount }) => ({ id: '', type: 'payment_reversal' as const, at: at(ORIGIN + d), amount })),
  fc.record({ d: dayArb, len: fc.integer({ min: 1, max: 40 }), a: fc.integer({ min: 1, max: 3 }) }).map(({ d, len, a }) => ({
    id: '',
    type: 'arrangement_agreed' as const,
    at: at(ORIGIN + d),
    arrangementId: `A${a}`,
    kind: 'grace' as const,
    graceUntil: dayToDate(ORIGIN + d + len),
  })),
  fc.record({ d: dayArb, a: fc.integer({ min: 1, max: 3 }) }).map(({ d, a }) => ({ id: '', type: 'arrangement_broken' as const, at: at(ORIGIN + d), arrangementId: `A${a}` })),
);
const eventsArb = fc.array(eventArb, { maxLength: 25 }).map((es) => es.map((e, i) => ({ ...e, id: `e${i}` })));

describe('DPD ledger: laws', () => {
  it('DPD is never negative and overdue amounts are consistent', () => {
    fc.assert(
      fc.property(eventsArb, dayArb, (events, d) => {
        const l = ledgerAt(loan(events), ORIGIN + d);
        expect(l.dpd).toBeGreaterThanOrEqual(0);
        expect(l.overdueAmount).toBeGreaterThanOrEqual(0);
        expect(l.instalmentsOverdue === 0).toBe(l.overdueAmount === 0);
        expect(l.worstDpdSince(ORIGIN)).toBeGreaterThanOrEqual(l.dpd);
      }),
    );
  });

  it('paying the full overdue amount at T makes DPD 0 at T', () => {
    fc.assert(
      fc.property(eventsArb, fc.integer({ min: 31, max: 250 }), (events, d) => {
        const h = loan(events);
        const before = ledgerAt(h, ORIGIN + d);
        fc.pre(before.overdueAmount > 0);
        const cure = pay('cure', ORIGIN + d, before.overdueAmount);
        const after = ledgerAt(loan([...events, cure]), ORIGIN + d);
        expect(after.dpd).toBe(0);
        expect(after.instalmentsOverdue).toBe(0);
      }),
    );
  });

  it('appending events after T (by happened-at or recorded-at) never changes anything at T', () => {
    fc.assert(
      fc.property(eventsArb, eventsArb, dayArb, fc.boolean(), (events, later, d, byRecording) => {
        const T = ORIGIN + d;
        const appended = later.map((e, i) => {
          const id = `late${i}`;
          return byRecording
            ? { ...e, id, recordedAt: at(T + 1 + (i % 5), 9) } // happened any time, recorded after T
            : { ...e, id, at: at(T + 1 + (i % 30)), ...(e.type === 'payment' ? { recordedAt: at(T + 1 + (i % 30), 12) } : {}) };
        }) as LoanEventInput[];
        expect(snapshot(ledgerAt(loan([...events, ...appended]), T))).toEqual(snapshot(ledgerAt(loan(events), T)));
      }),
    );
  });

  it('the input order of events never matters', () => {
    fc.assert(
      fc.property(eventsArb.chain((es) => fc.tuple(fc.constant(es), fc.shuffledSubarray(es, { minLength: es.length, maxLength: es.length }))), dayArb, ([events, shuffled], d) => {
        expect(snapshot(ledgerAt(loan(shuffled), ORIGIN + d))).toEqual(snapshot(ledgerAt(loan(events), ORIGIN + d)));
      }),
    );
  });

  it('a duplicate event id counts once', () => {
    fc.assert(
      fc.property(eventsArb, fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), dayArb, (events, picks, d) => {
        fc.pre(events.length > 0);
        const dupes = picks.map((p) => events[p % events.length]!);
        expect(snapshot(ledgerAt(loan([...events, ...dupes]), ORIGIN + d))).toEqual(snapshot(ledgerAt(loan(events), ORIGIN + d)));
      }),
    );
  });
});
