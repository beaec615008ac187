// What each family of features says about a concrete loan, built with the factory.
import { describe, expect, it } from 'vitest';
import { computeFeatures, featureNames } from '../../../src/domain/features/index.js';
import { FeatureConfig } from '../../../src/domain/features/feature-config.js';
import type { LoanHistory } from '../../../src/domain/history/schema.js';
import { endOfDay, ev, makeHistory } from '../../support/history-factory.js';

function valuesOf(history: LoanHistory, asOfDate: string, config?: FeatureConfig): Record<string, number> {
  const v = computeFeatures(history, endOfDay(asOfDate), config);
  return Object.fromEntries(featureNames(config).map((n, i) => [n, v[i]!]));
}

describe('delinquency and performance', () => {
  it('a loan paid on time has no delinquency', () => {
    const f = valuesOf(makeHistory({ paidThrough: '2025-09-15' }), '2025-09-15');
    expect(f).toMatchObject({ dpd: 0, worst_dpd_ever: 0, instalments_overdue: 0, overdue_ratio: 0, late_count_3: 0, paid_to_due_3: 1, first_payment_missed: 0 });
    expect(f.instalments_due).toBe(6);
    expect(f.instalments_remaining).toBe(6);
    expect(f.days_to_max_overdue).toBe(90);
  });

  it('two missed instalments: DPD from the oldest, overdue ratio, late counts', () => {
    // Due 04-01 .. 09-01; 08-01 and 09-01 unpaid on 09-15.
    const f = valuesOf(makeHistory({ missedInstalments: 2, paidThrough: '2025-09-15' }), '2025-09-15');
    expect(f.dpd).toBe(45);
    expect(f.instalments_overdue).toBe(2);
    expect(f.overdue_ratio).toBeCloseTo(2 / 6, 6);
    expect(f.late_count_3).toBe(2);
    expect(f.late30_count_3).toBe(1);
    expect(f.days_to_max_overdue).toBe(45);
    expect(f.worst_dpd_90d).toBe(45);
  });

  it('paying later each month shows as a positive days-late trend', () => {
    const f = valuesOf(makeHistory({ paidThrough: '2025-09-20', daysLate: [0, 2, 4, 6, 8, 10] }), '2025-09-20');
    expect(f.days_late_trend).toBeCloseTo(2, 5);
    expect(f.days_late_mean_6).toBeCloseTo(5, 5);
    expect(f.late7_count_6).toBe(2);
  });

  it('a first instalment never paid is a missed first payment', () => {
    const f = valuesOf(makeHistory({ missedInstalments: 1, paidThrough: '2025-04-10' }), '2025-04-10');
    expect(f.first_payment_missed).toBe(1);
    expect(f.dpd).toBe(9);
  });

  it('half payments: cash settles the oldest first, so only the first is partly paid at its due date', () => {
    // 250 a month against 500 due: by 04-01 250 of #1; by 05-01 #1 settled, 0 of #2; by 06-01 250 of #2, 0 of #3.
    const f = valuesOf(makeHistory({ paidThrough: '2025-06-15', paidFraction: 0.5 }), '2025-06-15');
    expect(f.partial_count_3).toBe(1);
    expect(f.paid_to_due_3).toBeCloseTo(250 / 1500, 6);
    expect(f.late_count_3).toBe(3);
    expect(f.overdue_ratio).toBeCloseTo(750 / 1500, 6);
  });

  it('an agreed grace period pauses the DPD clock and is active', () => {
    const f = valuesOf(makeHistory({ missedInstalments: 1, paidThrough: '2025-06-20', events: [ev.grace('2025-06-05', '2025-06-30')] }), '2025-06-20');
    // Due 06-01, unpaid; paused from 06-05 to 06-20 (16 days) of 19.
    expect(f.dpd).toBe(3);
    expect(f.arrangement_active).toBe(1);
    expect(f.plan_active).toBe(0);
  });
});

