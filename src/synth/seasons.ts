// Calendar of the year's income shocks for a loan's span: the Spring Festival and the year-end wage
// arrears season (wages withheld from mid-November, released before the festival or later).
import { civilToDay, dayToCivil } from '../domain/history/calendar.js';
import { lunarNewYearDay } from './lunar-new-year.js';

export interface SeasonDays {
  /** Spring Festival day per covered year, ascending. */
  readonly lunarNewYear: readonly number[];
  /** Day the arrears season starts (Nov 15) per covered year, ascending. */
  readonly arrearsStart: readonly number[];
  /** Winter idle spells [Dec 1, Mar 1) for seasonal farm work. */
  readonly winter: ReadonlyArray<readonly [number, number]>;
}

export function seasonsBetween(fromDay: number, toDay: number): SeasonDays {
  const y0 = dayToCivil(fromDay).year - 1;
  const y1 = dayToCivil(toDay).year + 1;
  const lunarNewYear: number[] = [];
  const arrearsStart: number[] = [];
  const winter: Array<readonly [number, number]> = [];
  for (let y = y0; y <= y1; y++) {
    lunarNewYear.push(lunarNewYearDay(y));
    arrearsStart.push(civilToDay(y, 11, 15));
    winter.push([civilToDay(y, 12, 1), civilToDay(y + 1, 3, 1)]);
  }
  return { lunarNewYear, arrearsStart, winter };
}

export function inWinter(s: SeasonDays, day: number): boolean {
  for (const [a, b] of s.winter) if (day >= a && day < b) return true;
  return false;
}

/** The first Spring Festival strictly after a day (the one an arrears season runs up to). */
export function nextLunarNewYear(s: SeasonDays, day: number): number {
  for (const d of s.lunarNewYear) if (d > day) return d;
  return day + 80;
}
