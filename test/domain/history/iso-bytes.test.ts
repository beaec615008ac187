// The byte checks of ISO dates and date-times accept exactly what zod's own patterns accept (the text
// reader's byte mode uses them in place of those regexes): every day of leap and common years and
// centuries, and date-times built from near-valid parts, then damaged. The one-pass check that also
// gives the instant (instant sites: the events' `at`) gives parseInstant's instant to the bit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseInstant } from '../../../src/domain/history/calendar.js';
import { isoDateBytes, isoDateTimeOffsetBytes, isoInstantOffsetBytes } from '../../../src/domain/history/iso-bytes.js';

const DATE = z.iso.date()._zod.def.pattern!;
const DATETIME = z.iso.datetime({ offset: true })._zod.def.pattern!;

/** The check over `text` placed inside quotes in a larger buffer, as the reader meets it. */
function inPlace<T>(check: (b: Uint8Array, p: number, q: number) => T, text: string): T {
  const b = Buffer.from(`{"at":"${text}"}`, 'latin1');
  return check(b, 7, 7 + text.length);
}

const two = (n: number) => String(n).padStart(2, '0');
const YEARS = ['0000', '0004', '0100', '0400', '1600', '1900', '1996', '1999', '2000', '2023', '2024', '2100', '2400', '9999'];
const ascii = fc.integer({ min: 0, max: 127 }).map((c) => String.fromCharCode(c));
/** Mostly in [min, max], now and then one of the edges past it. */
const mostly = (min: number, max: number, past: number[]) => fc.oneof({ weight: 4, arbitrary: fc.integer({ min, max }) }, { weight: 1, arbitrary: fc.constantFrom(...past) });
const datetimeArb = fc
  .record({
    year: fc.constantFrom(...YEARS),
    month: mostly(1, 12, [0, 13]),
    day: mostly(1, 28, [0, 29, 30, 31, 32]),
    t: fc.constantFrom('T', 'T', 'T', 'T', 't', ' '),
    hour: mostly(0, 23, [24, 25]),
    minute: mostly(0, 59, [60, 61]),
    second: fc.option(mostly(0, 59, [60, 61]), { freq: 8 }),
    fraction: fc.constantFrom('', '', '', '', '.', '.5', '.123', '.123456789', '.x', '.1.2'),
    zone: fc.constantFrom('Z', 'Z', '+08:00', '+08:00', '-05:30', '+23:59', '-24:00', '+08:60', 'z', '+08', '+0800', '', 'Z ', '+08:00Z'),
  })
  .map((r) => `${r.year}-${two(r.month)}-${two(r.day)}${r.t}${two(r.hour)}:${two(r.minute)}${r.second === null ? '' : `:${two(r.second)}`}${r.fraction}${r.zone}`);
/** A text damaged at one place: a character replaced, deleted or inserted. */
const damaged = (arb: fc.Arbitrary<string>) =>
  fc.tuple(arb, fc.nat(), fc.constantFrom('replace', 'delete', 'insert'), ascii).map(([s, at, kind, c]) => {
    const i = at % (s.length + 1);
    return kind === 'replace' ? s.slice(0, i) + c + s.slice(i + 1) : kind === 'delete' ? s.slice(0, i) + s.slice(i + 1) : s.slice(0, i) + c + s.slice(i);
  });

describe('ISO date and date-time checks over bytes', () => {
  it('accept exactly the dates zod accepts: every month and day number of leap, common and century years', () => {
    let accepted = 0;
    for (const year of YEARS) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          const text = `${year}-${two(month)}-${two(day)}`;
          const expected = DATE.test(text);
          expect(inPlace(isoDateBytes, text), text).toBe(expected);
          if (expected) accepted++;
        }
      }
    }
    // 365 or 366 days a year: the check was not vacuous.
    expect(accepted).toBe(YEARS.length * 365 + YEARS.filter((y) => DATE.test(`${y}-02-29`)).length);
    expect(YEARS.filter((y) => DATE.test(`${y}-02-29`))).toEqual(['0000', '0004', '0400', '1600', '1996', '2000', '2024', '2400']);
  });

  it('accept exactly the date-times zod accepts (offset required), damaged or not', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(datetimeArb, damaged(datetimeArb)), (text) => {
        const expected = DATETIME.test(text);
        if (expected) accepted++;
        expect(inPlace(isoDateTimeOffsetBytes, text)).toBe(expected);
        expect(inPlace(isoDateBytes, text)).toBe(DATE.test(text));
        const instant = inPlace(isoInstantOffsetBytes, text);
        if (expected) expect(Object.is(instant, parseInstant(text)), text).toBe(true);
        else expect(instant).toBeNaN();
      }),
      { numRuns: 10_000 },
    );
    expect(accepted).toBeGreaterThan(150);
  });

  it('give parseInstant\'s instant to the bit: any instant of years 0000-9999, fractions, offsets', () => {
    const partsArb = fc.record({
      // Any year, and more often the years the month table covers (1900-2199) and their edges.
      ms: fc.oneof(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), fc.integer({ min: Date.UTC(1899, 0, 1), max: Date.UTC(2201, 0, 1) })),
      fraction: fc.constantFrom('', '.0', '.5', '.999', '.1234', '.000001', '.9999999999', '.123456789012'),
      offset: fc.constantFrom('Z', '+00:00', '-00:00', '+08:00', '-05:30', '+14:00', '-12:00', '+23:59', '-23:59'),
    });
    fc.assert(
      fc.property(partsArb, ({ ms, fraction, offset }) => {
        const text = `${new Date(ms).toISOString().slice(0, 19)}${fraction}${offset}`;
        expect(DATETIME.test(text)).toBe(true);
        expect(Object.is(inPlace(isoInstantOffsetBytes, text), parseInstant(text)), text).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });

  it('never read past the end they are given', () => {
    const b = Buffer.from('2025-03-01T09:30:00+08:00', 'latin1');
    expect(isoDateTimeOffsetBytes(b, 0, b.length)).toBe(true);
    for (let q = 0; q < b.length; q++) expect(isoDateTimeOffsetBytes(b, 0, q)).toBe(DATETIME.test(b.toString('latin1', 0, q)));
    for (let q = 0; q < b.length; q++) expect(isoInstantOffsetBytes(b, 0, q)).toBeNaN();
    expect(isoInstantOffsetBytes(b, 0, b.length)).toBe(Date.parse('2025-03-01T09:30:00+08:00'));
    expect(isoDateBytes(b, 0, 10)).toBe(true);
    expect(isoDateBytes(b.subarray(0, 9), 0, 10)).toBe(false);
    // An end past the bytes: a missing byte is no digit, not a 0.
    expect(isoDateBytes(Buffer.from('2025-03-1', 'latin1'), 0, 10)).toBe(false);
    expect(isoInstantOffsetBytes(b.subarray(0, b.length - 1), 0, b.length)).toBeNaN();
  });
});
