// The hand-written ISO date checkers accept exactly the strings zod's regexes accept.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isIsoDate, isIsoDateTimeOffset, ISO_DATE_SOURCE, ISO_DATETIME_OFFSET_SOURCE } from '../../../src/domain/history/iso-format.js';

const dateRegex = z.iso.date()._zod.def.pattern!;
const dateTimeRegex = z.iso.datetime({ offset: true })._zod.def.pattern!;

// Strings near the grammar: valid ones with characters replaced, inserted or cut, over a small alphabet.
const alphabet = fc.constantFrom(...'0123456789-:T+Z.z x'.split(''), '٣', '😀');
const validDate = fc.record({ y: fc.integer({ min: 0, max: 9999 }), m: fc.integer({ min: 0, max: 13 }), d: fc.integer({ min: 0, max: 32 }) })
  .map(({ y, m, d }) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
const validTime = fc.record({
  h: fc.integer({ min: 0, max: 25 }),
  mi: fc.integer({ min: 0, max: 61 }),
  s: fc.integer({ min: 0, max: 61 }),
  frac: fc.option(fc.stringMatching(/^\d{0,10}$/), { nil: undefined }),
  zone: fc.oneof(fc.constant('Z'), fc.record({ sign: fc.constantFrom('+', '-'), h: fc.integer({ min: 0, max: 25 }), m: fc.integer({ min: 0, max: 61 }) }).map((o) => `${o.sign}${String(o.h).padStart(2, '0')}:${String(o.m).padStart(2, '0')}`)),
}).map((t) => `${String(t.h).padStart(2, '0')}:${String(t.mi).padStart(2, '0')}:${String(t.s).padStart(2, '0')}${t.frac === undefined ? '' : `.${t.frac}`}${t.zone}`);

const edit = (s: string) =>
  fc.tuple(fc.nat({ max: s.length }), fc.nat({ max: 3 }), fc.array(alphabet, { maxLength: 3 }), fc.constantFrom('replace', 'insert', 'none')).map(([at, cut, chars, op]) =>
    op === 'none' ? s : op === 'insert' ? s.slice(0, at) + chars.join('') + s.slice(at) : s.slice(0, at) + chars.join('') + s.slice(at + cut),
  );

describe('hand-written ISO formats', () => {
  it('mirror the pattern sources zod 4 uses today (else the compiler falls back to the regex)', () => {
    expect(dateRegex.source).toBe(ISO_DATE_SOURCE);
    expect(dateTimeRegex.source).toBe(ISO_DATETIME_OFFSET_SOURCE);
  });

  it('accept exactly the dates the regex accepts', () => {
    fc.assert(fc.property(validDate.chain(edit), (s) => isIsoDate(s) === dateRegex.test(s)), { numRuns: 5000 });
    fc.assert(fc.property(fc.string({ unit: alphabet, maxLength: 12 }), (s) => isIsoDate(s) === dateRegex.test(s)), { numRuns: 2000 });
    for (const s of ['2024-02-29', '2000-02-29', '1900-02-29', '0000-02-29', '2025-02-29', '2025-04-31', '2025-12-31', '2025-00-01']) expect(isIsoDate(s)).toBe(dateRegex.test(s));
  });

  it('accept exactly the date-times the regex accepts', () => {
    const dateTime = fc.tuple(validDate, validTime).map(([d, t]) => `${d}T${t}`);
    fc.assert(fc.property(dateTime.chain(edit), (s) => isIsoDateTimeOffset(s) === dateTimeRegex.test(s)), { numRuns: 8000 });
    fc.assert(fc.property(fc.string({ unit: alphabet, maxLength: 30 }), (s) => isIsoDateTimeOffset(s) === dateTimeRegex.test(s)), { numRuns: 2000 });
    for (const s of ['2025-01-01T10:00:00Z', '2025-01-01T10:00:00.Z', '2025-01-01T10:00:00.1+23:59', '2025-01-01T24:00:00Z', '2025-01-01T10:00:00+0800', '2025-01-01T10:00Z']) {
      expect(isIsoDateTimeOffset(s)).toBe(dateTimeRegex.test(s));
    }
  });
});
