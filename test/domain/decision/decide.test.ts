import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, type DecisionInput } from '../../../src/domain/decision/decide.js';
import { Decision, type RuleHit } from '../../../src/domain/decision/schema.js';
import { buildLedger } from '../../../src/domain/history/ledger.js';
import { buildTimeline } from '../../../src/domain/history/timeline.js';
import { evidenceOf } from '../../../src/domain/decision/evidence.js';
import { call, loan, pay, promise, sh } from '../../support/rules-history.js';
import { defaultPolicy } from '../../support/rule-config.js';

const policy = defaultPolicy();
const EVIDENCE = { dpd: 95, maxOverdueDays: 90, overdueAmount: 1500, contactAttempts: 12, contactsAnswered: 1, refusals: 2, promisesMade: 2, promisesBroken: 2, arrangementsOffered: 0, arrangementsBroken: 0, lastPaymentAt: null };

function hit(ruleId: string, step: RuleHit['step'], severity: number, referralCondition = false, outcome: RuleHit['outcome'] = 'hit'): RuleHit {
  return { ruleId, outcome, severity, referralCondition, step, en: ruleId, zh: ruleId, values: { dpd: 95 } };
}

function input(over: Partial<DecisionInput> = {}): DecisionInput {
  return {
    loanId: 'L1',
    asOf: sh('2025-06-02', '10:00'),
    zone: 'Asia/Shanghai',
    horizonDays: 60,
    pd: 0.02,
    points: 700,
    attributions: [],
    ruleResults: [],
    contact: { attempts: [], optedOut: new Set(), phoneReachesThirdParty: false },
    arrangementKept: false,
    evidence: EVIDENCE,
    versions: { model: 'm1', featureSet: 'f1', ruleSet: 'r1', policy: 'p1' },
    ...over,
  };
}

