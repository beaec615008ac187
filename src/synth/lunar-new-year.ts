// Spring Festival (first day of the first lunar month) in the mainland calendar, 2019-2031.
// Migrant workers travel home for roughly two weeks before to three weeks after it, with no wages.
import { dateToDay } from '../domain/history/calendar.js';

const LUNAR_NEW_YEAR: Readonly<Record<number, string>> = {
  2019: '2019-02-05',
  2020: '2020-01-25',
  2021: '2021-02-12',
  2022: '2022-02-01',
  2023: '2023-01-22',
  2024: '2024-02-10',
  2025: '2025-01-29',
  2026: '2026-02-17',
  2027: '2027-02-06',
  2028: '2028-01-26',
  2029: '2029-02-13',
  2030: '2030-02-03',
  2031: '2031-01-23',
};

export const LUNAR_YEARS_COVERED = { first: 2019, last: 2031 } as const;

/** Day number of the Spring Festival in a Gregorian year; outside the table, a mid-point estimate (Feb 5). */
export function lunarNewYearDay(year: number): number {
  const date = LUNAR_NEW_YEAR[year];
  return date === undefined ? dateToDay(`${String(year).padStart(4, '0')}-02-05`) : dateToDay(date);
}
