import { group } from '../feature.js';

export const exposure = group('exposure', {
  outstanding_principal_ratio: [
    { unit: 'ratio', missing: -1, en: 'Principal still outstanding / principal (amounts when the schedule has no principal split)', zh: '剩余本金占比' },
    (s) => s.principalOutstandingRatio,
  ],
  instalments_remaining: [{ unit: 'count', en: 'Instalments not yet fully paid', zh: '未结清期数' }, (s) => s.instalmentsUnpaid],
  instalments_due: [{ unit: 'count', en: 'Instalments fallen due so far', zh: '已到期期数' }, (s) => s.instalmentsDue],
  term_progress: [{ unit: 'ratio', en: 'Instalments due / instalments scheduled', zh: '已到期期数占比' }, (s) => (s.instalmentCount > 0 ? s.instalmentsDue / s.instalmentCount : 0)],
  loan_age_days: [{ unit: 'days', en: 'Days since origination', zh: '放款天数' }, (s) => s.asOfDay - s.originationDay],
});
