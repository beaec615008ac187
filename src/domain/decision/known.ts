// "Was this instant at or before asOf?" for the decision's fast paths, which need to know that an
// event is visible but not when it was recorded: most instants are settled by their date prefix
// without a parse (features/instants.ts says why that is exact).
import { atOrBefore, safeDateKey } from '../features/instants.js';

/** safeDateKey of the last asOf asked (a batch shares one). */
let lastAsOf = Number.NaN;
let lastSafeKey = 0;

/** iso (an ISO 8601 date-time with offset) is at or before asOf (epoch ms). */
export function knownBy(iso: string, asOf: number): boolean {
  if (asOf !== lastAsOf) {
    lastSafeKey = safeDateKey(asOf);
    lastAsOf = asOf;
  }
  return atOrBefore(iso, asOf, lastSafeKey);
}

/** The event happened and was recorded by asOf (recordedAt absent: recorded when it happened). */
export function visibleBy(event: { readonly at: string; readonly recordedAt?: string | undefined }, asOf: number): boolean {
  return knownBy(event.at, asOf) && (event.recordedAt === undefined || knownBy(event.recordedAt, asOf));
}
