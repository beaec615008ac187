// The evidence summary a legal review carries: what the lender did and what the borrower did,
// for the legal department's case review (identity and contract checks happen there).
import { formatInstant } from '../history/calendar.js';
import type { Ledger } from '../history/ledger.js';
import type { Timeline } from '../history/timeline.js';
import { promiseOutcomes } from '../rules/facts.js';
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
  const promises = promiseOutcomes(timeline);
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
