import { block } from '../feature.js';
import { NEVER } from '../scan.js';

export const timing = block(
  'timing',
  {
    days_late_mean_6: { unit: 'days', en: 'Mean days late over the last 6 due instalments (negative = early)', zh: '最近6期平均逾期天数（负数为提前）' },
    days_late_trend: { unit: 'days/instalment', en: 'Trend of days late over the last 6 due instalments (paying later each time?)', zh: '最近6期逾期天数趋势（是否越还越晚）' },
    days_since_last_payment: { unit: 'days', en: 'Days since the last payment (since origination if none)', zh: '距上次还款天数（无则自放款起）' },
    payments_30d: { unit: 'count', windowDays: 30, en: 'Payments in the last 30 days', zh: '近30天还款次数' },
    payments_count: { unit: 'count', en: 'Payments ever', zh: '累计还款次数' },
    paid_on_payday_share: { unit: 'ratio', missing: -1, en: 'Share of payments made within 3 days after payday (-1: no payday or no payment)', zh: '发薪日后3天内还款的比例' },
    days_to_next_due: { unit: 'days', missing: -1, en: 'Days to the next scheduled due date (-1: none left)', zh: '距下一还款日天数' },
    days_since_answered: { unit: 'days', missing: NEVER, en: 'Days since the borrower was last reached or called in (999: never)', zh: '距上次联系上借款人的天数' },
  },
  (s, out, o, at) => {
    out[o + at.days_late_mean_6] = s.daysLateMean6;
    out[o + at.days_late_trend] = s.daysLateTrend6;
    out[o + at.days_since_last_payment] = s.asOfDay - (s.lastPaymentDay >= 0 ? s.lastPaymentDay : Math.min(s.originationDay, s.asOfDay));
    out[o + at.payments_30d] = s.payments30;
    out[o + at.payments_count] = s.paymentsCount;
    out[o + at.paid_on_payday_share] = s.paydayShare;
    out[o + at.days_to_next_due] = s.nextDueInDays;
    out[o + at.days_since_answered] = s.lastReachedDay >= 0 ? s.asOfDay - s.lastReachedDay : NEVER;
  },
);
