import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { civilToDay, dateToDay, dayToCivil, dayToDate, formatInstant, localDayOf, localMinuteOfDay, localToInstant, OFFSET_CACHE_HOURS_PER_ZONE, offsetCacheEntries, parseInstant, zoneOffsetMinutes } from '../../../src/domain/history/calendar.js';

describe('calendar', () => {
  it('civil day numbers round-trip and match Date.UTC', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (d) => {
        const c = dayToCivil(d);
        expect(civilToDay(c.year, c.month, c.day)).toBe(d);
        if (c.year >= 1000 && c.year <= 9999) expect(Date.UTC(c.year, c.month - 1, c.day) / 86_400_000).toBe(d);
      }),
    );
    expect(dateToDay(dayToDate(20_000))).toBe(20_000);
  });

  it('the fast instant parser agrees with Date.parse', () => {
    const arb = fc.record({
      ms: fc.integer({ min: 0, max: 4_102_444_800_000 }),
      off: fc.integer({ min: -12 * 60, max: 14 * 60 }).map((m) => m - (m % 15)),
      frac: fc.boolean(),
    });
    fc.assert(
      fc.property(arb, ({ ms, off, frac }) => {
        const local = new Date(ms + off * 60_000).toISOString();
        const sign = off < 0 ? '-' : '+';
        const abs = Math.abs(off);
        const tz = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
        const iso = `${frac ? local.slice(0, 23) : local.slice(0, 19)}${tz}`;
        expect(parseInstant(iso)).toBe(Date.parse(iso));
        expect(parseInstant(local)).toBe(Date.parse(local));
      }),
    );
  });

  it('local days follow the zone, including DST zones', () => {
    const t = parseInstant('2025-03-01T17:30:00Z'); // 01:30 next day in Shanghai
    expect(dayToDate(localDayOf(t, 'Asia/Shanghai'))).toBe('2025-03-02');
    expect(dayToDate(localDayOf(t, 'America/New_York'))).toBe('2025-03-01');
    expect(localMinuteOfDay(t, 'Asia/Shanghai')).toBe(90);
    // New York on 2025-03-09 switches to UTC-4 at 02:00 local.
    const before = parseInstant('2025-03-09T06:30:00Z');
    const after = parseInstant('2025-03-09T07:30:00Z');
    expect(localMinuteOfDay(before, 'America/New_York')).toBe(90);
    expect(localMinuteOfDay(after, 'America/New_York')).toBe(210);
    expect(localToInstant(dateToDay('2025-07-01'), 8 * 60, 'America/New_York')).toBe(parseInstant('2025-07-01T08:00:00-04:00'));
    expect(localToInstant(dateToDay('2025-07-01'), 8 * 60, 'Asia/Shanghai')).toBe(parseInstant('2025-07-01T08:00:00+08:00'));
  });
});

describe('formatInstant', () => {
  // The Date-based formula it replaced: the oracle.
  const viaDate = (ms: number, zone: string): string => {
    const offset = zoneOffsetMinutes(ms, zone);
    const sign = offset < 0 ? '-' : '+';
    const abs = Math.abs(offset);
    return `${new Date(ms + offset * 60_000).toISOString().slice(0, 19)}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  };
  const zones = ['Asia/Shanghai', 'UTC', 'America/New_York', 'Asia/Kolkata', 'America/St_Johns', 'Pacific/Chatham'];

  it('writes what Date#toISOString writes, at any instant and in any zone, twice in a row', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_000_000_000_000, max: 250_000_000_000_000 }), fc.constantFrom(...zones), (ms, zone) => {
        expect(formatInstant(ms, zone)).toBe(viaDate(ms, zone));
        expect(formatInstant(ms, zone)).toBe(viaDate(ms, zone));
      }),
      { numRuns: 2000 },
    );
    expect(formatInstant(Date.parse('2025-03-03T00:00:00Z'), 'Asia/Shanghai')).toBe('2025-03-03T08:00:00+08:00');
    expect(formatInstant(Date.parse('2025-03-03T00:00:00Z'), 'America/New_York')).toBe('2025-03-02T19:00:00-05:00');
  });
});

describe('zone offset cache', () => {
  it('stays bounded however many distinct hours callers send, and keeps answering right past the cap', () => {
    const zone = 'America/New_York';
    const start = Date.UTC(1990, 0, 1);
    const hours = OFFSET_CACHE_HOURS_PER_ZONE + 5_000;
    for (let h = 0; h < hours; h++) zoneOffsetMinutes(start + h * 3_600_000, zone);
    // Other tests in this file cache a few hours of other zones; without the cap this zone alone holds 70,536.
    expect(offsetCacheEntries()).toBeLessThanOrEqual(OFFSET_CACHE_HOURS_PER_ZONE + 1_000);
    // After the cache started over: summer and winter offsets still come out right.
    expect(zoneOffsetMinutes(Date.UTC(1990, 6, 1, 12), zone)).toBe(-240);
    expect(zoneOffsetMinutes(Date.UTC(1990, 0, 15, 12), zone)).toBe(-300);
  });
});
