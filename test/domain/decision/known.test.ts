// knownBy keeps the safe date key of the last asOf: it must follow asOf as it changes between calls.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { knownBy } from '../../../src/domain/decision/known.js';
import { DAY_MS, parseInstant } from '../../../src/domain/history/calendar.js';

const iso = (ms: number): string => new Date(ms).toISOString().replace('Z', '+00:00');

describe('knownBy', () => {
  it('equals parseInstant(iso) <= asOf whatever asOf the call before asked about', () => {
    const base = Date.UTC(2025, 5, 1);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: -60 * DAY_MS, max: 60 * DAY_MS }), fc.integer({ min: -30 * DAY_MS, max: 30 * DAY_MS })), { minLength: 1, maxLength: 20 }), (calls) => {
        for (const [t, gap] of calls) {
          const text = iso(base + t);
          const asOf = base + t + gap;
          expect(knownBy(text, asOf)).toBe(parseInstant(text) <= asOf);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('does not answer for an earlier asOf with the key of a later one', () => {
    const x = iso(Date.UTC(2025, 5, 1, 12));
    expect(knownBy(x, Date.UTC(2025, 8, 1))).toBe(true);
    expect(knownBy(x, Date.UTC(2025, 4, 1))).toBe(false);
    expect(knownBy(x, Date.UTC(2025, 8, 1))).toBe(true);
  });
});
