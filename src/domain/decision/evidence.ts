// The evidence summary a legal review carries: what the lender did and what the borrower did,
// for the legal department's case review (identity and contract checks happen there).
import { dateToDay, formatInstant, localDayOf } from '../history/calendar.js';
import { eventIdsUnique } from '../history/id-table.js';
import { buildLedger, type Ledger } from '../history/ledger.js';
import type { LoanEvent, LoanHistory } from '../history/schema.js';
import { byAtThenId, timelineOf, type Timeline, type TimedEvent } from '../history/timeline.js';
import { VisibleWalk } from '../history/visible.js';
import { PromiseBook, promiseOutcomes, type PromiseOutcomes } from '../rules/facts.js';
import { visibleBy } from './known.js';
import type { EvidenceSummary } from './schema.js';

export function evidenceOf(timeline: Timeline, ledger: Ledger): EvidenceSummary {
  let contactAttempts = 0;
  let contactsAnswered = 0;
  let refusals = 0;
  let arrangementsOffered = 0;
  let arrangementsBroken = 0;
  let lastPayment: number | null = null;
  for (const { event, at } of timeline.events) {
    switch (event.type) {
      case 'contact':
        if (event.direction === 'outbound') contactAttempts++;
        if (event.outcome === 'answered') contactsAnswered++;
        if (event.outcome === 'refused') refusals++;
        break;
      case 'arrangement_offered':
        arrangementsOffered++;
        break;
      case 'arrangement_broken':
        arrangementsBroken++;
        break;
      case 'payment':
        lastPayment = at;
        break;
      default:
        break;
    }
  }
  return summary(timeline, ledger, promiseOutcomes(timeline), contactAttempts, contactsAnswered, refusals, arrangementsOffered, arrangementsBroken, lastPayment);
}

function summary(
  timeline: Timeline,
  ledger: Ledger,
  promises: PromiseOutcomes,
  contactAttempts: number,
  contactsAnswered: number,
  refusals: number,
  arrangementsOffered: number,
  arrangementsBroken: number,
  lastPayment: number | null,
): EvidenceSummary {
  return {
    dpd: ledger.dpd,
    maxOverdueDays: timeline.history.contract.maxOverdueDays,
    overdueAmount: Math.round(ledger.overdueAmount * 100) / 100,
    contactAttempts,
    contactsAnswered,
    refusals,
    promisesMade: promises.made,
    promisesBroken: promises.broken,
    arrangementsOffered,
    arrangementsBroken,
    lastPaymentAt: lastPayment === null ? null : formatInstant(lastPayment, timeline.zone),
  };
}

/** evidenceAt's payments and promises (one thread, one loan at a time). */
const book = new PromiseBook();

/** Event types the ledger and the promise outcomes read: all an evidence summary needs a timeline of. */
const LEDGER_TYPES: ReadonlySet<LoanEvent['type']> = new Set(['payment', 'payment_reversal', 'statement', 'arrangement_agreed', 'arrangement_broken', 'closed', 'promise_to_pay']);

/**
 * evidenceOf without the full timeline, when no event id occurs twice (a re-sent id needs the
 * timeline's first-recorded rule). Contacts (most of a history) and offers are only counted; the
 * ledger and the promise outcomes get a timeline of the event types they read, sorted into (at, id)
 * order only when those do not come so. Null when an id repeats: use evidenceOf then.
 */
export function evidenceAt(history: LoanHistory, asOf: number): EvidenceSummary | null {
  if (!eventIdsUnique(history.events)) return null;
  const kept: TimedEvent[] = [];
  let contactAttempts = 0;
  let contactsAnswered = 0;
  let refusals = 0;
  let arrangementsOffered = 0;
  let arrangementsBroken = 0;
  // The last payment in (at, id) order is one at the latest instant.
  let lastPayment: number | null = null;
  const walk = new VisibleWalk(asOf);
  book.reset();
  for (const event of history.events) {
    if (event.type === 'contact') {
      // Counted only: whether it is visible is all that matters, mostly settled by the date prefixes.
      if (!visibleBy(event, asOf)) continue;
      if (event.direction === 'outbound') contactAttempts++;
      if (event.outcome === 'answered') contactsAnswered++;
      if (event.outcome === 'refused') refusals++;
    } else if (event.type === 'arrangement_offered') {
      if (!visibleBy(event, asOf)) continue;
      arrangementsOffered++;
    } else if (LEDGER_TYPES.has(event.type)) {
      if (!walk.sees(event.at, event.recordedAt)) continue;
      walk.keep(event.id);
      const day = localDayOf(walk.at, history.timeZone);
      kept.push({ event, at: walk.at, recordedAt: walk.recordedAt, day });
      if (event.type === 'arrangement_broken') {
        arrangementsBroken++;
      } else if (event.type === 'payment') {
        if (lastPayment === null || walk.at > lastPayment) lastPayment = walk.at;
        book.payment(day, event.amount);
      } else if (event.type === 'payment_reversal') {
        book.payment(day, -event.amount);
      } else if (event.type === 'promise_to_pay') {
        book.promise(day, dateToDay(event.promisedDate), event.amount);
      }
    }
  }
  if (!walk.ordered) kept.sort(byAtThenId);
  const timeline = timelineOf(history, asOf, kept);
  // The book noted payments and promises in timeline order only when they came in it.
  const promises = walk.ordered ? book.outcomes(timeline.asOfDay) : promiseOutcomes(timeline);
  return summary(timeline, buildLedger(timeline), promises, contactAttempts, contactsAnswered, refusals, arrangementsOffered, arrangementsBroken, lastPayment);
}
