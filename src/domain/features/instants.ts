// Cheap point-in-time checks on ISO instants. Most events were recorded days or months before asOf;
// for those the date prefix settles "recorded at or before asOf" with a few digit reads instead of a
// full parse. An instant lies before the UTC day (date + 14) even with two-digit junk in its time and
// offset (under 4.2 days each) and a day past its month's end (3 days), so the shortcut is exact and
// only instants near asOf are parsed in full.
import { DAY_MS, dayToCivil, parseInstant } from '../history/calendar.js';

const SAFE_DAYS = 14;

const digit = (s: string, i: number): number => s.charCodeAt(i) - 48;

/** Orders instants by their date prefix (YYYY-MM-DD); +Infinity when the prefix is not of that shape. */
export function datePrefixKey(iso: string): number {
  if (iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45 || iso.charCodeAt(10) !== 84) return Number.POSITIVE_INFINITY;
  const year = digit(iso, 0) * 1000 + digit(iso, 1) * 100 + digit(iso, 2) * 10 + digit(iso, 3);
  return year * 512 + (digit(iso, 5) * 10 + digit(iso, 6)) * 32 + digit(iso, 8) * 10 + digit(iso, 9);
}

/** The key of the latest date whose instants, at any time and offset, are all at or before asOf. */
export function safeDateKey(asOf: number): number {
  const c = dayToCivil(Math.floor(asOf / DAY_MS) - SAFE_DAYS);
  return c.year * 512 + c.month * 32 + c.day;
}

/** iso (an ISO 8601 date-time with offset) is at or before asOf (epoch ms); safeKey = safeDateKey(asOf). */
export function atOrBefore(iso: string, asOf: number, safeKey: number = safeDateKey(asOf)): boolean {
  return datePrefixKey(iso) <= safeKey || parseInstant(iso) <= asOf;
}
