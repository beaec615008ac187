// Revolving facts from statements (status, streaks, utilisation) and the payments between them.
// Generic over statement and payment events, whatever the source.
import type { LoanScan } from './scan.js';
import { ensureF64, slope } from './scratch.js';

const EPS = 1e-6;
const DAYS_PER_REPORTED_MONTH = 30;

/** Revolving facts from statements and the payments between them. */
export function summariseStatements(scan: LoanScan, contractLimit: number | undefined): void {
  const n = scan.stDay.n;
  scan.statementCount = n;
  scan.revStatusCurrent = scan.revStatusWorst = scan.revStatusWorst6 = -1;
  scan.revDelinquent3 = scan.revDelinquent6 = scan.revDelinquentStreak = scan.revZeroPayment6 = 0;
  scan.revStatusTrend = scan.revUtilisationTrend = scan.revBillGrowth3 = 0;
  scan.revUtilisation = -1;
  scan.revPayToBill1 = scan.revPayToBill3 = scan.revPayToBill6 = 1;
  if (n === 0) return;
  const dpd = scan.stDpd.a;
  const bal = scan.stBal.a;
  const months = (s: number): number => (dpd[s]! < 0 ? 0 : dpd[s]! / DAYS_PER_REPORTED_MONTH);
  const limitOf = (s: number): number => {
    const l = scan.stLimit.a[s]!;
    return Number.isNaN(l) ? (contractLimit ?? Number.NaN) : l;
  };
  scan.revStatusCurrent = months(n - 1);
  let worst = 0;
  for (let s = 0; s < n; s++) worst = Math.max(worst, months(s));
  scan.revStatusWorst = worst;
  const first6 = Math.max(0, n - 6);
  let worst6 = 0;
  for (let s = first6; s < n; s++) {
    worst6 = Math.max(worst6, months(s));
    if (scan.stDelinquent.a[s] === 1) {
      scan.revDelinquent6++;
      if (s >= n - 3) scan.revDelinquent3++;
    }
  }
  scan.revStatusWorst6 = worst6;
  for (let s = n - 1; s >= 0 && scan.stDelinquent.a[s] === 1; s--) scan.revDelinquentStreak++;
  const ys = (scan.tmp = ensureF64(scan.tmp, 2 * n + 2));
  for (let s = first6; s < n; s++) ys[s - first6] = months(s);
  scan.revStatusTrend = slope(ys, 0, n - first6);
  const lastLimit = limitOf(n - 1);
  if (lastLimit > 0) scan.revUtilisation = bal[n - 1]! / lastLimit;
  let u = 0;
  for (let s = first6; s < n; s++) {
    const l = limitOf(s);
    if (l > 0) ys[u++] = bal[s]! / l;
  }
  scan.revUtilisationTrend = slope(ys, 0, u);
  if (n >= 3) {
    const older = bal[n - 3]!;
    const base = lastLimit > 0 ? lastLimit : Math.max(Math.abs(older), 1);
    scan.revBillGrowth3 = clamp((bal[n - 1]! - older) / base, -10, 10);
  }
  // Period s = (statement s-1, statement s]: payments in it against the bill of statement s-1.
  let j = 0;
  let prevDay = Number.NEGATIVE_INFINITY;
  const paidIn = ys;
  for (let s = 0; s < n; s++) {
    let paid = 0;
    while (j < scan.payDay.n && scan.payDay.a[j]! <= scan.stDay.a[s]!) {
      if (scan.payDay.a[j]! > prevDay) paid += scan.payAmt.a[j]!;
      j++;
    }
    paidIn[s] = paid;
    prevDay = scan.stDay.a[s]!;
  }
  for (let s = first6; s < n; s++) if (paidIn[s]! <= EPS) scan.revZeroPayment6++;
  const ratio = (k: number): number => {
    let paid = 0;
    let billed = 0;
    for (let s = Math.max(1, n - k); s < n; s++) {
      paid += paidIn[s]!;
      billed += Math.max(bal[s - 1]!, 0);
    }
    return billed > EPS ? Math.min(paid / billed, 10) : 1;
  };
  scan.revPayToBill1 = ratio(1);
  scan.revPayToBill3 = ratio(3);
  scan.revPayToBill6 = ratio(6);
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
