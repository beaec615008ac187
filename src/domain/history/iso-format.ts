// Hand-written twins of zod's ISO date and date-time patterns (z.iso.date(), z.iso.datetime({ offset: true })).
// The regexes cost ~0.2 µs a string, a third of the compiled validator's time on a typical history; these
// character loops accept exactly the same strings (a property test pins them to the regexes). The compiler
// uses them only when a schema's pattern source equals the one they were written from, else the regex itself.

/** zod 4's `z.iso.date()` pattern source, the one `isIsoDate` mirrors. */
export const ISO_DATE_SOURCE =
  '^(?:(?:\\d\\d[2468][048]|\\d\\d[13579][26]|\\d\\d0[48]|[02468][048]00|[13579][26]00)-02-29|\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|(?:02)-(?:0[1-9]|1\\d|2[0-8])))$';

/** zod 4's `z.iso.datetime({ offset: true })` pattern source, the one `isIsoDateTimeOffset` mirrors. */
export const ISO_DATETIME_OFFSET_SOURCE =
  '^(?:(?:\\d\\d[2468][048]|\\d\\d[13579][26]|\\d\\d0[48]|[02468][048]00|[13579][26]00)-02-29|\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|(?:02)-(?:0[1-9]|1\\d|2[0-8])))T(?:(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d+)?(?:Z|([+-](?:[01]\\d|2[0-3]):[0-5]\\d)))$';

const DASH = 45;
const COLON = 58;
const DOT = 46;
const PLUS = 43;
const T = 84;
const Z = 90;

/** The value of the ASCII digit at i, or -1 (also past the end: charCodeAt gives NaN). */
function digit(s: string, i: number): number {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/** Two ASCII digits at i as a number, or -1. */
function twoDigits(s: string, i: number): number {
  const a = digit(s, i);
  const b = digit(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

/** A Gregorian calendar date `YYYY-MM-DD` in s[0..10). */
function dateAtStart(s: string): boolean {
  const century = twoDigits(s, 0);
  const year = twoDigits(s, 2);
  if (century < 0 || year < 0 || s.charCodeAt(4) !== DASH || s.charCodeAt(7) !== DASH) return false;
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  if (month < 1 || month > 12 || day < 1) return false;
  if (month === 2) {
    const leap = year === 0 ? century % 4 === 0 : year % 4 === 0;
    return day <= (leap ? 29 : 28);
  }
  return day <= (month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31);
}

/** Two digits 00-23 then `:` then two digits 00-59, at i. */
function hourMinuteAt(s: string, i: number): boolean {
  const hour = twoDigits(s, i);
  const minute = twoDigits(s, i + 3);
  return hour >= 0 && hour <= 23 && s.charCodeAt(i + 2) === COLON && minute >= 0 && minute <= 59;
}

export function isIsoDate(s: string): boolean {
  return s.length === 10 && dateAtStart(s);
}

/** `YYYY-MM-DDTHH:MM:SS[.f+](Z|±HH:MM)`, seconds required, any number of fraction digits. */
export function isIsoDateTimeOffset(s: string): boolean {
  const n = s.length;
  if (n < 20 || !dateAtStart(s) || s.charCodeAt(10) !== T || !hourMinuteAt(s, 11) || s.charCodeAt(16) !== COLON) return false;
  const second = twoDigits(s, 17);
  if (second < 0 || second > 59) return false;
  let i = 19;
  if (s.charCodeAt(i) === DOT) {
    i++;
    const start = i;
    while (i < n && digit(s, i) >= 0) i++;
    if (i === start) return false;
  }
  const c = s.charCodeAt(i);
  if (c === Z) return i + 1 === n;
  if (c !== PLUS && c !== DASH) return false;
  return i + 6 === n && hourMinuteAt(s, i + 1);
}
