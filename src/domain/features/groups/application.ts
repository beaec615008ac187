// What was known at application: the borrower and the contract. Unknown values are -1.
import { OCCUPATIONS } from '../../history/schema.js';
import { block, type FeatureSpec } from '../feature.js';
import type { LoanScan } from '../scan.js';

const DAYS_PER_MONTH = 30.4375;
const OCCUPATION_ZH: Readonly<Record<(typeof OCCUPATIONS)[number], string>> = {
  construction: '建筑',
  factory: '工厂',
  logistics_delivery: '物流配送',
  food_service: '餐饮',
  domestic_cleaning: '家政保洁',
  security_guard: '保安',
  ride_hailing: '网约车',
  seasonal_farm: '季节性农业',
  other: '其他职业',
  unknown: '职业未知',
};
const OCCUPATION_INDEX: Readonly<Record<string, number>> = Object.fromEntries(OCCUPATIONS.map((o, i) => [o, i]));

const known = (v: number | undefined): number => (v === undefined ? -1 : v);

/** Scheduled repayment per month, spread over the term (origination to the last due date). */
function monthlyInstalment(s: LoanScan): number {
  if (s.instalmentCount === 0) return 0;
  const months = Math.max(1, (s.lastDueDay - s.originationDay) / DAYS_PER_MONTH);
  return s.totalScheduled / months;
}

// One flag per occupation, in OCCUPATIONS order.
export const occupation = block(
  'application',
  Object.fromEntries(
    OCCUPATIONS.map((o): [string, FeatureSpec] => [`occupation_${o}`, { unit: 'flag', en: `Occupation: ${o.replace('_', ' ')}`, zh: `职业：${OCCUPATION_ZH[o]}` }]),
  ),
  (s, out, o) => {
    for (let i = 0; i < OCCUPATIONS.length; i++) out[o + i] = 0;
    out[o + OCCUPATION_INDEX[s.history.borrower.occupation]!] = 1;
  },
);

export const application = block(
  'application',
  {
    age: { unit: 'years', missing: -1, en: 'Age at application', zh: '申请时年龄' },
    monthly_income: { unit: 'currency', missing: -1, en: 'Declared monthly income', zh: '月收入' },
    instalment_to_income: { unit: 'ratio', missing: -1, en: 'Scheduled repayment per month / monthly income', zh: '月供收入比' },
    pay_periods_per_month: { unit: 'count', missing: -1, en: 'Pay frequency as pay days per month', zh: '每月发薪次数' },
    employer_tenure_months: { unit: 'months', missing: -1, en: 'Months with the current employer', zh: '现单位工作月数' },
    migrant: { unit: 'flag', missing: -1, en: 'Migrant worker (1), local (0), unknown (-1)', zh: '外来务工人员' },
    dependents: { unit: 'count', missing: -1, en: 'Dependents', zh: '供养人数' },
    prior_loans: { unit: 'count', missing: -1, en: 'Earlier loans with the lender', zh: '历史借款笔数' },
    prior_worst_dpd: { unit: 'days', missing: -1, en: 'Worst DPD on earlier loans', zh: '历史借款最大逾期天数' },
    principal: { unit: 'currency', en: 'Principal', zh: '借款本金' },
    apr: { unit: 'ratio', missing: -1, en: 'Annual percentage rate', zh: '年化利率' },
    instalment_count: { unit: 'count', en: 'Instalments in the contract', zh: '合同期数' },
    max_overdue_days: { unit: 'days', en: 'Contract maximum overdue days before referral', zh: '合同最长逾期天数' },
    revolving: { unit: 'flag', en: 'Revolving credit (1) or instalment loan (0)', zh: '循环额度产品' },
  },
  (s, out, o, at) => {
    const b = s.history.borrower;
    const c = s.history.contract;
    const income = b.monthlyIncome;
    out[o + at.age] = known(b.age);
    out[o + at.monthly_income] = known(income);
    out[o + at.instalment_to_income] = income === undefined || income <= 0 ? -1 : monthlyInstalment(s) / income;
    out[o + at.pay_periods_per_month] = s.payPeriodsPerMonth;
    out[o + at.employer_tenure_months] = known(b.employerTenureMonths);
    out[o + at.migrant] = b.migrant === undefined ? -1 : b.migrant ? 1 : 0;
    out[o + at.dependents] = known(b.dependents);
    out[o + at.prior_loans] = known(b.priorLoans);
    out[o + at.prior_worst_dpd] = known(b.priorWorstDpd);
    out[o + at.principal] = c.principal;
    out[o + at.apr] = known(c.apr);
    out[o + at.instalment_count] = c.instalmentCount;
    out[o + at.max_overdue_days] = s.maxOverdueDays;
    out[o + at.revolving] = c.kind === 'revolving' ? 1 : 0;
  },
);
