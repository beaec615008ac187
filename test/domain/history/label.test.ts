import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../../src/domain/history/calendar.js';
import { referralLabel } from '../../../src/domain/history/label.js';
import { historyAtArb } from '../../support/history-arbitrary.js';
import { endOfDay, ev, makeHistory } from '../../support/history-factory.js';

const FAR = endOfDay('2030-01-01');

describe('referral-grade label within H days', () => {
  it('is 1 when a legal referral happens inside the horizon, 0 when it happens after', () => {
    const h = makeHistory({ missedInstalments: 3, paidThrough: '2025-12-31', events: [ev.referral('2025-07-20')] });
    expect(referralLabel(h, endOfDay('2025-06-01'), { horizonDays: 60, observedUntil: FAR })).toMatchObject({ label: 1, cause: 'legal_referral' });
    expect(referralLabel(h, endOfDay('2025-05-01'), { horizonDays: 60, observedUntil: FAR })).toMatchObject({ status: 'labelled', label: 0 });
  });

  it('is 1 when DPD reaches the contract maximum inside the horizon', () => {
    // Instalment due 2025-08-01 never paid (instalments 5.. missed), max 30 days: reached on 08-31.
    const h = makeHistory({ maxOverdueDays: 30, paidThrough: '2025-07-15' });
    expect(referralLabel(h, endOfDay('2025-08-10'), { horizonDays: 30, observedUntil: FAR })).toMatchObject({ label: 1, cause: 'max_overdue' });
    expect(referralLabel(h, endOfDay('2025-07-15'), { horizonDays: 30, observedUntil: FAR })).toMatchObject({ label: 0 });
  });

  it('is censored when the horizon is not yet observed, unless the outcome is already known', () => {
    const clean = makeHistory({ paidThrough: '2025-12-31' });
    const asOf = endOfDay('2025-06-01');
    expect(referralLabel(clean, asOf, { horizonDays: 60, observedUntil: asOf + 30 * DAY_MS })).toEqual({ status: 'censored' });
    const referred = makeHistory({ missedInstalments: 2, paidThrough: '2025-06-01', events: [ev.referral('2025-06-10')] });
    expect(referralLabel(referred, asOf, { horizonDays: 60, observedUntil: asOf + 30 * DAY_MS })).toMatchObject({ label: 1 });
    const repaid = makeHistory({ paidThrough: '2025-06-01', events: [ev.closed('2025-06-05', 'repaid')] });
    expect(referralLabel(repaid, asOf, { horizonDays: 60, observedUntil: asOf + 30 * DAY_MS })).toMatchObject({ label: 0 });
  });

  it('a complete observation always gives a label; a positive stays positive with more observation', () => {
    fc.assert(
      fc.property(historyAtArb({ maxEvents: 25 }), fc.integer({ min: 1, max: 120 }), ({ history, asOf }, horizonDays) => {
        const full = referralLabel(history, asOf, { horizonDays, observedUntil: FAR });
        expect(full.status).toBe('labelled');
        const partial = referralLabel(history, asOf, { horizonDays, observedUntil: asOf + Math.floor(horizonDays / 2) * DAY_MS });
        if (partial.status === 'labelled' && partial.label === 1) expect(full).toMatchObject({ label: 1 });
      }),
      { numRuns: 200, seed: 5 },
    );
  });
});
