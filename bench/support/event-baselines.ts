// The baselines bench:features (and bench:features-ab) set the feature engine against: loops that read
// every event of every loan once and do nothing else. One copy, so both benches measure the same loops.
import { atOrBefore, safeDateKey } from '../../src/domain/features/instants.js';
import { parseInstant } from '../../src/domain/history/calendar.js';
import type { LoanHistory } from '../../src/domain/history/schema.js';

/**
 * The baseline: read every event once, with the fields every feature vector needs from every event
 * at minimum: `at` parsed with the same parser and compared with asOf; recordedAt checked against asOf
 * the cheapest exact way (the scan's own date-prefix check, a full parse only near asOf; the point-in-
 * time contract); the id touched (one id counts once); the type and the amount touched.
 */
export function baseline(loans: readonly LoanHistory[], n: number, asOf: number): number {
  const safeKey = safeDateKey(asOf);
  let sink = 0;
  for (let i = 0; i < n; i++) {
    const events = loans[i % loans.length]!.events;
    for (let j = 0; j < events.length; j++) {
      const e = events[j]!;
      const at = parseInstant(e.at);
      if (at <= asOf && (e.recordedAt === undefined || atOrBefore(e.recordedAt, asOf, safeKey))) sink += e.id.length + e.type.length + ('amount' in e ? e.amount : 0);
    }
  }
  return sink;
}

/** The first baseline (the headline until 2026-11-29): `at` parsed, type and amount touched; no recordedAt, no id. */
export function baselineAtTypeAmount(loans: readonly LoanHistory[], n: number, asOf: number): number {
  let sink = 0;
  for (let i = 0; i < n; i++) {
    const events = loans[i % loans.length]!.events;
    for (let j = 0; j < events.length; j++) {
      const e = events[j]!;
      const at = parseInstant(e.at);
      if (at <= asOf) sink += e.type.length + ('amount' in e ? e.amount : 0);
    }
  }
  return sink;
}

/** The same with recordedAt checked the cheapest exact way, no id. */
export function baselinePointInTime(loans: readonly LoanHistory[], n: number, asOf: number): number {
  const safeKey = safeDateKey(asOf);
  let sink = 0;
  for (let i = 0; i < n; i++) {
    const events = loans[i % loans.length]!.events;
    for (let j = 0; j < events.length; j++) {
      const e = events[j]!;
      const at = parseInstant(e.at);
      if (at <= asOf && (e.recordedAt === undefined || atOrBefore(e.recordedAt, asOf, safeKey))) sink += e.type.length + ('amount' in e ? e.amount : 0);
    }
  }
  return sink;
}
