import { describe, expect, it } from 'vitest';
import { daysSinceSpringFestival, daysToSpringFestival, SPRING_FESTIVAL_DAYS } from '../../../src/domain/features/index.js';
import { SPRING_FESTIVAL_YEARS } from '../../../src/domain/features/spring-festival.js';
import { dateToDay, dayToDate, DAY_MS } from '../../../src/domain/history/calendar.js';

// ICU's Chinese calendar is the independent oracle: new year is month 1, day 1. ICU approximates the
// new moon; in 2027 and 2030 the new moon falls within minutes of midnight Beijing time and ICU lands
// one day off the official calendar (Purple Mountain Observatory: 2027-02-06, 2030-02-03).
const ICU_OFF_BY_ONE: Readonly<Record<number, number>> = { 2027: 1, 2030: -1 };
const chinese = new Intl.DateTimeFormat('en-u-ca-chinese', { timeZone: 'UTC', month: 'numeric', day: 'numeric' });

describe('Spring Festival table', () => {
  it('lists the real lunar new year of every year 2000-2035', () => {
    expect(SPRING_FESTIVAL_YEARS).toEqual(Array.from({ length: 36 }, (_, i) => 2000 + i));
    SPRING_FESTIVAL_DAYS.forEach((day, i) => {
      expect(dayToDate(day).slice(0, 4)).toBe(String(SPRING_FESTIVAL_YEARS[i]));
      const icuDay = day + (ICU_OFF_BY_ONE[SPRING_FESTIVAL_YEARS[i]!] ?? 0);
      expect(chinese.format(new Date(icuDay * DAY_MS)), dayToDate(day)).toBe('1/1');
      expect(chinese.format(new Date((icuDay - 1) * DAY_MS)), dayToDate(day)).not.toBe('1/1');
    });
  });

  it('counts days to and since the festival', () => {
    expect(daysToSpringFestival(dateToDay('2026-02-17'))).toBe(0);
    expect(daysToSpringFestival(dateToDay('2026-02-10'))).toBe(7);
    expect(daysToSpringFestival(dateToDay('2026-02-18'))).toBe(dateToDay('2027-02-06') - dateToDay('2026-02-18'));
    expect(daysSinceSpringFestival(dateToDay('2026-02-17'))).toBe(0);
    expect(daysSinceSpringFestival(dateToDay('2026-03-01'))).toBe(12);
    expect(daysSinceSpringFestival(dateToDay('2026-02-16'))).toBe(dateToDay('2026-02-16') - dateToDay('2025-01-29'));
    expect(daysToSpringFestival(dateToDay('2036-03-01'))).toBe(-1);
    expect(daysSinceSpringFestival(dateToDay('1999-12-01'))).toBe(-1);
  });
});
