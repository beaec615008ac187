// A loan's fixed terms as the simulator sees them: schedule as day numbers and cumulative amounts,
// the borrower draw (with its latent fields) and the season calendar. Shared, never mutated.
import { civilToDay, dayToCivil } from '../domain/history/calendar.js';
import type { BorrowerDraw, LoanDraw } from './population.js';
import { seasonsBetween, type SeasonDays } from './seasons.js';

export interface LoanTerms {
  readonly index: number;
  readonly originationDay: number;
  /** Last simulated day (the data cut-off). */
  readonly cutoffDay: number;
  readonly borrower: BorrowerDraw;
  readonly loan: LoanDraw;
  readonly dueDays: Int32Array;
  readonly amounts: Float64Array;
  readonly principalParts: Float64Array;
  /** Cumulative amount due through instalment i. */
  readonly cumDue: Float64Array;
  readonly fees: number;
  readonly seasons: SeasonDays;
  /** For fraud: the day the phone number is changed (else -1). */
  readonly fraudPhoneChangeDay: number;
  /** Weekday offset of weekly pay (0..6). */
  readonly weeklyPayOffset: number;
}

export const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Monthly due dates on a chosen day of month and an annuity amount. */
export interface TermsDraw {
  readonly index: number;
  readonly originationDay: number;
  readonly cutoffDay: number;
  readonly borrower: BorrowerDraw;
  readonly loan: LoanDraw;
  /** Day of month instalments fall due (1..28). */
  readonly dueDayOfMonth: number;
  readonly fraudPhoneChangeDay: number;
  readonly weeklyPayOffset: number;
}

export function buildTerms({ index, originationDay, cutoffDay, borrower, loan, dueDayOfMonth, fraudPhoneChangeDay, weeklyPayOffset }: TermsDraw): LoanTerms {
  const n = loan.instalmentCount;
  const r = loan.product.apr / 12;
  const payment = round2(r === 0 ? loan.principal / n : (loan.principal * r) / (1 - Math.pow(1 + r, -n)));
  const dueDays = new Int32Array(n);
  const amounts = new Float64Array(n);
  const principalParts = new Float64Array(n);
  const cumDue = new Float64Array(n);
  const o = dayToCivil(originationDay);
  let balance = loan.principal;
  let cum = 0;
  for (let i = 0; i < n; i++) {
    // The first due date is at least two weeks after origination.
    const m0 = o.month - 1 + i + (dueDayOfMonth - o.day >= 14 ? 0 : 1);
    dueDays[i] = civilToDay(o.year + Math.floor(m0 / 12), (m0 % 12) + 1, dueDayOfMonth);
    const interest = round2(balance * r);
    const principalPart = i === n - 1 ? round2(balance) : round2(payment - interest);
    principalParts[i] = principalPart;
    amounts[i] = round2(principalPart + interest);
    balance = round2(balance - principalPart);
    cum += amounts[i]!;
    cumDue[i] = cum;
  }
  const lastDue = dueDays[n - 1] ?? originationDay;
  return {
    index,
    originationDay,
    cutoffDay,
    borrower,
    loan,
    dueDays,
    amounts,
    principalParts,
    cumDue,
    fees: round2(loan.principal * loan.product.feeRate),
    seasons: seasonsBetween(originationDay, lastDue + 400),
    fraudPhoneChangeDay,
    weeklyPayOffset,
  };
}
