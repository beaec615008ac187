// Cheap point-in-time checks on ISO instants. Most events were recorded days or months before asOf;
// for those the date prefix settles "recorded at or before asOf" with a table lookup instead of a
// full parse. Whatever the time of day and the offset (two digits each, so under 4.2 days each),
// an instant lies before the start of the UTC day (date + 10), so the shortcut is exact.
import { DAY_MS, parseInstant } from '../history/calendar.js';
import { dateDay } from './days.js';

const SAFE_DAYS = 10;

/** iso (an ISO 8601 date-time with offset) is at or before asOf (epoch ms). */
export function atOrBefore(iso: string, asOf: number): boolean {
  if (iso.charCodeAt(4) === 45 && iso.charCodeAt(7) === 45 && iso.charCodeAt(10) === 84 && (dateDay(iso) + SAFE_DAYS) * DAY_MS <= asOf) return true;
  return parseInstant(iso) <= asOf;
}
