// Every default rule, against fact values: a hit, and a near miss that does not hit.
import { describe, expect, it } from 'vitest';
import { evaluateRules, windowLabel } from '../../../src/domain/rules/evaluate.js';
import { recordFactSource } from '../../../src/domain/rules/facts.js';
import type { EventWindow } from '../../../src/domain/rules/schema.js';
import { defaultRuleSet, healthyFacts } from '../../support/rule-config.js';

type Facts = Record<string, number | null>;
interface Case {
  readonly hit: Facts;
  readonly miss: Facts;
  readonly counts?: Record<string, number>;
}

const overdue = (dpd: number): Facts => ({ dpd, ledger_dpd: dpd, days_to_max_overdue: 90 - dpd, instalments_overdue: 1, overdue_amount: 500 });

const CASES: Record<string, Case> = {
  max_overdue_reached: { hit: overdue(90), miss: overdue(89) },
  max_overdue_approaching: { hit: overdue(75), miss: overdue(74) },
  refuses_contact: {
    hit: { ...overdue(20), refusals_30d: 2 },
    miss: { ...overdue(20), refusals_30d: 1 },
    counts: { 'count(contact direction=outbound, 30d)': 5 },
  },
  unreachable: {
    hit: { ...overdue(30), unanswered_streak: 10, contact_answer_rate_30d: 0 },
    miss: { ...overdue(29), unanswered_streak: 10, contact_answer_rate_30d: 0 },
  },
  broken_promises: { hit: { ptp_broken_60d: 2, ptp_broken_streak: 1 }, miss: { ptp_broken_60d: 1, ptp_broken_streak: 1 } },
  broken_arrangement: {
    hit: { ...overdue(5), arrangement_broken_90d: 1 },
    miss: { ...overdue(5), arrangement_broken_90d: 1, arrangement_kept: 1 },
  },
  unreasonable_plan: {
    hit: { ...overdue(20), borrower_plan_coverage: 0.3, borrower_plan_days: 90 },
    miss: { ...overdue(20), borrower_plan_coverage: 1, borrower_plan_days: 180 },
  },
  fraud_first_payment_default: {
    hit: { ...overdue(35), first_payment_missed: 1, days_since_last_payment: 65 },
    miss: { ...overdue(25), first_payment_missed: 1, days_since_last_payment: 55 },
  },
  fraud_phone_changed_early: { hit: { phone_changed_within_30d_of_origination: 1 }, miss: { phone_changed_90d: 1 } },
  fraud_phone_switched_off: { hit: { ...overdue(3), switched_off_30d: 3 }, miss: { switched_off_30d: 3 } },
  fraud_evasion: {
    hit: { ...overdue(15), phone_changed_within_30d_of_origination: 1, switched_off_30d: 2 },
    miss: { ...overdue(15), phone_changed_within_30d_of_origination: 0, switched_off_30d: 5 },
  },
  income_shock_job_loss: { hit: { hardship_job_loss_90d: 1 }, miss: { employment_changed_90d: 1 } },
  income_shock_wage_arrears: { hit: { hardship_wage_arrears_90d: 1 }, miss: { hardship_job_loss_90d: 0 } },
  seasonal_spring_festival: { hit: { migrant: 1, days_to_spring_festival: 20 }, miss: { migrant: 0, days_to_spring_festival: 20 } },
  early_paying_later: { hit: { days_late_trend: 2, late_count_3: 2 }, miss: { ...overdue(3), days_late_trend: 2, late_count_3: 2 } },
  early_partial_payments: { hit: { partial_count_3: 2 }, miss: { partial_count_3: 1 } },
};

const rules = defaultRuleSet();

function outcomes(facts: Facts, counts: Record<string, number> = {}) {
  const source = recordFactSource({ ...healthyFacts(), ...facts }, (w: EventWindow) => counts[windowLabel(w)] ?? 0);
  return new Map(evaluateRules(rules, source).map((r) => [r.ruleId, r]));
}

describe('default rule set', () => {
  it('has a case here for every rule, and the healthy loan hits none and errors on none', () => {
    expect(Object.keys(CASES).sort()).toEqual(rules.rules.map((r) => r.id).sort());
    const all = [...outcomes({}).values()];
    expect(all.filter((r) => r.outcome !== 'no_hit')).toEqual([]);
  });

  it('marks the referral conditions of DOMAIN.md', () => {
    const referral = rules.rules.filter((r) => r.referralCondition).map((r) => r.id).sort();
    expect(referral).toEqual(['broken_arrangement', 'fraud_evasion', 'fraud_first_payment_default', 'max_overdue_reached', 'refuses_contact', 'unreachable', 'unreasonable_plan']);
    for (const r of rules.rules) if (r.referralCondition) expect(r.step).toBe('legal_review');
  });

  for (const [id, c] of Object.entries(CASES)) {
    it(`${id}: hits with the values that fired it, and misses the near case`, () => {
      const hit = outcomes(c.hit, c.counts).get(id)!;
      expect(hit.outcome).toBe('hit');
      for (const [k, v] of Object.entries(c.hit)) if (k in hit.values) expect(hit.values[k]).toBe(v);
      expect(Object.keys(hit.values).length).toBeGreaterThan(0);
      expect(outcomes(c.miss, c.counts).get(id)!.outcome).toBe('no_hit');
    });
  }
});
