import { block } from '../feature.js';

export const exposure = block(
  'exposure',
  {
    outstanding_principal_ratio: { unit: 'ratio', missing: -1, en: 'Principal still outstanding / principal (amounts when the schedule has no principal split)', zh: '剩余本金占比' },
    instalments_remaining: { unit: 'count', en: 'Instalments not yet fully paid', zh: '未结清期数' },
    instalments_due: { unit: 'count', en: 'Instalments fallen due so far', zh: '已到期期数' },
    term_progress: { unit: 'ratio', en: 'Instalments due / instalments scheduled', zh: '已到期期数占比' },
    loan_age_days: { unit: 'days', en: 'Days since origination', zh: '放款天数' },
  },
  (s, out, o, at) => {
    out[o + at.outstanding_principal_ratio] = s.principalOutstandingRatio;
    out[o + at.instalments_remaining] = s.instalmentsUnpaid;
    out[o + at.instalments_due] = s.instalmentsDue;
    out[o + at.term_progress] = s.instalmentCount > 0 ? s.instalmentsDue / s.instalmentCount : 0;
    out[o + at.loan_age_days] = s.asOfDay - s.originationDay;
  },
);
