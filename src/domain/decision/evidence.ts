// The evidence summary a legal review carries: what the lender did and what the borrower did,
// for the legal department's case review (identity and contract checks happen there).
import { dateToDay, formatInstant, localDayOf } from '../history/calendar.js';
import { eventIdsUnique } from '../history/id-table.js';
import { buildLedger, type Ledger } from '../history/ledger.js';
import type { LoanEvent, LoanHistory } from '../history/schema.js';
import { byAtThenId, timelineOf, type Timeline, type TimedEvent } from '../history/timeline.js';
import { VisibleWalk } from '../history/visible.js';
import type { LoanScan } from '../features/scan.js';
import { PromiseBook, promiseOutcomes, promiseOutcomesOf, type PromiseOutcomes } from '../rules/facts.js';
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

/**
 * What an evidence summary reports before rounding and formatting: read off the timeline (evidenceOf,
 * evidenceAt) or off the feature scan's facts (evidenceCountsOf, which the scorer reaches through its
 * feature engine, scoring/feature-engine.ts); the two agree on every loan (tested).
 */
export interface EvidenceCounts {
  readonly dpd: number;
  readonly overdueAmount: number;
  readonly contactAttempts: number;
  readonly contactsAnswered: number;
  readonly refusals: number;
  readonly promisesMade: number;
  readonly promisesBroken: number;
  readonly arrangementsOffered: number;
  readonly arrangementsBroken: number;
  /** The last payment's instant (epoch ms), or null. */
  readonly lastPaymentAt: number | null;
}

/** The summary as the decision shows it: the amount to the cent, the last payment in the loan's zone. */
export function evidenceSummary(c: EvidenceCounts, maxOverdueDays: number, zone: string): EvidenceSummary {
  return {
    dpd: c.dpd,
    maxOverdueDays,
    overdueAmount: Math.round(c.overdueAmount * 100) / 100,
    contactAttempts: c.contactAttempts,
    contactsAnswered: c.contactsAnswered,
    refusals: c.refusals,
    promisesMade: c.promisesMade,
    promisesBroken: c.promisesBroken,
    arrangementsOffered: c.arrangementsOffered,
    arrangementsBroken: c.arrangementsBroken,
    lastPaymentAt: c.lastPaymentAt === null ? null : formatInstant(c.lastPaymentAt, zone),
  };
}

/**
 * The counts off the feature scan's facts of one loan: its walk keeps the timeline's events (visible at
 * asOf, one per id, first recorded wins) in the timeline's order, and its ledger is buildLedger's.
 */
export function evidenceCountsOf(s: LoanScan): EvidenceCounts {
  const promises = promiseOutcomesOf({ day: s.flowDay.a, amount: s.flowAmt.a, n: s.flowDay.n }, { day: s.ptpDay.a, due: s.ptpDue.a, amount: s.ptpAmt.a, n: s.ptpDay.n }, s.asOfDay);
  return {
    dpd: s.dpd,
    overdueAmount: s.overdueAmount,
    contactAttempts: s.outboundContacts,
    contactsAnswered: s.answeredContacts,
    refusals: s.refusedContacts,
    promisesMade: promises.made,
    promisesBroken: promises.broken,
    arrangementsOffered: s.arrangementsOffered,
    arrangementsBroken: s.arrangementsBroken,
    lastPaymentAt: Number.isNaN(s.lastPaymentAt) ? null : s.lastPaymentAt,
  };
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
  lastPaymentAt: number | null,
): EvidenceSummary {
  const counts: EvidenceCounts = {
    dpd: ledger.dpd,
    overdueAmount: ledger.overdueAmount,
    contactAttempts,
    contactsAnswered,
    refusals,
    promisesMade: promises.made,
    promisesBroken: promises.broken,
    arrangementsOffered,
    arrangementsBroken,
    lastPaymentAt,
  };
  return evidenceSummary(counts, timeline.history.contract.maxOverdueDays, timeline.zone);
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
