// Civil-calendar arithmetic in a loan's own time zone. Days are integers (days since 1970-01-01 of
// the local civil date) so that the ledger and the features never touch Date objects on the hot path.
const MS_PER_DAY = 86_400_000;
const MS_PER_HOUR = 3_600_000;

/** Days since 1970-01-01 for a proleptic Gregorian civil date (Howard Hinnant's days_from_civil). */
export function civilToDay(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export interface Civil {
  year: number;
  month: number;
  day: number;
}

export function dayToCivil(dayNumber: number): Civil {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

export function dayToDate(dayNumber: number): string {
  const c = dayToCivil(dayNumber);
  return `${String(c.year).padStart(4, '0')}-${pad2(c.month)}-${pad2(c.day)}`;
}

const digit = (s: string, i: number): number => s.charCodeAt(i) - 48;
const num2 = (s: string, i: number): number => digit(s, i) * 10 + digit(s, i + 1);
const num4 = (s: string, i: number): number => num2(s, i) * 100 + num2(s, i + 2);

/** 'YYYY-MM-DD' to a day number (the string is validated by the schema before it gets here). */
export function dateToDay(date: string): number {
  return civilToDay(num4(date, 0), num2(date, 5), num2(date, 8));
}

/**
 * ISO 8601 instant to epoch milliseconds. A hand-rolled parser for the canonical shape
 * `YYYY-MM-DDTHH:MM[:SS[.fff]](Z|±HH:MM)` because Date.parse dominates feature time otherwise.
 */
export function parseInstant(iso: string): number {
  const n = iso.length;
  if (n < 17 || iso.charCodeAt(10) !== 84 /* T */) return slowParse(iso);
  const y = num4(iso, 0);
  const mo = num2(iso, 5);
  const d = num2(iso, 8);
  const hh = num2(iso, 11);
  const mi = num2(iso, 14);
  let i = 16;
  let sec = 0;
  let ms = 0;
  if (iso.charCodeAt(i) === 58 /* : */) {
    sec = num2(iso, i + 1);
    i += 3;
    if (iso.charCodeAt(i) === 46 /* . */) {
      i++;
      let scale = 100;
      while (i < n) {
        const c = iso.charCodeAt(i);
        if (c < 48 || c > 57) break;
        ms += (c - 48) * scale;
        scale /= 10;
        i++;
      }
      ms = Math.floor(ms);
    }
  }
  let offsetMin = 0;
  const c = iso.charCodeAt(i);
  if (c === 90 /* Z */ || c === 122 /* z */) {
    if (i + 1 !== n) return slowParse(iso);
  } else if ((c === 43 || c === 45) && i + 6 === n) {
    offsetMin = (num2(iso, i + 1) * 60 + num2(iso, i + 4)) * (c === 45 ? -1 : 1);
  } else {
    return slowParse(iso);
  }
  const value = (civilToDay(y, mo, d) * 24 + hh) * MS_PER_HOUR + mi * 60_000 + sec * 1000 + ms - offsetMin * 60_000;
  return Number.isNaN(value) ? slowParse(iso) : value;
}

function slowParse(iso: string): number {
  const v = Date.parse(iso);
  if (Number.isNaN(v)) throw new RangeError(`not an ISO 8601 instant: ${iso}`);
  return v;
}

/** UTC offset of a zone at an instant, in minutes; cached per zone and hour since zones change rarely. */
const offsetCache = new Map<string, Map<number, number>>();
/**
 * Hours kept per zone (~7.5 years of hours): a service scores instants its callers choose, so an
 * unbounded cache would grow with every distinct hour sent; past the cap a zone's hours start over.
 */
export const OFFSET_CACHE_HOURS_PER_ZONE = 65_536;
const formatters = new Map<string, Intl.DateTimeFormat>();
const FIXED_OFFSETS: Readonly<Record<string, number>> = { UTC: 0, 'Etc/UTC': 0, 'Asia/Shanghai': 480, 'Asia/Taipei': 480, 'Asia/Hong_Kong': 480 };
/** Instants from which FIXED_OFFSETS hold (these zones have had no DST since 1992). */
export const FIXED_OFFSETS_FROM_MS = 694_224_000_000;

/** The zone's constant UTC offset in minutes for instants >= FIXED_OFFSETS_FROM_MS, if it has one. */
export function fixedOffsetMinutes(zone: string): number | undefined {
  return FIXED_OFFSETS[zone];
}

export function zoneOffsetMinutes(ms: number, zone: string): number {
  // These zones have had no DST since 1992; skip Intl entirely for them.
  const fixed = FIXED_OFFSETS[zone];
  if (fixed !== undefined && ms >= FIXED_OFFSETS_FROM_MS) return fixed;
  let perZone = offsetCache.get(zone);
  if (perZone === undefined) {
    perZone = new Map();
    offsetCache.set(zone, perZone);
  }
  const hour = Math.floor(ms / MS_PER_HOUR);
  const cached = perZone.get(hour);
  if (cached !== undefined) return cached;
  let fmt = formatters.get(zone);
  if (fmt === undefined) {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, fmt);
  }
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(hour * MS_PER_HOUR)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = (civilToDay(parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1) * 24 + (parts.hour ?? 0)) * MS_PER_HOUR + (parts.minute ?? 0) * 60_000;
  const offset = Math.round((asUtc - hour * MS_PER_HOUR) / 60_000);
  if (perZone.size >= OFFSET_CACHE_HOURS_PER_ZONE) perZone.clear();
  perZone.set(hour, offset);
  return offset;
}

/** Hours held in the offset cache, over all zones (tests hold it bounded). */
export function offsetCacheEntries(): number {
  let n = 0;
  for (const perZone of offsetCache.values()) n += perZone.size;
  return n;
}

/** The local civil day number of an instant in a zone. */
export function localDayOf(ms: number, zone: string): number {
  return Math.floor((ms + zoneOffsetMinutes(ms, zone) * 60_000) / MS_PER_DAY);
}

/** Local wall-clock minutes since midnight (0..1439) of an instant in a zone. */
export function localMinuteOfDay(ms: number, zone: string): number {
  const local = ms + zoneOffsetMinutes(ms, zone) * 60_000;
  return Math.floor((((local % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY) / 60_000);
}

/** The instant at which a local wall-clock time (day number + minutes) occurs in a zone. */
export function localToInstant(dayNumber: number, minuteOfDay: number, zone: string): number {
  const guess = dayNumber * MS_PER_DAY + minuteOfDay * 60_000;
  // Two passes settle the offset except inside a DST gap, where the later offset wins.
  let ms = guess - zoneOffsetMinutes(guess, zone) * 60_000;
  ms = guess - zoneOffsetMinutes(ms, zone) * 60_000;
  return ms;
}

/** Local times in years 1000-9998, where dayToDate writes what Date#toISOString writes (four digits, no sign). */
const MIN_PLAIN_MS = Date.UTC(1000, 0, 1);
const MAX_PLAIN_MS = Date.UTC(9999, 0, 1);
let lastFormatted = { ms: Number.NaN, zone: '', text: '' };

/** ISO 8601 local time with the zone's offset, e.g. 2025-03-03T08:00:00+08:00 (seconds, no fraction). */
export function formatInstant(ms: number, zone: string): string {
  // A batch formats the same as-of instant in the same zone for every loan, and a decision's earliest
  // contact is mostly its as-of: one entry (bounded) kept per thread, a hit ~3 ns against ~200 formatted.
  if (ms === lastFormatted.ms && zone === lastFormatted.zone) return lastFormatted.text;
  const offset = zoneOffsetMinutes(ms, zone);
  const localMs = ms + offset * 60_000;
  let local: string;
  if (localMs >= MIN_PLAIN_MS && localMs < MAX_PLAIN_MS) {
    const day = Math.floor(localMs / MS_PER_DAY);
    const secondOfDay = Math.floor((localMs - day * MS_PER_DAY) / 1000);
    local = `${dayToDate(day)}T${pad2(Math.floor(secondOfDay / 3600))}:${pad2(Math.floor(secondOfDay / 60) % 60)}:${pad2(secondOfDay % 60)}`;
  } else {
    local = new Date(localMs).toISOString().slice(0, 19);
  }
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const text = `${local}${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
  lastFormatted = { ms, zone, text };
  return text;
}

export const DAY_MS = MS_PER_DAY;
