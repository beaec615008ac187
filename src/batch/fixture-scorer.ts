// A small, transparent Scorer for exercising the batch mechanics (readers, workers, shards, resume)
// without a trained model: PD from days past due on the real DPD ledger, one rule, one step. It
// returns Decisions that are valid against the Decision schema. Selected with `scorer: 'fixture'`;
// production runs use the engine's scorer (scorer-factory.ts).
import { BANDS, type Band, type Decision } from '../domain/decision/schema.js';
import { formatInstant } from '../domain/history/calendar.js';
import { buildLedger } from '../domain/history/ledger.js';
import type { LoanHistory } from '../domain/history/schema.js';
import { buildTimeline } from '../domain/history/timeline.js';
import type { Scorer } from '../scoring/scorer.js';

const VERSIONS = { model: 'fixture-dpd-logistic@1', featureSet: 'fixture@1', ruleSet: 'fixture@1', policy: 'fixture@1' } as const;
const BAND_UPPER = [0.05, 0.15, 0.35, 0.6] as const;

function bandOf(pd: number): Band {
  const i = BAND_UPPER.findIndex((upper) => pd < upper);
  return BANDS[i === -1 ? BANDS.length - 1 : i]!;
}

export function fixtureDecision(history: LoanHistory, asOf: number): Decision {
  const ledger = buildLedger(buildTimeline(history, asOf));
  const maxOverdue = history.contract.maxOverdueDays;
  const pd = 1 / (1 + Math.exp(-(-3.5 + 0.08 * ledger.dpd)));
  const referral = ledger.dpd >= maxOverdue;
  const overdue = ledger.dpd > 0;
  const action = referral ? 'legal_review' : ledger.dpd > 30 ? 'collector_call' : overdue ? 'reminder' : 'none';
  return {
    loanId: history.loanId,
    asOf: formatInstant(asOf, history.timeZone),
    horizonDays: 60,
    pd,
    points: Math.round(600 - (50 / Math.LN2) * Math.log(pd / (1 - pd))),
    band: bandOf(pd),
    reasons: overdue
      ? [{ source: 'model', code: 'dpd', en: `${ledger.dpd} days past due`, zh: `逾期${ledger.dpd}天`, value: ledger.dpd, weight: 0.08 * ledger.dpd }]
      : [],
    ruleHits: [
      {
        ruleId: 'max_overdue_reached',
        outcome: referral ? 'hit' : 'no_hit',
        severity: 100,
        referralCondition: true,
        step: 'legal_review',
        en: 'Overdue reached the contract maximum',
        zh: '逾期达到合同上限',
        values: { dpd: ledger.dpd, maxOverdueDays: maxOverdue },
      },
    ],
    step: {
      action,
      channel: action === 'legal_review' ? 'legal' : action === 'collector_call' ? 'call' : action === 'reminder' ? 'sms' : 'none',
      priority: referral ? 'urgent' : ledger.dpd > 30 ? 'high' : overdue ? 'normal' : 'low',
      earliestContactAt: action === 'none' || action === 'legal_review' ? null : formatInstant(asOf, history.timeZone),
      en: action,
      zh: action,
    },
    guardrails: [],
    evidence: {
      dpd: ledger.dpd,
      maxOverdueDays: maxOverdue,
      overdueAmount: ledger.overdueAmount,
      contactAttempts: 0,
      contactsAnswered: 0,
      refusals: 0,
      promisesMade: 0,
      promisesBroken: 0,
      arrangementsOffered: 0,
      arrangementsBroken: 0,
      lastPaymentAt: null,
    },
    versions: { ...VERSIONS },
  };
}

export function createFixtureScorer(): Scorer {
  return {
    versions: VERSIONS,
    scoreOne: fixtureDecision,
    scoreMany: async (histories, asOf) => histories.map((h) => fixtureDecision(h, asOf)),
  };
}
