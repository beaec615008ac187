// The legal review's evidence summary read without the full timeline (evidenceAt) must equal the one
// read from it (evidenceOf) whenever it answers, and answer whenever no event id repeats, in any order.
// Read off the feature scan's facts (evidenceCountsOf) it must equal it always.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evidenceAt, evidenceCountsOf, evidenceOf, evidenceSummary } from '../../../src/domain/decision/evidence.js';
import { LoanScan } from '../../../src/domain/features/scan.js';
import { buildLedger } from '../../../src/domain/history/ledger.js';
import type { LoanHistory } from '../../../src/domain/history/schema.js';
import { buildTimeline } from '../../../src/domain/history/timeline.js';
import { historyAtArb } from '../../support/history-arbitrary.js';
import { call, loan, pay, promise, sh } from '../../support/rules-history.js';

const ms = (iso: string) => Date.parse(iso);
const inOrder = (h: LoanHistory): LoanHistory => ({ ...h, events: [...h.events].sort((a, b) => ms(a.at) - ms(b.at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) });
const full = (h: LoanHistory, asOf: number) => {
  const t = buildTimeline(h, asOf);
  return evidenceOf(t, buildLedger(t));
};

describe('evidenceAt', () => {
  it('equals evidenceOf over the full timeline whenever it answers, and answers for histories without re-sent ids in any order', () => {
    fc.assert(
      fc.property(historyAtArb({ maxEvents: 60 }), fc.boolean(), ({ history, asOf }, sorted) => {
        const h = sorted ? inOrder(history) : history;
        const direct = evidenceAt(h, asOf);
        const unique = new Set(h.events.map((e) => e.id)).size === h.events.length;
        if (unique) expect(direct).not.toBeNull();
        if (direct !== null) expect(JSON.stringify(direct)).toBe(JSON.stringify(full(h, asOf)));
      }),
      { numRuns: 400 },
    );
  });

  it('reads reversed input as in-order input, and declines re-sent ids', () => {
    const h = loan({ events: [pay('2025-02-01T09:00:00+08:00'), call('2025-03-01T10:00:00+08:00', 'refused')] });
    const asOf = sh('2025-06-02', '10:00');
    expect(evidenceAt(h, asOf)).toMatchObject({ refusals: 1, contactAttempts: 1, lastPaymentAt: '2025-02-01T09:00:00+08:00' });
    expect(evidenceAt({ ...h, events: [...h.events].reverse() }, asOf)).toEqual(evidenceAt(h, asOf));
    expect(evidenceAt({ ...h, events: [...h.events, { ...h.events[1]!, at: '2025-03-02T10:00:00+08:00' }] }, asOf)).toBeNull();
  });
});

/** The history with cents on every scheduled and paid amount, so that the overdue amount's rounding is tried. */
function withCents(h: LoanHistory, cents: readonly number[]): LoanHistory {
  let k = 0;
  const next = (): number => cents[k++ % cents.length]! / 100;
  return {
    ...h,
    schedule: h.schedule.map((i) => ({ ...i, amountDue: i.amountDue + next() })),
    events: h.events.map((e) => (e.type === 'payment' || e.type === 'payment_reversal' ? { ...e, amount: e.amount + next() } : e)),
  };
}

describe('evidenceCountsOf (the feature scan)', () => {
  const scan = new LoanScan();
  const fromScan = (h: LoanHistory, asOf: number) => evidenceSummary(evidenceCountsOf(scan.run(h, asOf)), h.contract.maxOverdueDays, h.timeZone);

  it('equals evidenceOf over the full timeline for any history: re-sent ids, any order, amounts in cents', () => {
    fc.assert(
      fc.property(historyAtArb({ maxEvents: 60 }), fc.boolean(), fc.array(fc.integer({ min: 0, max: 99 }), { minLength: 1, maxLength: 7 }), ({ history, asOf }, sorted, cents) => {
        const h = withCents(sorted ? inOrder(history) : history, cents);
        expect(JSON.stringify(fromScan(h, asOf))).toBe(JSON.stringify(full(h, asOf)));
      }),
      { numRuns: 400 },
    );
  });

  it('counts third parties, and payments net of reversals against promises, in order and with a re-sent id', () => {
    const at = (day: string, time = '09:00') => `2025-03-${day}T${time}:00+08:00`;
    const event = (e: Record<string, unknown>) => e as LoanHistory['events'][number];
    const events = [
      event(pay('2025-02-01T09:00:00+08:00')),
      event({ ...call(at('01', '10:00'), 'refused'), id: 'c1' }),
      event({ ...call(at('01', '11:00'), 'refused'), id: 'c2', thirdParty: true }),
      event({ ...promise(at('04'), '2025-03-10', 200), id: 'p1' }),
      event({ ...pay(at('05'), 200), id: 'p2' }),
      event({ id: 'r1', type: 'payment_reversal', at: at('06'), amount: 200 }),
    ];
    const asOf = sh('2025-06-02', '10:00');
    const inOrderLoan = loan({ events });
    // The reversal takes back the payment that kept the promise: it is broken.
    const expected = { contactAttempts: 2, refusals: 2, promisesMade: 1, promisesBroken: 1, lastPaymentAt: at('05') };
    expect(fromScan(inOrderLoan, asOf)).toMatchObject(expected);
    expect(fromScan(inOrderLoan, asOf)).toEqual(full(inOrderLoan, asOf));
    // The same payment sent again later: the first recorded counts (the scan's general path).
    const resent = { ...inOrderLoan, events: [...events, event({ ...events[4]!, at: at('07'), recordedAt: at('08') })] };
    expect(fromScan(resent, asOf)).toMatchObject(expected);
    expect(fromScan(resent, asOf)).toEqual(full(resent, asOf));
  });
});
