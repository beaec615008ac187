// Every default rule against real histories, through the real feature engine and history facts:
// a history that hits it and a near one that does not.
import { describe, expect, it } from 'vitest';
import { featureSetVersion } from '../../src/domain/features/index.js';
import type { LoanHistory } from '../../src/domain/history/schema.js';
import { createScorer } from '../../src/scoring/feature-engine.js';
import { endOfDay, ev, instantOf, makeHistory, type HistoryOptions } from '../support/history-factory.js';
import { defaultPolicy, defaultRuleSet } from '../support/rule-config.js';
import { logisticModel } from '../support/tiny-model.js';

const rules = defaultRuleSet();
const pipeline = createScorer({ model: logisticModel(['dpd'], [0.05], -4, featureSetVersion()), ruleSet: rules, policy: defaultPolicy() });

// Originated 2025-03-01, instalments of 500 due on the 1st from 2025-04-01; only the first is paid.
const overdue = (events: HistoryOptions['events'] = [], extra: HistoryOptions = {}) =>
  makeHistory({ paidThrough: '2025-04-01', events, ...extra });
const calls = (dates: string[], outcome: 'no_answer' | 'refused' | 'switched_off' | 'answered') => dates.map((d) => ev.contact(d, outcome));
const plan = (date: string, amounts: Array<[string, number]>, proposedBy: 'borrower' | 'lender' = 'borrower') => ({
  id: `offer-${date}-${amounts.length}`,
  type: 'arrangement_offered' as const,
  at: instantOf(date, '15:00'),
  arrangementId: `arr-${date}`,
  kind: 'plan' as const,
  proposedBy,
  plan: amounts.map(([dueDate, amount]) => ({ dueDate, amount })),
});

interface Case {
  readonly hit: [LoanHistory, string];
  readonly miss: [LoanHistory, string];
}

