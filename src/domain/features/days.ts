// Table-driven civil-date helpers for the hot path: a due date or a payment's day of month costs a
// table lookup instead of a dozen divisions. Results equal calendar.ts (tested); outside the table
// range they fall back to it. Tables are built on first use, not at import.
import { civilToDay, DAY_MS, dateToDay, dayToCivil } from '../history/calendar.js';

const FIRST_YEAR = 1900;
const YEARS = 301;
let monthStart: Int32Array | null = null;
const FIRST_DAY = civilToDay(1970, 1, 1);
const LAST_DAY = civilToDay(2100, 12, 31);
let dayOfMonthTable: Uint8Array | null = null;
let monthTable: Uint8Array | null = null;

function monthStarts(): Int32Array {
  if (monthStart === null) {
    monthStart = new Int32Array(YEARS * 12);
    for (let y = 0; y < YEARS; y++) for (let m = 0; m < 12; m++) monthStart[y * 12 + m] = civilToDay(FIRST_YEAR + y, m + 1, 1);
  }
  return monthStart;
}

const digit = (s: string, i: number): number => s.charCodeAt(i) - 48;

/** 'YYYY-MM-DD' to a day number, as dateToDay. */
export function dateDay(date: string): number {
  const y = digit(date, 0) * 1000 + digit(date, 1) * 100 + digit(date, 2) * 10 + digit(date, 3) - FIRST_YEAR;
  const m = digit(date, 5) * 10 + digit(date, 6) - 1;
  if (y < 0 || y >= YEARS || m < 0 || m > 11) return dateToDay(date);
  return monthStarts()[y * 12 + m]! + digit(date, 8) * 10 + digit(date, 9) - 1;
}

function buildDayTables(): void {
  const n = LAST_DAY - FIRST_DAY + 1;
  dayOfMonthTable = new Uint8Array(n);
  monthTable = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = dayToCivil(FIRST_DAY + i);
    dayOfMonthTable[i] = c.day;
    monthTable[i] = c.month;
  }
}

/** Day of month (1..31) of a day number. */
export function dayOfMonth(day: number): number {
  if (day < FIRST_DAY || day > LAST_DAY) return dayToCivil(day).day;
  if (dayOfMonthTable === null) buildDayTables();
  return dayOfMonthTable![day - FIRST_DAY]!;
}

/** Month (1..12) of a day number. */
export function monthOf(day: number): number {
  if (day < FIRST_DAY || day > LAST_DAY) return dayToCivil(day).month;
  if (monthTable === null) buildDayTables();
  return monthTable![day - FIRST_DAY]!;
}

const INV_DAY = 1 / DAY_MS;

/** Math.floor(ms / DAY_MS) for 0 <= ms < 2^52: a multiply and an exact correction instead of a division. */
export function dayOfMs(ms: number): number {
  let q = Math.floor(ms * INV_DAY);
  const r = ms - q * DAY_MS;
  if (r < 0) q--;
  else if (r >= DAY_MS) q++;
  return q;
}
