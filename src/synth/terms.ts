// A loan's fixed terms as the simulator sees them: schedule as day numbers and cumulative amounts,
// the borrower draw (with its latent fields) and the season calendar. Shared, never mutated.
import { civilToDay, dayToCivil } from '../domain/history/calendar.js';
import type { BorrowerDraw, LoanDraw } from './population.js';
import { seasonsBetween, type SeasonDays } from './seasons.js';

/** The lender's baseline collection policy; variants let a backtest show what a better policy prevents. */
export interface LenderPolicy {
  /** First DPD at which a collector calls (then every 3 days to DPD 30, every 2 days after). */
  readonly callFromDpd: number;
  /** Offer a grace period to a borrower who reports a hardship at DPD <= 30. */
  readonly offerGrace: boolean;
}

export const BASELINE_POLICY: LenderPolicy = { callFromDpd: 3, offerGrace: true };

export interface LoanTerms {
  readonly index: number;
  readonly policy: LenderPolicy;
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
  /** Per-day flags from origination (DAY_* bits), so the daily step never does calendar arithmetic. */
  readonly dayFlags: Uint8Array;
}

export const DAY_PAYDAY = 1;
export const DAY_WINTER = 2;
/** Twenty days before the Spring Festival: when the trip home is planned. */
export const DAY_FESTIVAL_PLAN = 4;
export const DAY_ARREARS_START = 8;
/** Days tabulated past the last due date (late payers) and past the cut-off (Monte Carlo horizons). */
const AFTER_LAST_DUE_DAYS = 240;
const AFTER_CUTOFF_DAYS = 61;

export function dayFlagsOf(t: LoanTerms, day: number): number {
  const i = day - t.originationDay;
  if (i >= 0 && i < t.dayFlags.length) return t.dayFlags[i]!;
  // Rare: a long Monte Carlo horizon or a very late payer runs past the table.
  return buildDayFlags(day, day, t.borrower, (((i - t.weeklyPayOffset) % 7) + 7) % 7, t.seasons)[0]!;
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
  readonly policy?: LenderPolicy;
}

export function buildTerms({ index, originationDay, cutoffDay, borrower, loan, dueDayOfMonth, fraudPhoneChangeDay, weeklyPayOffset, policy }: TermsDraw): LoanTerms {
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
  const lastTabulated = Math.min(cutoffDay, lastDue + AFTER_LAST_DUE_DAYS) + AFTER_CUTOFF_DAYS;
  const seasons = seasonsBetween(originationDay, Math.max(lastDue, cutoffDay) + 800);
  return {
    index,
    policy: policy ?? BASELINE_POLICY,
    originationDay,
    cutoffDay,
    borrower,
    loan,
    dueDays,
    amounts,
    principalParts,
    cumDue,
    fees: round2(loan.principal * loan.product.feeRate),
    seasons,
    fraudPhoneChangeDay,
    weeklyPayOffset,
    dayFlags: buildDayFlags(originationDay, lastTabulated, borrower, weeklyPayOffset, seasons),
  };
}

function buildDayFlags(from: number, to: number, b: BorrowerDraw, weeklyPayOffset: number, seasons: SeasonDays): Uint8Array {
  const flags = new Uint8Array(to - from + 1);
  const semiFirst = ((b.payday - 1) % 14) + 1;
  // Walk the civil calendar incrementally (dayToCivil per day allocated enough to dominate generation).
  let { year, month, day: dom } = dayToCivil(from);
  for (let d = from; d <= to; d++) {
    let payday: boolean;
    switch (b.payFrequency) {
      case 'daily':
        payday = (d + 4) % 7 !== 0; // rest on Sunday (day 0 was a Thursday)
        break;
      case 'weekly':
        payday = (d - from) % 7 === weeklyPayOffset;
        break;
      case 'semi_monthly':
        payday = dom === semiFirst || dom === semiFirst + 14;
        break;
      default:
        payday = dom === b.payday;
    }
    let f = payday ? DAY_PAYDAY : 0;
    if (month === 12 || month <= 2) f |= DAY_WINTER;
    flags[d - from] = f;
    if (++dom > daysInMonth(year, month)) {
      dom = 1;
      if (++month > 12) {
        month = 1;
        year++;
      }
    }
  }
  const mark = (day: number, bit: number): void => {
    if (day >= from && day <= to) flags[day - from]! |= bit;
  };
  for (const lny of seasons.lunarNewYear) mark(lny - 20, DAY_FESTIVAL_PLAN);
  for (const start of seasons.arrearsStart) mark(start, DAY_ARREARS_START);
  return flags;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
