// Promises to pay, resolved against the payments: kept when payments from the day a promise was made
// to its date reach its amount (less the tolerance); broken once its date has passed without that.
import { PAID_TOLERANCE } from '../history/ledger.js';
import type { LoanScan } from './scan.js';

const EPS = 1e-6;

/** A promise is kept when payments from the day it was made to its date reach its amount. */
export function resolvePromises(s: LoanScan): void {
  const n = s.ptpDay.n;
  s.ptpKept60 = s.ptpBroken60 = s.ptpBrokenStreak = s.ptpPending = 0;
  s.lastBrokenPromiseDay = -1;
  if (n === 0) return;
  const from60 = s.asOfDay - 60;
  for (let i = 0; i < n; i++) {
    const made = s.ptpDay.a[i]!;
    const by = s.ptpDue.a[i]!;
    const until = Math.min(by, s.asOfDay);
    let paid = 0;
    for (let j = 0; j < s.payDay.n; j++) {
      const d = s.payDay.a[j]!;
      if (d >= made && d <= until) paid += s.payAmt.a[j]!;
    }
    const kept = paid >= s.ptpAmt.a[i]! - PAID_TOLERANCE - EPS;
    const recent = made > from60;
    if (kept) {
      if (recent) s.ptpKept60++;
      s.ptpBrokenStreak = 0;
    } else if (by < s.asOfDay) {
      if (recent) s.ptpBroken60++;
      s.ptpBrokenStreak++;
      if (by + 1 > s.lastBrokenPromiseDay) s.lastBrokenPromiseDay = by + 1;
    } else {
      s.ptpPending++;
    }
  }
}
