// Fast ISO 8601 instants for simulated events (day number + local minute in a zone), without Date:
// formatting dominated generation time when it went through Date.toISOString.
import { dayToDate, localDayOf, localMinuteOfDay, localToInstant, zoneOffsetMinutes } from '../domain/history/calendar.js';

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
const HH_MM: readonly string[] = Array.from({ length: 1440 }, (_, m) => `${pad2(Math.floor(m / 60))}:${pad2(m % 60)}`);
const dates = new Map<number, string>();
const offsets = new Map<number, string>();

function dateOf(day: number): string {
  let s = dates.get(day);
  if (s === undefined) {
    s = dayToDate(day);
    if (dates.size > 100_000) dates.clear();
    dates.set(day, s);
  }
  return s;
}

function offsetOf(minutes: number): string {
  let s = offsets.get(minutes);
  if (s === undefined) {
    const abs = Math.abs(minutes);
    s = `${minutes < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
    offsets.set(minutes, s);
  }
  return s;
}

export interface LocalInstant {
  readonly ms: number;
  readonly iso: string;
}

/** The instant of a local wall-clock minute, as epoch ms and as ISO text with the zone's offset. */
export function localInstant(day: number, minute: number, zone: string): LocalInstant {
  const ms = localToInstant(day, minute, zone);
  return { ms, iso: `${dateOf(day)}T${HH_MM[minute]}:00${offsetOf(zoneOffsetMinutes(ms, zone))}` };
}

/** ISO text of an instant (whole minutes) in a zone. */
export function isoAt(ms: number, zone: string): string {
  return `${dateOf(localDayOf(ms, zone))}T${HH_MM[localMinuteOfDay(ms, zone)]}:00${offsetOf(zoneOffsetMinutes(ms, zone))}`;
}