describe('contact, promises, hardship, stability', () => {
  const history = makeHistory({
    missedInstalments: 1,
    paidThrough: '2025-06-20',
    originationDate: '2025-03-01',
    events: [
      ev.contact('2025-06-02', 'answered'),
      ev.contact('2025-06-05', 'refused'),
      ev.contact('2025-06-15', 'no_answer'),
      ev.contact('2025-06-16', 'switched_off'),
      ev.contact('2025-06-17', 'busy', 'robocall'),
      ev.contact('2025-06-18', 'delivered', 'sms'),
      ev.contact('2025-06-19', 'wrong_number'),
      ev.promise('2025-06-02', '2025-06-06', 500),
      ev.promise('2025-06-10', '2025-06-12', 500),
      ev.promise('2025-06-19', '2025-06-25', 500),
      ev.hardship('2025-06-03', 'wage_arrears'),
      ev.detailsChanged('2025-03-20', 'phone'),
      ev.detailsChanged('2025-06-10', 'phone'),
      ev.employmentChanged('2025-05-01'),
    ],
  });
  const f = valuesOf(history, '2025-06-20');

  it('counts attempts, answer rate, unanswered streak and bad outcomes', () => {
    expect(f.contact_attempts_7d).toBe(4);
    expect(f.contact_attempts_30d).toBe(6);
    expect(f.contact_answer_rate_30d).toBeCloseTo(2 / 6, 6);
    expect(f.contact_answer_rate_7d).toBe(0);
    expect(f.unanswered_streak).toBe(4);
    expect(f.refusals_30d).toBe(1);
    expect(f.switched_off_30d).toBe(1);
    expect(f.wrong_number_30d).toBe(1);
    expect(f.sms_sent_30d).toBe(1);
    expect(f.days_since_answered).toBe(15);
  });

  it('resolves promises: two broken in a row, one pending', () => {
    expect(f).toMatchObject({ ptp_made_60d: 3, ptp_kept_60d: 0, ptp_broken_60d: 2, ptp_broken_streak: 2, ptp_pending: 1 });
    expect(f.days_since_ptp_broken).toBe(7);
  });

  it('a payment by the promised date keeps the promise and ends the streak', () => {
    const kept = valuesOf({ ...history, events: [...history.events, ...makeHistory({ events: [ev.payment('2025-06-12', 500)] }).events.slice(-1)] }, '2025-06-20');
    expect(kept.ptp_kept_60d).toBe(1);
    expect(kept.ptp_broken_streak).toBe(0);
  });

  it('hardship by reason, stability windows, early phone change', () => {
    expect(f.hardship_wage_arrears_90d).toBe(1);
    expect(f.hardship_job_loss_90d).toBe(0);
    expect(f.phone_changed_90d).toBe(1);
    expect(f.phone_changed_within_30d_of_origination).toBe(1);
    expect(f.employment_changed_90d).toBe(1);
  });

  it('an inbound call resets the unanswered streak', () => {
    const g = valuesOf({ ...history, events: [...history.events, ...makeHistory({ events: [ev.contact('2025-06-20', 'answered', 'call', 'inbound')] }).events.slice(-1)] }, '2025-06-20');
    expect(g.unanswered_streak).toBe(0);
    expect(g.inbound_contacts_30d).toBe(1);
  });
});

describe('revolving (statement-only sources)', () => {
  const statements = [
    ev.statement('2025-04-30', { balance: 3000, monthsLate: 0, creditLimit: 10000 }),
    ev.statement('2025-05-31', { balance: 5000, monthsLate: 0, creditLimit: 10000 }),
    ev.statement('2025-06-30', { balance: 7000, monthsLate: 1, creditLimit: 10000 }),
    ev.statement('2025-07-31', { balance: 9000, monthsLate: 2, creditLimit: 10000 }),
  ];
  const payments = [ev.payment('2025-05-10', 3000), ev.payment('2025-06-10', 1000)];
  const history = makeHistory({ kind: 'revolving', creditLimit: 10000, events: [...statements, ...payments] });
  const f = valuesOf(history, '2025-08-05');

  it('reads status, streaks and utilisation from statements', () => {
    expect(f.rev_statements).toBe(4);
    expect(f.rev_status_current).toBe(2);
    expect(f.rev_status_worst).toBe(2);
    expect(f.rev_delinquent_3).toBe(2);
    expect(f.rev_delinquent_streak).toBe(2);
    expect(f.rev_utilisation).toBeCloseTo(0.9, 6);
    expect(f.rev_utilisation_trend).toBeCloseTo(0.2, 6);
    expect(f.rev_status_trend).toBeGreaterThan(0);
    expect(f.dpd).toBe(60 + 5);
  });

  it('payment-to-bill ratios, zero-payment periods and bill growth', () => {
    // Periods: (.., 04-30] paid 0; (04-30, 05-31] paid 3000 of 3000; (05-31, 06-30] 1000 of 5000; (06-30, 07-31] 0 of 7000.
    expect(f.rev_pay_to_bill_1).toBe(0);
    expect(f.rev_pay_to_bill_3).toBeCloseTo(4000 / 15000, 6);
    expect(f.rev_zero_payment_6).toBe(2);
    expect(f.rev_bill_growth_3).toBeCloseTo((9000 - 5000) / 10000, 6);
  });
});

describe('application and declared attributes', () => {
  const config = FeatureConfig.parse({ numeric: [{ name: 'bureau', missing: -5 }], categorical: [{ name: 'region', levels: ['north', 'south'] }] });

  it('one-hot occupation, unknowns as -1, declared attributes as configured', () => {
    const f = valuesOf(makeHistory({ borrower: { occupation: 'factory', age: undefined, attributes: { bureau: 612, region: 'west' } } }), '2025-03-01', config);
    expect(f.occupation_factory).toBe(1);
    expect(f.occupation_construction).toBe(0);
    expect(f.age).toBe(-1);
    expect(f.migrant).toBe(1);
    expect(f.instalment_to_income).toBeGreaterThan(0);
    expect(f.attr_bureau).toBe(612);
    expect([f['attr_region=north'], f['attr_region=south'], f['attr_region=other']]).toEqual([0, 0, 1]);
    const g = valuesOf(makeHistory({ borrower: { attributes: { region: 'south' } } }), '2025-03-01', config);
    expect(g.attr_bureau).toBe(-5);
    expect([g['attr_region=north'], g['attr_region=south'], g['attr_region=other']]).toEqual([0, 1, 0]);
  });

  it('calendar features in the loan time zone', () => {
    const f = valuesOf(makeHistory(), '2026-02-10');
    expect(f.days_to_spring_festival).toBe(7);
    expect(f.month).toBe(2);
  });
});
