// What was known at application: the borrower and the contract. Unknown values are -1.
import { OCCUPATIONS } from '../../history/schema.js';
import { group, type Feature } from '../feature.js';
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

const known = (v: number | undefined): number => (v === undefined ? -1 : v);

/** Scheduled repayment per month, spread over the term (origination to the last due date). */
function monthlyInstalment(s: LoanScan): number {
  if (s.instalmentCount === 0) return 0;
  const months = Math.max(1, (s.lastDueDay - s.originationDay) / DAYS_PER_MONTH);
  return s.totalScheduled / months;
}

const occupations: Feature[] = group(
  'application',
  Object.fromEntries(
    OCCUPATIONS.map((occupation) => [
      `occupation_${occupation}`,
      [{ unit: 'flag', en: `Occupation: ${occupation.replace('_', ' ')}`, zh: `职业：${OCCUPATION_ZH[occupation]}` }, (s: LoanScan) => (s.history.borrower.occupation === occupation ? 1 : 0)] as const,
    ]),
  ),
);

export const application: Feature[] = [
  ...occupations,
  ...group('application', {
    age: [{ unit: 'years', missing: -1, en: 'Age at application', zh: '申请时年龄' }, (s) => known(s.history.borrower.age)],
    monthly_income: [{ unit: 'currency', missing: -1, en: 'Declared monthly income', zh: '月收入' }, (s) => known(s.history.borrower.monthlyIncome)],
    instalment_to_income: [
      { unit: 'ratio', missing: -1, en: 'Scheduled repayment per month / monthly income', zh: '月供收入比' },
      (s) => {
        const income = s.history.borrower.monthlyIncome;
        return income === undefined || income <= 0 ? -1 : monthlyInstalment(s) / income;
      },
    ],
    pay_periods_per_month: [{ unit: 'count', missing: -1, en: 'Pay frequency as pay days per month', zh: '每月发薪次数' }, (s) => s.payPeriodsPerMonth],
    employer_tenure_months: [{ unit: 'months', missing: -1, en: 'Months with the current employer', zh: '现单位工作月数' }, (s) => known(s.history.borrower.employerTenureMonths)],
    migrant: [
      { unit: 'flag', missing: -1, en: 'Migrant worker (1), local (0), unknown (-1)', zh: '外来务工人员' },
      (s) => {
        const m = s.history.borrower.migrant;
        return m === undefined ? -1 : m ? 1 : 0;
      },
    ],
    dependents: [{ unit: 'count', missing: -1, en: 'Dependents', zh: '供养人数' }, (s) => known(s.history.borrower.dependents)],
    prior_loans: [{ unit: 'count', missing: -1, en: 'Earlier loans with the lender', zh: '历史借款笔数' }, (s) => known(s.history.borrower.priorLoans)],
    prior_worst_dpd: [{ unit: 'days', missing: -1, en: 'Worst DPD on earlier loans', zh: '历史借款最大逾期天数' }, (s) => known(s.history.borrower.priorWorstDpd)],
    principal: [{ unit: 'currency', en: 'Principal', zh: '借款本金' }, (s) => s.history.contract.principal],
    apr: [{ unit: 'ratio', missing: -1, en: 'Annual percentage rate', zh: '年化利率' }, (s) => known(s.history.contract.apr)],
    instalment_count: [{ unit: 'count', en: 'Instalments in the contract', zh: '合同期数' }, (s) => s.history.contract.instalmentCount],
    max_overdue_days: [{ unit: 'days', en: 'Contract maximum overdue days before referral', zh: '合同最长逾期天数' }, (s) => s.maxOverdueDays],
    revolving: [{ unit: 'flag', en: 'Revolving credit (1) or instalment loan (0)', zh: '循环额度产品' }, (s) => (s.history.contract.kind === 'revolving' ? 1 : 0)],
  }),
];
