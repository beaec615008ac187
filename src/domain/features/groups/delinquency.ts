import { block } from '../feature.js';

export const delinquency = block(
  'delinquency',
  {
    dpd: { unit: 'days', en: 'Days past due now (oldest unpaid instalment or reported status)', zh: '当前逾期天数' },
    worst_dpd_ever: { unit: 'days', en: 'Worst days past due ever reached', zh: '历史最大逾期天数' },
    worst_dpd_90d: { unit: 'days', windowDays: 90, en: 'Worst days past due in the last 90 days', zh: '近90天最大逾期天数' },
    overdue_ratio: { unit: 'ratio', en: 'Overdue amount / amount due to date', zh: '逾期金额占应还金额比例' },
    instalments_overdue: { unit: 'count', en: 'Instalments due and not fully paid', zh: '逾期期数' },
    days_since_last_fully_paid: { unit: 'days', en: 'Days since an instalment was last paid off (since origination if none)', zh: '距上次结清一期的天数（无则自放款起）' },
    days_to_max_overdue: { unit: 'days', en: 'Days left before DPD reaches the contract maximum', zh: '距合同最长逾期天数的剩余天数' },
    dpd_to_max_ratio: { unit: 'ratio', en: 'DPD / contract maximum overdue days', zh: '逾期天数占合同上限比例' },
    first_payment_missed: { unit: 'flag', en: 'First instalment due and unpaid, or paid more than 30 days late', zh: '首期未还或逾期30天以上才还' },
    legal_referral: { unit: 'flag', en: 'Already referred to the legal department', zh: '已移交法务' },
    closed: { unit: 'flag', en: 'Loan closed (repaid, settled or written off)', zh: '贷款已结清或核销' },
  },
  (s, out, o, at) => {
    out[o + at.dpd] = s.dpd;
    out[o + at.worst_dpd_ever] = s.worstDpdEver;
    out[o + at.worst_dpd_90d] = s.worstDpd90;
    out[o + at.overdue_ratio] = s.totalDue > 0 ? s.overdueAmount / s.totalDue : 0;
    out[o + at.instalments_overdue] = s.instalmentsOverdue;
    out[o + at.days_since_last_fully_paid] = s.asOfDay - (s.lastFullyPaidDay >= 0 ? Math.min(s.lastFullyPaidDay, s.asOfDay) : s.originationDay);
    out[o + at.days_to_max_overdue] = Math.max(0, s.maxOverdueDays - s.dpd);
    out[o + at.dpd_to_max_ratio] = s.dpd / s.maxOverdueDays;
    out[o + at.first_payment_missed] = s.firstPaymentMissed;
    out[o + at.legal_referral] = s.referred;
    out[o + at.closed] = s.closedDay >= 0 ? 1 : 0;
  },
);
