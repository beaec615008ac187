import fc from 'fast-check';
import { expect, it } from 'vitest';
import { dateDay, dayOfMonth, monthOf } from '../../../src/domain/features/days.js';
import { dateToDay, dayToCivil, dayToDate } from '../../../src/domain/history/calendar.js';

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
