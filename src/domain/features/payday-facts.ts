// Paying on payday: the share of payments made on the borrower's payday or within three days after.
import { dayOfMonth } from './days.js';
import type { LoanScan } from './scan.js';

/** Share of payments made on payday or within three days after it (monthly / semi-monthly pay). */
export function summarisePayday(s: LoanScan, frequency: string | undefined, payday: number | undefined): void {
  s.paydayShare = -1;
  const n = s.payDay.n;
  if (n === 0 || payday === undefined || (frequency !== 'monthly' && frequency !== 'semi_monthly' && frequency !== undefined)) return;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const dom = dayOfMonth(s.payDay.a[i]!);
    if (afterPayday(dom, payday) || (frequency === 'semi_monthly' && afterPayday(dom, ((payday + 14) % 30) + 1))) hits++;
  }
  s.paydayShare = hits / n;
}

/** Within 0..3 days after the payday, across a month end (months taken as 30 days). */
function afterPayday(dom: number, payday: number): boolean {
  let d = dom - payday;
  if (d < 0) d += 30;
  return d <= 3;
}
