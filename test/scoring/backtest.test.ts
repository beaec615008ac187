import { describe, expect, it } from 'vitest';
import { dateToDay } from '../../src/domain/history/calendar.js';
import { parseRuleSet } from '../../src/domain/rules/load.js';
import { replay, type LoanOutcome } from '../../src/scoring/backtest.js';
import { median, summarise } from '../../src/scoring/backtest-summary.js';
import { createScorerFrom } from '../../src/scoring/create-scorer.js';
import { loan, pay } from '../support/rules-history.js';
import { defaultPolicy } from '../support/rule-config.js';
import { logisticModel, tinyFeatures } from '../support/tiny-model.js';

const policy = defaultPolicy();
const ruleSet = parseRuleSet(
  { version: 'rules-test', rules: [{ id: 'max_overdue_reached', en: 'Max overdue', zh: '最长逾期', severity: 100, referralCondition: true, step: 'legal_review', when: { fact: 'dpd', op: '>=', value: { fact: 'max_overdue_days' } } }] },
  'test',
);
// PD = sigmoid(-4 + 0.1 dpd): the band reaches "high" (PD >= 0.35) at DPD 34.
const pipeline = createScorerFrom({ model: logisticModel(['dpd'], [0.1], -4), features: tinyFeatures(), ruleSet, policy, points: (pd) => 600 - pd });
const monthly = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => {
  const m = from + i;
  return pay(`${2025 + Math.floor((m - 1) / 12)}-${String(((m - 1) % 12) + 1).padStart(2, '0')}-01T09:00:00+08:00`);
});

// A: pays once, then nothing; referred on 2025-06-15. B: always on time. C: 44 days late in spring, then cures.
const A = { ...loan({ events: [pay('2025-02-01T09:00:00+08:00'), { id: 'ref', type: 'legal_referral', at: '2025-06-15T10:00:00+08:00', reason: 'max_overdue' }] }), loanId: 'A' };
const B = { ...loan({ events: monthly(2, 13) }), loanId: 'B' };
const C = { ...loan({ events: [pay('2025-02-01T09:00:00+08:00'), pay('2025-04-15T09:00:00+08:00', 1500), ...monthly(6, 13)] }), loanId: 'C' };
const fromDay = dateToDay('2025-01-01');
const toDay = dateToDay('2025-12-31');

