// Statement-only sources (cards, bureau-style monthly status): generic over statement and payment
// events, whatever the source. Status is in months late (reported DPD / 30).
import { block } from '../feature.js';

export const revolving = block(
  'revolving',
  {
    rev_statements: { unit: 'count', en: 'Statements received', zh: '账单期数' },
    rev_status_current: { unit: 'months', missing: -1, en: 'Months late on the latest statement (-1: no statement)', zh: '最近账单逾期月数' },
    rev_status_worst: { unit: 'months', missing: -1, en: 'Worst months late on any statement', zh: '历史账单最大逾期月数' },
    rev_status_worst_6: { unit: 'months', missing: -1, en: 'Worst months late over the last 6 statements', zh: '最近6期账单最大逾期月数' },
    rev_delinquent_3: { unit: 'count', en: 'Delinquent statements among the last 3', zh: '最近3期账单逾期次数' },
    rev_delinquent_6: { unit: 'count', en: 'Delinquent statements among the last 6', zh: '最近6期账单逾期次数' },
    rev_status_trend: { unit: 'months/statement', en: 'Trend of months late over the last 6 statements', zh: '最近6期逾期月数趋势' },
    rev_delinquent_streak: { unit: 'count', en: 'Consecutive delinquent statements up to the latest', zh: '连续逾期账单期数' },
    rev_utilisation: { unit: 'ratio', missing: -1, en: 'Latest balance / credit limit (-1: no statement or limit)', zh: '最近账单额度使用率' },
    rev_utilisation_trend: { unit: 'ratio/statement', en: 'Trend of utilisation over the last 6 statements', zh: '最近6期额度使用率趋势' },
    rev_pay_to_bill_1: { unit: 'ratio', missing: 1, en: 'Paid in the latest statement period / previous bill (capped at 10)', zh: '最近1期还款额占上期账单比例' },
    rev_pay_to_bill_3: { unit: 'ratio', missing: 1, en: 'Paid / billed over the last 3 statement periods', zh: '最近3期还款额占账单比例' },
    rev_pay_to_bill_6: { unit: 'ratio', missing: 1, en: 'Paid / billed over the last 6 statement periods', zh: '最近6期还款额占账单比例' },
    rev_zero_payment_6: { unit: 'count', en: 'Statement periods with no payment, of the last 6', zh: '最近6期中无还款的期数' },
    rev_bill_growth_3: { unit: 'ratio', en: 'Balance change over the last 3 statements / limit (or older balance)', zh: '最近3期账单增长率' },
    rev_status_code: { unit: 'code', missing: -3, en: 'Latest statement status (-2 no balance, -1 paid in full, 0 revolving, n months late; -3 none)', zh: '最近账单状态（-2无欠款，-1全额还清，0最低还款，n逾期月数）' },
    rev_status_code_prev: { unit: 'code', missing: -3, en: 'Previous statement status (same coding)', zh: '上期账单状态' },
    rev_paid_full_6: { unit: 'count', en: 'Statements paid in full or with no balance, of the last 6', zh: '最近6期中全额还清或无欠款的期数' },
    rev_revolving_6: { unit: 'count', en: 'Statements carried as a revolving balance (not late), of the last 6', zh: '最近6期中循环还款（未逾期）的期数' },
    rev_balance: { unit: 'currency', en: 'Latest statement balance', zh: '最近账单余额' },
    rev_balance_mean_6: { unit: 'currency', en: 'Mean statement balance over the last 6 statements', zh: '最近6期平均账单余额' },
    rev_payment_last: { unit: 'currency', en: 'Paid in the latest statement period', zh: '最近1期还款额' },
    rev_payment_prev: { unit: 'currency', en: 'Paid in the statement period before the latest', zh: '上1期还款额' },
    rev_payment_mean_6: { unit: 'currency', en: 'Mean paid per statement period over the last 6', zh: '最近6期平均每期还款额' },
  },
  (s, out, o, at) => {
    out[o + at.rev_statements] = s.statementCount;
    out[o + at.rev_status_current] = s.revStatusCurrent;
    out[o + at.rev_status_worst] = s.revStatusWorst;
    out[o + at.rev_status_worst_6] = s.revStatusWorst6;
    out[o + at.rev_delinquent_3] = s.revDelinquent3;
    out[o + at.rev_delinquent_6] = s.revDelinquent6;
    out[o + at.rev_status_trend] = s.revStatusTrend;
    out[o + at.rev_delinquent_streak] = s.revDelinquentStreak;
    out[o + at.rev_utilisation] = s.revUtilisation;
    out[o + at.rev_utilisation_trend] = s.revUtilisationTrend;
    out[o + at.rev_pay_to_bill_1] = s.revPayToBill1;
    out[o + at.rev_pay_to_bill_3] = s.revPayToBill3;
    out[o + at.rev_pay_to_bill_6] = s.revPayToBill6;
    out[o + at.rev_zero_payment_6] = s.revZeroPayment6;
    out[o + at.rev_bill_growth_3] = s.revBillGrowth3;
    out[o + at.rev_status_code] = s.revStatusCode;
    out[o + at.rev_status_code_prev] = s.revStatusCodePrev;
    out[o + at.rev_paid_full_6] = s.revPaidFull6;
    out[o + at.rev_revolving_6] = s.revRevolving6;
    out[o + at.rev_balance] = s.revBalance;
    out[o + at.rev_balance_mean_6] = s.revBalanceMean6;
    out[o + at.rev_payment_last] = s.revPaymentLast;
    out[o + at.rev_payment_prev] = s.revPaymentPrev;
    out[o + at.rev_payment_mean_6] = s.revPaymentMean6;
  },
);
