// A portfolio as a lazy sequence: loan k depends only on (seed, k), so any slice can be generated
// alone, in any order, by any worker, and a million loans never sit in memory.
import { civilToDay, dateToDay, dayToCivil } from '../domain/history/calendar.js';
import { TIME_ZONE_DEFAULT } from '../domain/history/schema.js';
import { generateLoan, type GeneratedLoan, type GeneratorOptions } from './generate-loan.js';
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
