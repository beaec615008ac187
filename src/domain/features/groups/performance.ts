// Over the last k instalments that have fallen due, k = 3, 6, 12 (PERF_WINDOWS).
import { block, type FeatureSpec } from '../feature.js';
import { PERF_WINDOWS } from '../scan.js';

const specsFor = (k: number): Record<string, FeatureSpec> => ({
  [`late_count_${k}`]: { unit: 'count', en: `Of the last ${k} due instalments, paid late or still unpaid past due`, zh: `最近${k}期中逾期的期数` },
  [`late7_count_${k}`]: { unit: 'count', en: `Of the last ${k} due instalments, more than 7 days late`, zh: `最近${k}期中逾期超过7天的期数` },
  [`late30_count_${k}`]: { unit: 'count', en: `Of the last ${k} due instalments, more than 30 days late`, zh: `最近${k}期中逾期超过30天的期数` },
  [`partial_count_${k}`]: { unit: 'count', en: `Of the last ${k} due instalments, partly paid by the due date`, zh: `最近${k}期中到期日仅部分还款的期数` },
  [`paid_to_due_${k}`]: { unit: 'ratio', missing: 1, en: `Share of the amount due on the last ${k} instalments paid by each due date`, zh: `最近${k}期到期日前已还金额占应还比例` },
});
const PER_WINDOW = 5;

export const performance = block('performance', Object.assign({}, ...PERF_WINDOWS.map(specsFor)) as Record<string, FeatureSpec>, (s, out, o) => {
  // Five values per window, in the order of specsFor.
  for (let w = 0; w < PERF_WINDOWS.length; w++) {
    const p = o + w * PER_WINDOW;
    out[p] = s.late0[w]!;
    out[p + 1] = s.late7[w]!;
    out[p + 2] = s.late30[w]!;
    out[p + 3] = s.partial[w]!;
    out[p + 4] = s.paidAtDueRatio[w]!;
  }
});