describe('decide', () => {
  it('maps PD to the band and the band to its step when no rule hits', () => {
    expect(decide(input({ pd: 0.01 }), policy)).toMatchObject({ band: 'low', step: { action: 'none', channel: 'none', earliestContactAt: null, priority: 'low' } });
    expect(decide(input({ pd: 0.1 }), policy)).toMatchObject({ band: 'watch', step: { action: 'reminder', channel: 'sms' } });
    expect(decide(input({ pd: 0.2 }), policy)).toMatchObject({ band: 'elevated', step: { action: 'robocall', channel: 'robocall' } });
    expect(decide(input({ pd: 0.4 }), policy)).toMatchObject({ band: 'high', step: { action: 'collector_call', channel: 'call', priority: 'high' } });
    expect(decide(input({ pd: 0.6 }), policy)).toMatchObject({ band: 'critical', step: { priority: 'urgent' } });
  });

  it('escalates to the highest step a rule hit asks for, with its priority', () => {
    const d = decide(input({ pd: 0.02, ruleResults: [hit('job_loss', 'offer_plan', 55), hit('late', 'reminder', 30)] }), policy);
    expect(d.step).toMatchObject({ action: 'offer_plan', channel: 'call', priority: 'low', earliestContactAt: '2025-06-02T10:00:00+08:00' });
    expect(decide(input({ ruleResults: [hit('near_max', 'final_notice', 85)] }), policy).step).toMatchObject({ action: 'final_notice', channel: 'letter', priority: 'high' });
  });

  it('recommends legal review only when a referral condition hits, then with evidence', () => {
    const referral = decide(input({ pd: 0.7, ruleResults: [hit('max_overdue_reached', 'legal_review', 100, true)] }), policy);
    expect(referral.step).toMatchObject({ action: 'legal_review', channel: 'legal', priority: 'urgent', earliestContactAt: null });
    expect(referral.evidence).toEqual(EVIDENCE);
    // A rule asking for legal review that is not a referral condition falls back to the final notice.
    const notReferral = decide(input({ pd: 0.7, ruleResults: [hit('odd', 'legal_review', 50, false)] }), policy);
    expect(notReferral.step.action).toBe('final_notice');
    expect(notReferral.evidence).toBeNull();
  });

  it('never recommends legal review while an agreed arrangement is being kept', () => {
    const d = decide(input({ pd: 0.7, arrangementKept: true, ruleResults: [hit('max_overdue_reached', 'legal_review', 100, true)] }), policy);
    expect(d.step.action).toBe('reminder');
    expect(d.evidence).toBeNull();
    expect(d.guardrails.map((g) => g.guardrail)).toContain('arrangement_kept');
    // Below the cap a kept arrangement changes nothing.
    expect(decide(input({ pd: 0.1, arrangementKept: true }), policy).guardrails).toEqual([]);
  });

  it('computes evidence on demand only for a legal review', () => {
    let calls = 0;
    const lazy = () => {
      calls++;
      return EVIDENCE;
    };
    decide(input({ evidence: lazy }), policy);
    expect(calls).toBe(0);
    decide(input({ evidence: lazy, ruleResults: [hit('r', 'legal_review', 90, true)] }), policy);
    expect(calls).toBe(1);
  });

  it('schedules the step at the next allowed time instead of breaking quiet hours', () => {
    const d = decide(input({ asOf: sh('2025-06-02', '22:30'), pd: 0.4 }), policy);
    expect(d.step.earliestContactAt).toBe('2025-06-03T08:00:00+08:00');
    expect(d.guardrails.map((g) => g.guardrail)).toEqual(['quiet_hours']);
    expect(d.asOf).toBe('2025-06-02T22:30:00+08:00');
  });

  it('keeps errored rules in ruleHits (for audit) without letting them act', () => {
    const d = decide(input({ ruleResults: [hit('broken', 'legal_review', 100, true, 'error'), hit('quiet', 'reminder', 10, false, 'no_hit')] }), policy);
    expect(d.step.action).toBe('none');
    expect(d.ruleHits.map((r) => r.ruleId)).toEqual(['broken']);
    expect(d.reasons).toEqual([]);
  });

  it('merges at most four reasons: referral and severe rules first, then the model', () => {
    const attributions = [
      { feature: 'dpd', contribution: 1.2, value: 95, en: 'Days past due', zh: '逾期天数' },
      { feature: 'unanswered_streak', contribution: 0.8, value: 12, en: 'Unanswered calls in a row', zh: '连续未接通次数' },
      { feature: 'income', contribution: -0.5, value: 3000, en: 'Income', zh: '收入' },
      { feature: 'refusals_30d', contribution: 0.3, value: 2, en: 'Refusals', zh: '拒绝次数' },
    ];
    const d = decide(input({ pd: 0.8, attributions, ruleResults: [hit('late', 'reminder', 30), hit('max_overdue_reached', 'legal_review', 100, true), hit('near', 'final_notice', 85)] }), policy);
    expect(d.reasons.map((r) => `${r.source}:${r.code}`)).toEqual(['rule:max_overdue_reached', 'rule:near', 'model:dpd', 'model:unanswered_streak']);
    expect(d.reasons[2]).toMatchObject({ en: 'Days past due', zh: '逾期天数', value: 95, weight: 1.2 });
    // With no model reasons, rule reasons fill the places.
    expect(decide(input({ ruleResults: [hit('a', 'reminder', 30), hit('b', 'reminder', 40), hit('c', 'reminder', 20)] }), policy).reasons.map((r) => r.code)).toEqual(['b', 'a', 'c']);
  });

  it('always returns a valid Decision and keeps the legal-review law (property)', () => {
    const ruleArb = fc.record({
      ruleId: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
      outcome: fc.constantFrom('hit', 'no_hit', 'error'),
      severity: fc.integer({ min: 0, max: 100 }),
      referralCondition: fc.boolean(),
      step: fc.constantFrom('none', 'reminder', 'robocall', 'collector_call', 'offer_plan', 'consider_grace', 'final_notice', 'legal_review'),
      en: fc.constant('e'),
      zh: fc.constant('z'),
      values: fc.constant({}),
    }) as fc.Arbitrary<RuleHit>;
    const attrArb = fc.record({ feature: fc.constantFrom('x', 'y', 'z', 'w', 'v'), contribution: fc.double({ min: -2, max: 2, noNaN: true }), value: fc.integer(), en: fc.constant('e'), zh: fc.constant('z') });
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.array(ruleArb, { maxLength: 8 }), fc.array(attrArb, { maxLength: 8 }), fc.boolean(), fc.integer({ min: 0, max: 86_400_000 * 2 }), (pd, ruleResults, attributions, arrangementKept, offset) => {
        const d = decide(input({ pd, ruleResults, attributions, arrangementKept, asOf: sh('2025-06-02', '00:00') + offset }), policy);
        expect(Decision.safeParse(d).success).toBe(true);
        expect(d.reasons.length).toBeLessThanOrEqual(4);
        if (d.step.action === 'legal_review') {
          expect(arrangementKept).toBe(false);
          expect(ruleResults.some((r) => r.outcome === 'hit' && r.referralCondition)).toBe(true);
          expect(d.evidence).not.toBeNull();
        }
        if (d.step.earliestContactAt !== null && d.step.channel !== 'letter') {
          const hh = Number(d.step.earliestContactAt.slice(11, 13));
          expect(hh >= 8 && hh < 21).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('evidenceOf', () => {
  it('summarises contacts, promises and DPD as of the decision, from the history', () => {
    const h = loan({
      events: [
        pay('2025-02-01T09:00:00+08:00'),
        call('2025-03-05T10:00:00+08:00', 'answered'),
        promise('2025-03-05T10:05:00+08:00', '2025-03-10'),
        call('2025-03-20T10:00:00+08:00', 'refused'),
        call('2025-04-20T10:00:00+08:00', 'no_answer'),
        promise('2025-05-01T10:00:00+08:00', '2025-07-01'),
      ],
    });
    const tl = buildTimeline(h, sh('2025-06-02'));
    const ev = evidenceOf(tl, buildLedger(tl));
    expect(ev).toEqual({
      dpd: 93,
      maxOverdueDays: 90,
      overdueAmount: 2000,
      contactAttempts: 3,
      contactsAnswered: 1,
      refusals: 1,
      promisesMade: 2,
      promisesBroken: 1,
      arrangementsOffered: 0,
      arrangementsBroken: 0,
      lastPaymentAt: '2025-02-01T09:00:00+08:00',
    });
  });
});