describe('backtest replay', () => {
  it('finds the alert episodes, lead times and workload of a hand-checked portfolio', async () => {
    const outcomes = await replay([A, B, C], pipeline, policy, { fromDay, toDay, batchSize: 2 });
    const by = new Map(outcomes.map((o) => [o.loanId, o]));
    const a = by.get('A')!;
    expect(a.referralDay).toBe(dateToDay('2025-06-15'));
    expect(a.alerts.map((x) => [x.day, x.band, x.step])).toEqual([[dateToDay('2025-04-04'), 'high', 'collector_call']]);
    expect(a.naiveAlerts).toEqual([dateToDay('2025-03-31')]);
    expect(a.leadDays).toBe(72);
    expect(a.naiveLeadDays).toBe(76);
    // Scored from origination to the day before the referral.
    expect(a.activeDays).toBe(165);
    expect(a.ruleHitDays).toEqual({ max_overdue_reached: 16 });
    expect(by.get('B')).toMatchObject({ alerts: [], naiveAlerts: [], leadDays: null, activeDays: 365 });
    const c = by.get('C')!;
    expect(c.alerts.map((x) => x.day)).toEqual([dateToDay('2025-04-04')]);
    expect(c.naiveAlerts).toEqual([dateToDay('2025-03-31')]);
    expect(c.dpdHighDays).toEqual([]);

    const report = summarise(outcomes, { fromDay, toDay });
    expect(report).toMatchObject({ loans: 3, referrals: 1, flaggedAhead30: 1, flaggedAhead30Share: 1, medianLeadDays: 72, alerts: 2, alertsEvaluated: 2, trueAlerts: 1, alertPrecision: 0.5, activeLoanDays: 895 });
    expect(report.alertsPer1000LoanDays).toBeCloseTo(2000 / 895, 10);
    expect(report.naive).toMatchObject({ referrals: 1, medianLeadDays: 76, alerts: 2, alertPrecision: 0.5 });
    // DPD >= 1 flags A on 2025-03-02 (lead 105) and C on 2025-03-02; B never.
    expect(report.naiveCurve.map((c) => [c.dpd, c.medianLeadDays, c.alerts])).toEqual([[1, 105, 2], [5, 101, 2], [10, 96, 2], [15, 91, 2], [20, 86, 2]]);
    expect(report.byBand.high).toEqual({ alerts: 2, alertsEvaluated: 2, alertPrecision: 0.5 });
    expect(report.byRule.max_overdue_reached).toEqual({ alerts: 0, alertsEvaluated: 0, alertPrecision: null, loanDaysHit: 16 });
    expect(report.byReferralReason).toEqual({ max_overdue: { referrals: 1, flaggedAhead30Share: 1, medianLeadDays: 72, naiveFlaggedAhead30Share: 1, naiveMedianLeadDays: 76 } });
  });

  it('measures lead time from the episode running at the referral, not from an earlier cured one', async () => {
    // D: 44 days late in spring (alert 2025-04-04), cured on 04-15; stops paying after July; referred 2025-12-20.
    const D = { ...loan({ events: [pay('2025-02-01T09:00:00+08:00'), pay('2025-04-15T09:00:00+08:00', 1500), pay('2025-06-01T09:00:00+08:00'), pay('2025-07-01T09:00:00+08:00'), { id: 'ref-d', type: 'legal_referral', at: '2025-12-20T10:00:00+08:00', reason: 'refused_contact' }] }), loanId: 'D' };
    const [d] = await replay([D], pipeline, policy, { fromDay, toDay });
    expect(d!.alerts.map((a) => a.day)).toEqual([dateToDay('2025-04-04'), dateToDay('2025-09-04')]);
    expect(d!.leadDays).toBe(107);
    expect(d!.referralReason).toBe('refused_contact');
  });

  it('sampling every 7th day keeps loan-days comparable', async () => {
    const outcomes = await replay([B], pipeline, policy, { fromDay, toDay, stepDays: 7 });
    expect(outcomes[0]!.activeDays).toBe(53 * 7);
  });
});

describe('backtest summary', () => {
  const base: LoanOutcome = { loanId: 'x', referralDay: null, referralReason: null, activeDays: 100, alerts: [], naiveAlerts: [], leadDays: null, naiveLeadDays: null, naiveCurve: [], dpdHighDays: [], ruleHitDays: {} };

  it('counts an alert true on a later 60+ DPD, false when the window passes clean, censored when the data ends first', () => {
    const alert = (day: number, rules: string[] = []) => ({ day, band: 'high' as const, step: 'collector_call' as const, rules });
    const outcomes: LoanOutcome[] = [
      { ...base, alerts: [alert(100, ['r1'])], dpdHighDays: [150] },
      { ...base, alerts: [alert(100, ['r1', 'r2'])] },
      { ...base, alerts: [alert(950, ['r2'])] },
    ];
    const r = summarise(outcomes, { fromDay: 0, toDay: 1000 });
    expect(r).toMatchObject({ alerts: 3, alertsEvaluated: 2, trueAlerts: 1, alertPrecision: 0.5, activeLoanDays: 300 });
    expect(r.byRule.r1).toMatchObject({ alerts: 2, alertPrecision: 0.5 });
    expect(r.byRule.r2).toMatchObject({ alerts: 2, alertsEvaluated: 1, alertPrecision: 0 });
  });

  it('takes the median lead over every referral, unflagged ones at 0', () => {
    const r = summarise([{ ...base, referralDay: 500, leadDays: 0 }, { ...base, referralDay: 500, leadDays: 45 }, { ...base, referralDay: 500, leadDays: 31 }], { fromDay: 0, toDay: 1000 });
    expect(r).toMatchObject({ referrals: 3, flaggedAhead30: 2, medianLeadDays: 31 });
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
