// zod's ISO date and date-time (with offset) patterns, checked over bytes: the text reader's byte mode
// (text-read.ts) uses these in place of the regexes when a schema's pattern is exactly zod's own (a
// property test holds them to those regexes). Over a string the regex won: a hand-written check cost
// twice as much through charCodeAt (fast-parse.ts); over bytes it is the cheaper one.
import { civilToDay } from './calendar.js';

const isDigit = (c: number | undefined): c is number => c !== undefined && c >= 48 && c <= 57;

/** Two digits 00-23. */
function hourAt(b: Uint8Array, p: number): boolean {
  const c0 = b[p];
  const c1 = b[p + 1];
  return c0 === 50 ? c1 !== undefined && c1 >= 48 && c1 <= 51 : (c0 === 48 || c0 === 49) && isDigit(c1);
}

/** Two digits 00-59. */
function sixtyAt(b: Uint8Array, p: number): boolean {
  const c0 = b[p];
  return c0 !== undefined && c0 >= 48 && c0 <= 53 && isDigit(b[p + 1]);
}

/** YYYY-MM-DD at p, a day of the proleptic Gregorian calendar (years 0000-9999). */
function dateAt(b: Uint8Array, p: number): boolean {
  const y0 = b[p];
  const y1 = b[p + 1];
  const y2 = b[p + 2];
  const y3 = b[p + 3];
  const m0 = b[p + 5];
  const m1 = b[p + 6];
  const d0 = b[p + 8];
  const d1 = b[p + 9];
  if (!(isDigit(y0) && isDigit(y1) && isDigit(y2) && isDigit(y3) && isDigit(m0) && isDigit(m1) && isDigit(d0) && isDigit(d1))) return false;
  if (b[p + 4] !== 45 || b[p + 7] !== 45) return false;
  const month = (m0 - 48) * 10 + (m1 - 48);
  const day = (d0 - 48) * 10 + (d1 - 48);
  if (month < 1 || month > 12 || day < 1) return false;
  if (month === 2) {
    if (day <= 28) return true;
    if (day !== 29) return false;
    const year = (y0 - 48) * 1000 + (y1 - 48) * 100 + (y2 - 48) * 10 + (y3 - 48);
    return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  }
  return day <= (month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31);
}

/** b[p, q) matches zod's z.iso.date() pattern. */
export function isoDateBytes(b: Uint8Array, p: number, q: number): boolean {
  return q - p === 10 && dateAt(b, p);
}

/** b[p, q) matches zod's z.iso.datetime({ offset: true }) pattern: seconds required, a fraction optional, Z or ±HH:MM. */
export function isoDateTimeOffsetBytes(b: Uint8Array, p: number, q: number): boolean {
  if (q - p < 20 || !dateAt(b, p) || b[p + 10] !== 84) return false;
  if (!hourAt(b, p + 11) || b[p + 13] !== 58 || !sixtyAt(b, p + 14) || b[p + 16] !== 58 || !sixtyAt(b, p + 17)) return false;
  let i = p + 19;
  if (b[i] === 46) {
    i++;
    if (i >= q || !isDigit(b[i])) return false;
    while (i < q && isDigit(b[i])) i++;
  }
  if (i === q - 1) return b[i] === 90;
  return i === q - 6 && (b[i] === 43 || b[i] === 45) && hourAt(b, i + 1) && b[i + 3] === 58 && sixtyAt(b, i + 4);
}

const MS_PER_HOUR = 3_600_000;
/** A byte's digit value when it is one, else a value above 9 (unsigned). */
const digitAt = (b: Uint8Array, i: number): number => (b[i]! - 48) >>> 0;

/** The two digits at i as a number, or -1 when either is not a digit. */
function twoDigitsAt(b: Uint8Array, i: number): number {
  const high = digitAt(b, i);
  const low = digitAt(b, i + 1);
  return high > 9 || low > 9 ? -1 : high * 10 + low;
}

/**
 * isoDateTimeOffsetBytes and parseInstant (calendar.ts) in one pass over the bytes: the instant (epoch
 * ms) of b[p, q) when it matches zod's pattern, else NaN. Each digit is read once; parseInstant's
 * arithmetic step for step, so the two agree to the bit (property tests hold it to both).
 */
export function isoInstantOffsetBytes(b: Uint8Array, p: number, q: number): number {
  if (q - p < 20) return Number.NaN;
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
