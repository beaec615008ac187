// Which loans the nightly run scores: originated by the as-of day and not closed (repaid, settled,
// written off) as far as the lender knew at the as-of instant.
import { dateToDay, localDayOf, parseInstant } from '../domain/history/calendar.js';
import type { LoanHistory } from '../domain/history/schema.js';

export function isActive(history: LoanHistory, asOf: number): boolean {
  if (dateToDay(history.contract.originationDate) > localDayOf(asOf, history.timeZone)) return false;
  for (const e of history.events) {
    if (e.type !== 'closed') continue;
    if (parseInstant(e.at) <= asOf && parseInstant(e.recordedAt ?? e.at) <= asOf) return false;
  }
  return true;
}
