import { group } from '../feature.js';

export const delinquency = group('delinquency', {
  dpd: [{ unit: 'days', en: 'Days past due now (oldest unpaid instalment or reported status)', zh: '当前逾期天数' }, (s) => s.dpd],
  worst_dpd_ever: [{ unit: 'days', en: 'Worst days past due ever reached', zh: '历史最大逾期天数' }, (s) => s.worstDpdEver],
  worst_dpd_90d: [{ unit: 'days', windowDays: 90, en: 'Worst days past due in the last 90 days', zh: '近90天最大逾期天数' }, (s) => s.worstDpd90],
  overdue_ratio: [{ unit: 'ratio', en: 'Overdue amount / amount due to date', zh: '逾期金额占应还金额比例' }, (s) => (s.totalDue > 0 ? s.overdueAmount / s.totalDue : 0)],
  instalments_overdue: [{ unit: 'count', en: 'Instalments due and not fully paid', zh: '逾期期数' }, (s) => s.instalmentsOverdue],
  days_since_last_fully_paid: [
    { unit: 'days', en: 'Days since an instalment was last paid off (since origination if none)', zh: '距上次结清一期的天数（无则自放款起）' },
    (s) => s.asOfDay - (s.lastFullyPaidDay >= 0 ? Math.min(s.lastFullyPaidDay, s.asOfDay) : s.originationDay),
  ],
  days_to_max_overdue: [{ unit: 'days', en: 'Days left before DPD reaches the contract maximum', zh: '距合同最长逾期天数的剩余天数' }, (s) => Math.max(0, s.maxOverdueDays - s.dpd)],
  dpd_to_max_ratio: [{ unit: 'ratio', en: 'DPD / contract maximum overdue days', zh: '逾期天数占合同上限比例' }, (s) => s.dpd / s.maxOverdueDays],
  first_payment_missed: [
    { unit: 'flag', en: 'First instalment due and unpaid, or paid more than 30 days late', zh: '首期未还或逾期30天以上才还' },
    (s) => s.firstPaymentMissed,
  ],
  legal_referral: [{ unit: 'flag', en: 'Already referred to the legal department', zh: '已移交法务' }, (s) => s.referred],
  closed: [{ unit: 'flag', en: 'Loan closed (repaid, settled or written off)', zh: '贷款已结清或核销' }, (s) => (s.closedDay >= 0 ? 1 : 0)],
});
