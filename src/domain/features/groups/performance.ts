import { group, type Feature } from '../feature.js';
import { PERF_WINDOWS } from '../scan.js';

// Over the last k instalments that have fallen due, k = 3, 6, 12.
const perWindow = (w: number, k: number): Feature[] =>
  group('performance', {
    [`late_count_${k}`]: [{ unit: 'count', en: `Of the last ${k} due instalments, paid late or still unpaid past due`, zh: `最近${k}期中逾期的期数` }, (s) => s.late0[w]!],
    [`late7_count_${k}`]: [{ unit: 'count', en: `Of the last ${k} due instalments, more than 7 days late`, zh: `最近${k}期中逾期超过7天的期数` }, (s) => s.late7[w]!],
    [`late30_count_${k}`]: [{ unit: 'count', en: `Of the last ${k} due instalments, more than 30 days late`, zh: `最近${k}期中逾期超过30天的期数` }, (s) => s.late30[w]!],
    [`partial_count_${k}`]: [{ unit: 'count', en: `Of the last ${k} due instalments, partly paid by the due date`, zh: `最近${k}期中到期日仅部分还款的期数` }, (s) => s.partial[w]!],
    [`paid_to_due_${k}`]: [
      { unit: 'ratio', missing: 1, en: `Share of the amount due on the last ${k} instalments paid by each due date`, zh: `最近${k}期到期日前已还金额占应还比例` },
      (s) => s.paidAtDueRatio[w]!,
    ],
  });

export const performance: Feature[] = PERF_WINDOWS.flatMap((k, w) => perWindow(w, k));
