import { describe, expect, it } from 'vitest';
import { dateToDay, dayToDate } from '../../src/domain/history/calendar.js';
import { lunarNewYearDay } from '../../src/synth/lunar-new-year.js';

describe('Spring Festival dates', () => {
  it('uses the real dates for 2020-2030', () => {
    const known: Record<number, string> = { 2020: '2020-01-25', 2021: '2021-02-12', 2022: '2022-02-01', 2023: '2023-01-22', 2024: '2024-02-10', 2025: '2025-01-29', 2026: '2026-02-17', 2027: '2027-02-06', 2028: '2028-01-26', 2029: '2029-02-13', 2030: '2030-02-03' };
    for (const [year, date] of Object.entries(known)) expect(dayToDate(lunarNewYearDay(Number(year)))).toBe(date);
  });

  it('always falls between Jan 21 and Feb 20', () => {
    for (let y = 2015; y <= 2040; y++) {
      const d = lunarNewYearDay(y);
      expect(d).toBeGreaterThanOrEqual(dateToDay(`${y}-01-21`));
      expect(d).toBeLessThanOrEqual(dateToDay(`${y}-02-20`));
    }
  });
});
