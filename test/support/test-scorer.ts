// A small, honest Scorer for testing the service before (and beside) the real one: it derives band and
// rules from the real DPD ledger and returns Decision objects that satisfy the zod schema.
import { BANDS, type Band, type Decision, type RuleHit } from '../../src/domain/decision/schema.js';
import { formatInstant } from '../../src/domain/history/calendar.js';
import { buildLedger } from '../../src/domain/history/ledger.js';
import type { LoanHistory } from '../../src/domain/history/schema.js';
import { buildTimeline } from '../../src/domain/history/timeline.js';
import type { Scorer } from '../../src/scoring/scorer.js';

export const TEST_VERSIONS = { model: 'test-model@1', featureSet: 'test-features@1', ruleSet: 'test-rules@1', policy: 'test-policy@1' };

function bandOf(dpd: number): Band {
  if (dpd <= 0) return 'low';
  if (dpd <= 7) return 'watch';
  if (dpd <= 30) return 'elevated';
  if (dpd <= 60) return 'high';
  return 'critical';
}

export function testDecision(history: LoanHistory, asOf: number): Decision {
  const timeline = buildTimeline(history, asOf);
  const ledger = buildLedger(timeline);
  const refusals = timeline.events.filter((e) => e.event.type === 'contact' && e.event.outcome === 'refused').length;
  const band = bandOf(ledger.dpd);
  const pd = Math.min(0.99, 0.01 + ledger.dpd / 100);
  const ruleHits: RuleHit[] = [
    {
      ruleId: 'dpd_over_30',
      outcome: ledger.dpd > 30 ? 'hit' : 'no_hit',
      severity: 60,
      referralCondition: false,
      step: 'collector_call',
      en: 'More than 30 days past due',
      zh: '逾期超过30天',
      values: { dpd: ledger.dpd },
    },
    {
      ruleId: 'refused_contact',
      outcome: refusals >= 1 ? 'hit' : 'no_hit',
      severity: 70,
      referralCondition: refusals >= 3,
      step: 'offer_plan',
      en: 'Borrower refused contact',
      zh: '借款人拒绝沟通',
      values: { refusals },
    },
  ];
  const hits = ruleHits.filter((h) => h.outcome === 'hit');
  const action = hits.length > 0 ? hits[0]!.step : ledger.dpd > 0 ? 'reminder' : 'none';
  return {
    loanId: history.loanId,
    asOf: formatInstant(asOf, history.timeZone),
    horizonDays: 60,
    pd,
    points: Math.round(600 - 50 * Math.log2(pd / (1 - pd))),
    band,
    reasons: hits.slice(0, 4).map((h) => ({ source: 'rule' as const, code: h.ruleId, en: h.en, zh: h.zh, value: null, weight: h.severity })),
    ruleHits,
    step: {
      action,
      channel: action === 'none' ? 'none' : action === 'reminder' ? 'sms' : 'call',
      priority: BANDS.indexOf(band) >= 3 ? 'high' : 'normal',
      earliestContactAt: action === 'none' ? null : formatInstant(asOf, history.timeZone),
      en: action,
      zh: action,
    },
    guardrails: [],
    evidence: {
      dpd: ledger.dpd,
      maxOverdueDays: history.contract.maxOverdueDays,
      overdueAmount: ledger.overdueAmount,
      contactAttempts: timeline.events.filter((e) => e.event.type === 'contact').length,
      contactsAnswered: 0,
      refusals,
      promisesMade: 0,
      promisesBroken: 0,
      arrangementsOffered: 0,
      arrangementsBroken: 0,
      lastPaymentAt: null,
    },
    versions: TEST_VERSIONS,
  };
}

export function createTestScorer(): Scorer & { calls: number } {
  const scorer = {
    versions: TEST_VERSIONS,
    calls: 0,
    scoreOne(history: LoanHistory, asOf: number): Decision {
      scorer.calls++;
      return testDecision(history, asOf);
    },
    async scoreMany(histories: readonly LoanHistory[], asOf: number): Promise<Decision[]> {
      return histories.map((h) => scorer.scoreOne(h, asOf));
    },
  };
  return scorer;
}
