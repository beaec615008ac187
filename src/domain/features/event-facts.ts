// One visible event, in time order, into the scan's accumulators: every order-dependent fact (the
// unanswered streak, the first closure, arrangements) and every windowed count. Windows of N days
// are the local days d with asOfDay - N < d <= asOfDay.
import { CONTACT_DETAILS, type EventType, HARDSHIP_REASONS, type LoanEvent } from '../history/schema.js';
import { dateDay } from './days.js';
import type { LoanScan } from './scan.js';

const DAYS_PER_REPORTED_MONTH = 30;
const HARDSHIP_INDEX: Readonly<Record<string, number>> = Object.fromEntries(HARDSHIP_REASONS.map((r, i) => [r, i]));
const DETAIL_INDEX: Readonly<Record<string, number>> = Object.fromEntries(CONTACT_DETAILS.map((r, i) => [r, i]));

type EventOf<T extends EventType> = Extract<LoanEvent, { type: T }>;

/**
 * One event into the accumulators. `type` is ev.type, already read by the caller: read again here it
 * would go through a megamorphic inline cache (every event type's shapes meet at this one site). The
 * casts state what the switch establishes (TypeScript narrows on ev.type, not on a copy of it).
 */
export function visitEvent(s: LoanScan, ev: LoanEvent, type: EventType, day: number, at: number): void {
  // Cases in order of frequency (contacts are about two thirds of all events, payments a fifth).
  switch (type) {
    case 'contact': {
      const e = ev as EventOf<'contact'>;
      const direction = e.direction;
      const outcome = e.outcome;
      tallyContact(s, direction, outcome);
      if (e.thirdParty !== true) countContact(s, e.channel, direction, outcome, day);
      break;
    }
    case 'payment': {
      const amount = (ev as EventOf<'payment'>).amount;
      s.flowDay.push(day);
      s.flowAmt.push(amount);
      s.payDay.push(day);
      s.payAmt.push(amount);
      s.lastPaymentDay = day;
      s.lastPaymentAt = at;
      if (day > s.from30) s.payments30++;
      break;
    }
    case 'promise_to_pay': {
      const e = ev as EventOf<'promise_to_pay'>;
      s.ptpDay.push(day);
      s.ptpDue.push(dateDay(e.promisedDate));
      s.ptpAmt.push(e.amount);
      if (day > s.from60) s.ptpMade60++;
      break;
    }
    case 'payment_reversal':
      s.flowDay.push(day);
      s.flowAmt.push(-(ev as EventOf<'payment_reversal'>).amount);
      break;
    case 'statement': {
      const e = ev as EventOf<'statement'>;
      const reported = e.reportedDpd ?? (e.monthsLate === undefined ? -1 : e.monthsLate * DAYS_PER_REPORTED_MONTH);
      s.stDay.push(day);
      s.stDpd.push(reported);
      s.stBal.push(e.balance);
      s.stLimit.push(e.creditLimit ?? Number.NaN);
      s.stDelinquent.push(reported > 0 || e.status === 'delinquent' ? 1 : 0);
      s.stStatus.push(statusCode(e.status, reported));
      break;
    }
    case 'opt_out':
      s.optOuts++;
      break;
    case 'hardship_reported':
      s.hardshipEver++;
      if (day > s.from90) s.hardship90[HARDSHIP_INDEX[(ev as EventOf<'hardship_reported'>).reason]!]!++;
      break;
    case 'arrangement_offered':
      s.arrangementsOffered++;
      if (day > s.from90) s.arrangementsOffered90++;
      break;
    case 'arrangement_agreed': {
      const e = ev as EventOf<'arrangement_agreed'>;
      s.arrangementsAgreed++;
      const to = e.kind === 'grace' ? (e.graceUntil === undefined ? day : dateDay(e.graceUntil)) : planEnd(e.plan, day);
      s.pauses.agreed(e.arrangementId, e.kind === 'grace' ? 1 : 2, day, to);
      break;
    }
    case 'arrangement_broken':
      s.arrangementsBroken++;
      if (day > s.from90) s.arrangementsBroken90++;
      s.pauses.broken((ev as EventOf<'arrangement_broken'>).arrangementId, day);
      break;
    case 'contact_details_changed': {
      const field = (ev as EventOf<'contact_details_changed'>).field;
      if (day > s.from90) s.detailsChanged90[DETAIL_INDEX[field]!]!++;
      if (field === 'phone' && day - s.originationDay <= 30) s.phoneChangedEarly = 1;
      break;
    }
    case 'employment_changed':
      if (day > s.from90) s.employmentChanged90++;
      break;
    case 'legal_referral':
      s.referred = 1;
      break;
    case 'closed':
      if (s.closedDay < 0) {
        s.closedDay = day;
        s.closedReason = (ev as EventOf<'closed'>).reason;
      }
      break;
  }
}

/** Every contact, third parties' too, as the legal review's evidence counts them. */
export function tallyContact(s: LoanScan, direction: string, outcome: string): void {
  if (direction === 'outbound') s.outboundContacts++;
  if (outcome === 'answered') s.answeredContacts++;
  else if (outcome === 'refused') s.refusedContacts++;
}

/** Attempts are outbound call/robocall/visit; reached = answered or refused; third parties never count. */
export function countContact(s: LoanScan, channel: string, direction: string, outcome: string, day: number): void {
  const in30 = day > s.from30;
  const in7 = day > s.from7;
  if (in30) {
    if (outcome === 'refused') s.refusals30++;
    else if (outcome === 'switched_off') s.switchedOff30++;
    else if (outcome === 'wrong_number') s.wrongNumber30++;
  }
  if (direction === 'inbound') {
    if (in30) s.inbound30++;
    s.unansweredStreak = 0;
    s.lastReachedDay = day;
    return;
  }
  if (channel === 'sms') {
    if (in30) s.sms30++;
    return;
  }
  if (channel !== 'call' && channel !== 'robocall' && channel !== 'visit') return;
  const reached = outcome === 'answered' || outcome === 'refused';
  if (in30) {
    s.attempts30++;
    if (reached) s.reached30++;
  }
  if (in7) {
    s.attempts7++;
    if (reached) s.reached7++;
  }
  if (reached) {
    s.unansweredStreak = 0;
    s.lastReachedDay = day;
  } else if (outcome !== 'delivered') {
    s.unansweredStreak++;
  }
}

function planEnd(plan: ReadonlyArray<{ dueDate: string }> | undefined, from: number): number {
  let last = from;
  for (const p of plan ?? []) last = Math.max(last, dateDay(p.dueDate));
  return last;
}

/** -2 no balance, -1 paid in full, 0 revolving (minimum paid) or on time, n = months late. */
function statusCode(status: string | undefined, reportedDpd: number): number {
  if (status === 'no_balance') return -2;
  if (status === 'paid_in_full') return -1;
  return reportedDpd > 0 ? Math.round(reportedDpd / DAYS_PER_REPORTED_MONTH) : status === 'delinquent' ? 1 : 0;
}
