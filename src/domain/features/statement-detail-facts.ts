// Statement detail for status-reporting sources: latest status codes, paid-in-full and revolving
// counts, balance and payment levels over the last six statements.
import type { LoanScan } from './scan.js';

export function summariseStatementDetail(scan: LoanScan): void {
  const n = scan.stDay.n;
  const code = scan.stStatus.a;
  scan.revStatusCode = n > 0 ? code[n - 1]! : -3;
  scan.revStatusCodePrev = n > 1 ? code[n - 2]! : -3;
  scan.revPaidFull6 = scan.revRevolving6 = 0;
  scan.revBalance = n > 0 ? scan.stBal.a[n - 1]! : 0;
  scan.revBalanceMean6 = scan.revPaymentLast = scan.revPaymentPrev = scan.revPaymentMean6 = 0;
  if (n === 0) return;
  const first6 = Math.max(0, n - 6);
  let balance = 0;
  for (let s = first6; s < n; s++) {
    if (code[s]! < 0) scan.revPaidFull6++;
    else if (code[s] === 0) scan.revRevolving6++;
    balance += scan.stBal.a[s]!;
  }
  scan.revBalanceMean6 = balance / (n - first6);
  // Period s = (statement s-1, statement s], as in summariseStatements.
  let j = 0;
  let prevDay = Number.NEGATIVE_INFINITY;
  let paid6 = 0;
  for (let s = 0; s < n; s++) {
    let paid = 0;
    while (j < scan.payDay.n && scan.payDay.a[j]! <= scan.stDay.a[s]!) {
      if (scan.payDay.a[j]! > prevDay) paid += scan.payAmt.a[j]!;
      j++;
    }
    if (s >= first6) paid6 += paid;
    if (s === n - 1) scan.revPaymentLast = paid;
    if (s === n - 2) scan.revPaymentPrev = paid;
    prevDay = scan.stDay.a[s]!;
  }
  scan.revPaymentMean6 = paid6 / (n - first6);
}
