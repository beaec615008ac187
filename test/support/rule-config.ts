// Loads the shipped rule set and policy for tests (the files are the product, so tests read them).
import { readFileSync } from 'node:fs';
import { parsePolicy, type Policy } from '../../src/domain/decision/policy.js';
import { parseRuleSet } from '../../src/domain/rules/load.js';
import type { RuleSet } from '../../src/domain/rules/schema.js';

const root = new URL('../../', import.meta.url);

export const readJson = (rel: string): unknown => JSON.parse(readFileSync(new URL(rel, root), 'utf8'));
export const defaultRuleSet = (): RuleSet => parseRuleSet(readJson('config/rules/default.json'), 'config/rules/default.json');
export const defaultPolicy = (): Policy => parsePolicy(readJson('config/policy/default.json'), 'config/policy/default.json');

/** A loan in good standing: every fact the default rules read, at a benign value. */
export function healthyFacts(): Record<string, number | null> {
  return {
    dpd: 0,
    ledger_dpd: 0,
    worst_dpd_ever: 0,
    worst_dpd_90d: 0,
    overdue_ratio: 0,
    instalments_overdue: 0,
    max_overdue_days: 90,
    days_to_max_overdue: 90,
    overdue_amount: 0,
    late_count_3: 0,
    late_count_6: 0,
    partial_count_3: 0,
    days_late_trend: 0,
    days_since_last_payment: 10,
    contact_attempts_7d: 0,
    contact_answer_rate_30d: 1,
    unanswered_streak: 0,
    refusals_30d: 0,
    switched_off_30d: 0,
    wrong_number_30d: 0,
    ptp_made_60d: 0,
    ptp_broken_60d: 0,
    ptp_broken_streak: 0,
    hardship_job_loss_90d: 0,
    hardship_wage_arrears_90d: 0,
    arrangement_active: 0,
    arrangement_kept: 0,
    arrangement_broken_90d: 0,
    borrower_plan_coverage: null,
    borrower_plan_days: null,
    phone_changed_90d: 0,
    phone_changed_within_30d_of_origination: 0,
    employment_changed_90d: 0,
    days_to_spring_festival: 200,
    migrant: 0,
    first_payment_missed: 0,
    loan_age_days: 120,
    instalments_remaining: 8,
    closed: 0,
  };
}
