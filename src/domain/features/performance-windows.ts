// Performance over the last k instalments that have fallen due, k in PERF_WINDOWS: late counts, partial
// payments and the share paid by each due date; and the mean and trend of days late over the last 6.
import { PAID_TOLERANCE } from '../history/ledger.js';
import type { LoanScan } from './scan.js';
import { slope } from './scratch.js';

const EPS = 1e-6;

/** Performance over the last k due instalments, k in PERF_WINDOWS. */
export const PERF_WINDOWS = [3, 6, 12] as const;

/** Reads the schedule scratch filled by walkSchedule for the first dueCount (due) instalments. */
export function summarisePerformance(s: LoanScan, dueCount: number): void {
  const { late, atDueCash, amt } = s.schedule;
  // One pass back from the newest, with a snapshot of the running counts as it passes 3, 6 and 12
  // instalments (or runs out).
  let l0 = 0;
  let l7 = 0;
  let l30 = 0;
  let part = 0;
  let covered = 0;
  let owed = 0;
  let w = 0;
  for (let j = dueCount - 1, seen = 1; w < PERF_WINDOWS.length; j--, seen++) {
    if (j >= 0) {
      const dl = late[j]!;
      if (dl > 0) l0++;
      if (dl > 7) l7++;
      if (dl > 30) l30++;
      const atDue = atDueCash[j]!;
      const a = amt[j]!;
      const settled = atDue >= a - PAID_TOLERANCE - EPS;
      if (atDue > EPS && !settled) part++;
      covered += settled ? a : atDue;
      owed += a;
    }
    while (w < PERF_WINDOWS.length && (seen === PERF_WINDOWS[w] || j <= 0)) {
      s.late0[w] = l0;
      s.late7[w] = l7;
      s.late30[w] = l30;
      s.partial[w] = part;
      s.paidAtDueRatio[w] = owed > 0 ? covered / owed : 1;
      w++;
    }
  }
  const k6 = Math.min(6, dueCount);
  let sum = 0;
  for (let j = dueCount - k6; j < dueCount; j++) sum += late[j]!;
  s.daysLateMean6 = k6 > 0 ? sum / k6 : 0;
  s.daysLateTrend6 = slope(late, dueCount - k6, k6);
}
