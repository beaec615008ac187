import fc from 'fast-check';
import { expect, it } from 'vitest';
import { dateDay, dayOfMonth, dayOfMs, monthOf } from '../../../src/domain/features/days.js';
import { DAY_MS, dateToDay, dayToCivil, dayToDate } from '../../../src/domain/history/calendar.js';

it('table-driven date helpers equal the calendar arithmetic, inside and outside the tables', () => {
  fc.assert(
    fc.property(fc.integer({ min: -200_000, max: 200_000 }), (day) => {
      const date = dayToDate(day);
      expect(dateDay(date)).toBe(dateToDay(date));
      expect(dayOfMonth(day)).toBe(dayToCivil(day).day);
      expect(monthOf(day)).toBe(dayToCivil(day).month);
    }),
    { numRuns: 3000, seed: 3 },
  );
});

it('dayOfMs equals Math.floor(ms / DAY_MS), at day boundaries and between them', () => {
  const boundary = fc.tuple(fc.integer({ min: 0, max: 60_000 }), fc.integer({ min: -2, max: 2 })).map(([d, k]) => Math.max(0, d * DAY_MS + k));
  fc.assert(
    fc.property(fc.oneof(fc.integer({ min: 0, max: 2 ** 44 }), fc.maxSafeInteger().map((v) => v % 2 ** 52), boundary), (ms) => {
      expect(dayOfMs(ms)).toBe(Math.floor(ms / DAY_MS));
    }),
    { numRuns: 5000, seed: 5 },
  );
});
