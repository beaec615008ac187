// Which loans the nightly run scores: originated by the as-of day and not closed (repaid, settled,
// written off) as far as the lender knew at the as-of instant.
import { dateToDay, localDayOf, parseInstant } from '../domain/history/calendar.js';
import { ClosedEvent, Contract, TIME_ZONE_DEFAULT, type LoanHistory } from '../domain/history/schema.js';

/** A closed event ends the loan at T once it has happened and been recorded by T. */
const closedBy = (e: { readonly at: string; readonly recordedAt?: string | undefined }, asOf: number): boolean =>
  parseInstant(e.at) <= asOf && parseInstant(e.recordedAt ?? e.at) <= asOf;

export function isActive(history: LoanHistory, asOf: number): boolean {
  if (dateToDay(history.contract.originationDate) > localDayOf(asOf, history.timeZone)) return false;
  for (const e of history.events) if (e.type === 'closed' && closedBy(e, asOf)) return false;
  return true;
}

const originationDate = Contract.shape.originationDate;

function localDay(zone: unknown, asOf: number): number | null {
  if (zone === undefined) return localDayOf(asOf, TIME_ZONE_DEFAULT);
  if (typeof zone !== 'string') return null;
  try {
    return localDayOf(asOf, zone);
  } catch {
    return null; // not a time zone
  }
}

/**
 * isActive decided on a record not yet validated, from the few fields that decide it, each checked
 * against the contract first: true when a valid origination date lies after the as-of day in a valid
 * time zone, or a valid closed event happened and was recorded by the as-of instant. Such a loan is
 * counted inactive without validating the rest of it (the nightly run skips 65% of a portfolio so);
 * false means "not known to be inactive", and the record is validated and checked as usual.
 */
export function knownInactive(raw: unknown, asOf: number): boolean {
  if (typeof raw !== 'object' || raw === null) return false;
  const h = raw as { timeZone?: unknown; contract?: { originationDate?: unknown }; events?: unknown };
  const date = h.contract?.originationDate;
  if (typeof date === 'string' && originationDate.safeParse(date).success) {
    const day = localDay(h.timeZone, asOf);
    if (day !== null && dateToDay(date) > day) return true;
  }
  if (!Array.isArray(h.events)) return false;
  for (const e of h.events as unknown[]) {
    if (typeof e !== 'object' || e === null || (e as { type?: unknown }).type !== 'closed') continue;
    const parsed = ClosedEvent.safeParse(e);
    if (parsed.success && closedBy(parsed.data, asOf)) return true;
  }
  return false;
}
