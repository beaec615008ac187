// zod's ISO date and date-time (with offset) patterns, checked over bytes: the text reader's byte mode
// (text-read.ts) uses these in place of the regexes when a schema's pattern is exactly zod's own (a
// property test holds them to those regexes). Over a string the regex won: a hand-written check cost
// twice as much through charCodeAt (fast-parse.ts); over bytes it is the cheaper one.
import { civilToDay } from './calendar.js';

/** A byte's digit value when it is one, else a value above 9 (unsigned); i within b (callers check q <= b.length). */
const digitAt = (b: Uint8Array, i: number): number => (b[i]! - 48) >>> 0;

/** YYYY-MM-DD at p, a day of the proleptic Gregorian calendar (years 0000-9999). */
function dateAt(b: Uint8Array, p: number): boolean {
  if (b[p + 4] !== 45 || b[p + 7] !== 45) return false;
  const century = twoDigitsAt(b, p);
  const yy = twoDigitsAt(b, p + 2);
  const month = twoDigitsAt(b, p + 5);
  const day = twoDigitsAt(b, p + 8);
  return century >= 0 && yy >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(century * 100 + yy, month);
}

/** b[p, q) matches zod's z.iso.date() pattern. */
export function isoDateBytes(b: Uint8Array, p: number, q: number): boolean {
  return q - p === 10 && q <= b.length && dateAt(b, p);
}

/** b[p, q) matches zod's z.iso.datetime({ offset: true }) pattern: seconds required, a fraction optional, Z or ±HH:MM. */
export function isoDateTimeOffsetBytes(b: Uint8Array, p: number, q: number): boolean {
  return !Number.isNaN(isoInstantOffsetBytes(b, p, q));
}

const MS_PER_HOUR = 3_600_000;

/** The two digits at i as a number, or -1 when either is not a digit. */
function twoDigitsAt(b: Uint8Array, i: number): number {
  const high = digitAt(b, i);
  const low = digitAt(b, i + 1);
  return high > 9 || low > 9 ? -1 : high * 10 + low;
}

/**
 * The check of zod's date-time pattern and parseInstant (calendar.ts) in one pass over the bytes: the
 * instant (epoch ms) of b[p, q) when it matches, else NaN. Each digit is read once; parseInstant's
 * arithmetic step for step, so the two agree to the bit (property tests hold it to both).
 */
export function isoInstantOffsetBytes(b: Uint8Array, p: number, q: number): number {
  if (q - p < 20 || q > b.length) return Number.NaN;
  if (b[p + 4] !== 45 || b[p + 7] !== 45 || b[p + 10] !== 84 || b[p + 13] !== 58 || b[p + 16] !== 58) return Number.NaN;
  const century = twoDigitsAt(b, p);
  const yy = twoDigitsAt(b, p + 2);
  const month = twoDigitsAt(b, p + 5);
  const day = twoDigitsAt(b, p + 8);
  const hour = twoDigitsAt(b, p + 11);
  const minute = twoDigitsAt(b, p + 14);
  const second = twoDigitsAt(b, p + 17);
  if (century < 0 || yy < 0 || month < 1 || month > 12 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return Number.NaN;
  const year = century * 100 + yy;
  if (day < 1 || day > daysIn(year, month)) return Number.NaN;
  let i = p + 19;
  let ms = 0;
  if (b[i] === 46) {
    i++;
    if (i >= q || digitAt(b, i) > 9) return Number.NaN;
    let scale = 100;
    while (i < q) {
      const c = digitAt(b, i);
      if (c > 9) break;
      ms += c * scale;
      scale /= 10;
      i++;
    }
    ms = Math.floor(ms);
  }
  let offsetMin: number;
  const sign = b[i];
  if (i === q - 1 && sign === 90) offsetMin = 0;
  else if (i === q - 6 && (sign === 43 || sign === 45) && b[i + 3] === 58) {
    const oh = twoDigitsAt(b, i + 1);
    const om = twoDigitsAt(b, i + 4);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return Number.NaN;
    offsetMin = (oh * 60 + om) * (sign === 45 ? -1 : 1);
  } else return Number.NaN;
  const k = (year - TABLE_FROM_YEAR) * 12 + month - 1;
  const days = k >= 0 && k < MONTH_STARTS.length ? MONTH_STARTS[k]! + day - 1 : civilToDay(year, month, day);
  return (days * 24 + hour) * MS_PER_HOUR + minute * 60_000 + second * 1000 + ms - offsetMin * 60_000;
}

// civilToDay of the 1st of each month of the years a loan lives in, looked up (its divisions were ~a
// quarter of this function's time); other years are computed.
const TABLE_FROM_YEAR = 1900;
const MONTH_STARTS = Int32Array.from({ length: 300 * 12 }, (_, k) => civilToDay(TABLE_FROM_YEAR + Math.floor(k / 12), (k % 12) + 1, 1));

/** Days in a month of the proleptic Gregorian calendar. */
function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
