// The date-prefix shortcut must agree with a full parse for every instant, offset and asOf.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { atOrBefore, datePrefixKey, safeDateKey } from '../../../src/domain/features/instants.js';
import { DAY_MS, dayToDate, parseInstant } from '../../../src/domain/history/calendar.js';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** An ISO instant written in a given offset (minutes), with or without seconds and milliseconds. */
function isoIn(ms: number, offsetMin: number, style: number): string {
  const local = new Date(ms + offsetMin * 60_000).toISOString();
  const body = style === 0 ? local.slice(0, 16) : style === 1 ? local.slice(0, 19) : local.slice(0, 23);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return offsetMin === 0 && style === 2 ? `${body}Z` : `${body}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

describe('atOrBefore', () => {
  it('equals parseInstant(iso) <= asOf, near asOf and far from it', () => {
    const base = Date.UTC(2025, 0, 1);
    fc.assert(
      fc.property(
        fc.integer({ min: -400 * DAY_MS, max: 400 * DAY_MS }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        fc.integer({ min: 0, max: 2 }),
        fc.oneof(fc.integer({ min: -2 * DAY_MS, max: 2 * DAY_MS }), fc.integer({ min: -40 * DAY_MS, max: 40 * DAY_MS }), fc.constantFrom(0, 1, -1, 11 * DAY_MS, 10 * DAY_MS)),
        (t, offset, style, gap) => {
          const iso = isoIn(base + t, offset, style);
          const asOf = parseInstant(iso) + gap;
          expect(atOrBefore(iso, asOf)).toBe(parseInstant(iso) <= asOf);
          expect(atOrBefore(iso, asOf, safeDateKey(asOf))).toBe(parseInstant(iso) <= asOf);
        },
      ),
      { numRuns: 3000, seed: 11 },
    );
  });
});

describe('datePrefixKey', () => {
  it('orders instants as their dates, and sends any other shape to a full parse', () => {
    fc.assert(
      fc.property(fc.integer({ min: -30_000, max: 60_000 }), fc.integer({ min: -30_000, max: 60_000 }), (a, b) => {
        const x = `${dayToDate(a)}T12:00:00+08:00`;
        const y = `${dayToDate(b)}T00:00:00Z`;
        expect(Math.sign(datePrefixKey(x) - datePrefixKey(y))).toBe(Math.sign(a - b));
      }),
      { numRuns: 2000, seed: 12 },
    );
    expect(datePrefixKey('20250101T00:00:00Z')).toBe(Number.POSITIVE_INFINITY);
    expect(datePrefixKey('2025-01-01 00:00:00Z')).toBe(Number.POSITIVE_INFINITY);
  });
});