const CASES: Record<string, Case> = {
  // DPD counts from 2025-05-01: 90 on 07-30.
  max_overdue_reached: { hit: [overdue(), '2025-07-30'], miss: [overdue(), '2025-07-29'] },
  max_overdue_approaching: { hit: [overdue(), '2025-07-15'], miss: [overdue(), '2025-07-14'] },
  refuses_contact: {
    hit: [overdue([...calls(['2025-05-10', '2025-05-12', '2025-05-14'], 'no_answer'), ...calls(['2025-05-16', '2025-05-18'], 'refused')]), '2025-05-20'],
    miss: [overdue([...calls(['2025-05-10', '2025-05-12', '2025-05-14', '2025-05-16'], 'no_answer'), ...calls(['2025-05-18'], 'refused')]), '2025-05-20'],
  },
  unreachable: {
    hit: [overdue(calls(['2025-05-20', '2025-05-21', '2025-05-22', '2025-05-23', '2025-05-24', '2025-05-25', '2025-05-26', '2025-05-27', '2025-05-28', '2025-05-29'], 'no_answer')), '2025-06-10'],
    miss: [overdue(calls(['2025-05-21', '2025-05-22', '2025-05-23', '2025-05-24', '2025-05-25', '2025-05-26', '2025-05-27', '2025-05-28', '2025-05-29'], 'no_answer')), '2025-06-10'],
  },
  broken_promises: {
    hit: [overdue([ev.promise('2025-05-05', '2025-05-10', 500), ev.promise('2025-05-15', '2025-05-20', 500)]), '2025-05-25'],
    miss: [overdue([ev.promise('2025-05-05', '2025-05-10', 500), ev.promise('2025-05-15', '2025-05-30', 500)]), '2025-05-25'],
  },
  broken_arrangement: {
    hit: [overdue([ev.grace('2025-05-05', '2025-06-30', 'g1'), ev.broken('2025-05-20', 'g1')]), '2025-05-25'],
    miss: [overdue([ev.grace('2025-05-05', '2025-06-30', 'g1')]), '2025-05-25'],
  },
  unreasonable_plan: {
    // 1,000 overdue on 06-10 (May and June instalments); the borrower offers 200.
    hit: [overdue([plan('2025-06-05', [['2025-07-01', 100], ['2025-08-01', 100]])]), '2025-06-10'],
    miss: [overdue([plan('2025-06-05', [['2025-07-01', 500], ['2025-08-01', 500]])]), '2025-06-10'],
  },
  fraud_first_payment_default: {
    hit: [makeHistory({ paidThrough: '2025-03-15' }), '2025-05-10'],
    miss: [overdue(), '2025-06-10'],
  },
  fraud_phone_changed_early: {
    hit: [makeHistory({ events: [ev.detailsChanged('2025-03-10', 'phone')] }), '2025-04-15'],
    miss: [makeHistory({ events: [ev.detailsChanged('2025-05-10', 'phone')] }), '2025-05-15'],
  },
  fraud_phone_switched_off: {
    hit: [overdue(calls(['2025-05-05', '2025-05-08', '2025-05-11'], 'switched_off')), '2025-05-15'],
    miss: [overdue(calls(['2025-05-05', '2025-05-08'], 'switched_off')), '2025-05-15'],
  },
  fraud_evasion: {
    hit: [overdue([ev.detailsChanged('2025-03-10', 'phone'), ...calls(['2025-05-10', '2025-05-14'], 'switched_off')]), '2025-05-20'],
    miss: [overdue([ev.detailsChanged('2025-04-20', 'phone'), ...calls(['2025-05-10', '2025-05-14'], 'switched_off')]), '2025-05-20'],
  },
  income_shock_job_loss: {
    hit: [makeHistory({ events: [ev.hardship('2025-05-01', 'job_loss')] }), '2025-07-01'],
    miss: [makeHistory({ events: [ev.hardship('2025-03-20', 'job_loss')] }), '2025-07-01'],
  },
  income_shock_wage_arrears: {
    hit: [makeHistory({ events: [ev.hardship('2025-06-01', 'wage_arrears')] }), '2025-07-01'],
    miss: [makeHistory({ events: [ev.hardship('2025-06-01', 'illness_injury')] }), '2025-07-01'],
  },
  // Spring Festival 2026 is on 17 February.
  seasonal_spring_festival: {
    hit: [makeHistory(), '2026-01-28'],
    miss: [makeHistory({ borrower: { migrant: false } }), '2026-01-28'],
  },
  early_paying_later: {
    hit: [makeHistory({ daysLate: [0, 3, 6, 9, 12, 15, 0, 0, 0, 0, 0, 0] }), '2025-09-20'],
    miss: [makeHistory({ daysLate: 3 }), '2025-09-20'],
  },
  early_partial_payments: {
    hit: [makeHistory({ paidFraction: 0.8 }), '2025-07-10'],
    miss: [makeHistory({ paidFraction: 1 }), '2025-07-10'],
  },
};

const outcome = (h: LoanHistory, date: string, id: string) => {
  const result = pipeline.rules(pipeline.prepare(h, endOfDay(date))).find((r) => r.ruleId === id)!;
  expect(result.outcome, `${id} on ${date}: ${JSON.stringify(result.values)} ${result.error ?? ''}`).not.toBe('error');
  return result;
};

describe('default rules on real histories (feature engine + history facts)', () => {
  it('covers every rule', () => {
    expect(Object.keys(CASES).sort()).toEqual(rules.rules.map((r) => r.id).sort());
  });

  for (const [id, c] of Object.entries(CASES)) {
    it(`${id}: hit and near miss`, () => {
      const hit = outcome(c.hit[0], c.hit[1], id);
      expect(hit.outcome, JSON.stringify(hit.values)).toBe('hit');
      const miss = outcome(c.miss[0], c.miss[1], id);
      expect(miss.outcome, JSON.stringify(miss.values)).toBe('no_hit');
    });
  }

  it('a loan in good standing hits no default rule and errors on none', () => {
    const results = pipeline.rules(pipeline.prepare(makeHistory({ borrower: { migrant: false } }), endOfDay('2025-08-10')));
    expect(results.filter((r) => r.outcome !== 'no_hit')).toEqual([]);
  });
});
