// A portfolio as a lazy sequence: loan k depends only on (seed, k), so any slice can be generated
// alone, in any order, by any worker, and a million loans never sit in memory.
import { civilToDay, dateToDay, dayToCivil } from '../domain/history/calendar.js';
import { TIME_ZONE_DEFAULT } from '../domain/history/schema.js';
import { borrowerIdOf, drawTerms, generateLoan, loanIdOf, type GeneratedLoan, type GeneratorOptions } from './generate-loan.js';
import type { LenderPolicy } from './terms.js';

export interface PortfolioSpec {
  readonly seed: number;
  /** First origination date, YYYY-MM-DD. */
  readonly start: string;
  /** Months of data; the last day is the data cut-off. */
  readonly months: number;
  readonly horizonDays?: number;
  /** Monte Carlo paths per weekly snapshot; 0 = no ground truth. */
  readonly paths?: number;
  readonly timeZone?: string;
  /** The lender's collection policy (default: the baseline). */
  readonly policy?: LenderPolicy;
}

export const DEFAULT_PATHS = 32;
/** Loans originate in all but the last quarter of the window (at most 3 months), so each has some history. */
export const SEASONING_MONTHS_MAX = 3;

export function generatorOptions(spec: PortfolioSpec): GeneratorOptions {
  const startDay = dateToDay(spec.start);
  const c = dayToCivil(startDay);
  const addMonths = (m: number): number => civilToDay(c.year + Math.floor((c.month - 1 + m) / 12), ((c.month - 1 + m) % 12) + 1, 1) + (c.day - 1);
  const cutoffDay = addMonths(spec.months) - 1;
  const seasoning = Math.min(SEASONING_MONTHS_MAX, Math.floor(spec.months / 4));
  return {
    seed: spec.seed,
    startDay,
    originationDays: Math.max(1, addMonths(spec.months - seasoning) - startDay),
    cutoffDay,
    horizonDays: spec.horizonDays ?? 60,
    paths: spec.paths ?? DEFAULT_PATHS,
    timeZone: spec.timeZone ?? TIME_ZONE_DEFAULT,
    ...(spec.policy === undefined ? {} : { policy: spec.policy }),
  };
}

export function* generatePortfolio(spec: PortfolioSpec, loans: number, first = 0): Generator<GeneratedLoan> {
  const opts = generatorOptions(spec);
  for (let k = first; k < first + loans; k++) yield generateLoan(opts, k);
}

/**
 * The same loans as generatePortfolio(spec, loans), in origination order (ties by draw index k), with
 * loan and borrower ids issued in that order (L0000000 is the first disbursed), as a lender numbers
 * them and a lender's extract is sorted. Only the ids differ from loan k's draw-order content. The
 * origination days (terms only, no simulation) are drawn first: 4 bytes a loan.
 */
export function* generatePortfolioByOrigination(spec: PortfolioSpec, loans: number): Generator<GeneratedLoan> {
  const opts = generatorOptions(spec);
  const days = new Int32Array(loans);
  for (let k = 0; k < loans; k++) days[k] = drawTerms(opts, k).originationDay;
  const order = Array.from({ length: loans }, (_, k) => k).sort((a, b) => days[a]! - days[b]! || a - b);
  for (const [n, k] of order.entries()) {
    const loan = generateLoan(opts, k);
    const loanId = loanIdOf(n);
    yield {
      ...loan,
      history: { ...loan.history, loanId, borrowerId: borrowerIdOf(n) },
      truth: loan.truth === null ? null : { ...loan.truth, loanId },
    };
  }
}
