// Spring Festival (lunar new year) dates, 2000-2035. Migrant workers go home around it and wages
// owed at year end are often paid late, so repayment behaviour shifts in the weeks either side.
// A test checks every date against the ICU Chinese calendar.
import { civilToDay } from '../history/calendar.js';

const DATES: ReadonlyArray<readonly [number, number, number]> = [
  [2000, 2, 5], [2001, 1, 24], [2002, 2, 12], [2003, 2, 1], [2004, 1, 22], [2005, 2, 9],
  [2006, 1, 29], [2007, 2, 18], [2008, 2, 7], [2009, 1, 26], [2010, 2, 14], [2011, 2, 3],
  [2012, 1, 23], [2013, 2, 10], [2014, 1, 31], [2015, 2, 19], [2016, 2, 8], [2017, 1, 28],
  [2018, 2, 16], [2019, 2, 5], [2020, 1, 25], [2021, 2, 12], [2022, 2, 1], [2023, 1, 22],
  [2024, 2, 10], [2025, 1, 29], [2026, 2, 17], [2027, 2, 6], [2028, 1, 26], [2029, 2, 13],
  [2030, 2, 3], [2031, 1, 23], [2032, 2, 11], [2033, 1, 31], [2034, 2, 19], [2035, 2, 8],
];

/** Day numbers (days since 1970-01-01) of each Spring Festival in the table, ascending. */
export const SPRING_FESTIVAL_DAYS: Int32Array = Int32Array.from(DATES, ([y, m, d]) => civilToDay(y, m, d));
export const SPRING_FESTIVAL_YEARS: readonly number[] = DATES.map(([y]) => y);

/** Days from `day` to the next Spring Festival on or after it; -1 beyond the table. */
export function daysToSpringFestival(day: number): number {
  for (let i = 0; i < SPRING_FESTIVAL_DAYS.length; i++) {
    const sf = SPRING_FESTIVAL_DAYS[i]!;
    if (sf >= day) return i === 0 && day < sf - 400 ? -1 : sf - day;
  }
  return -1;
}

/** Days since the latest Spring Festival on or before `day`; -1 outside the table. */
export function daysSinceSpringFestival(day: number): number {
  for (let i = SPRING_FESTIVAL_DAYS.length - 1; i >= 0; i--) {
    const sf = SPRING_FESTIVAL_DAYS[i]!;
    if (sf <= day) return i === SPRING_FESTIVAL_DAYS.length - 1 && day > sf + 400 ? -1 : day - sf;
  }
  return -1;
}
