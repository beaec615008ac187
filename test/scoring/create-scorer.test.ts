import { describe, expect, it } from 'vitest';
import { Decision } from '../../src/domain/decision/schema.js';
import { parseRuleSet } from '../../src/domain/rules/load.js';
import { createScorerFrom } from '../../src/scoring/create-scorer.js';
import { call, loan, pay, sh } from '../support/rules-history.js';
import { defaultPolicy, defaultRuleSet } from '../support/rule-config.js';
import { logisticModel, sigmoid, tinyFeatures } from '../support/tiny-model.js';

const policy = defaultPolicy();
const ruleSet = parseRuleSet(
  {
    version: 'rules-test',
    rules: [
      { id: 'max_overdue_reached', en: 'Max overdue reached', zh: '达到最长逾期', severity: 100, referralCondition: true, step: 'legal_review', keyFact: 'dpd', when: { fact: 'dpd', op: '>=', value: { fact: 'max_overdue_days' } } },
      { id: 'refuses', en: 'Refuses to talk', zh: '拒绝沟通', severity: 90, step: 'final_notice', when: { count: { type: 'contact', where: { outcome: ['refused'] }, withinDays: 30 }, op: '>=', value: 2 } },
    ],
  },
  'test',
);
// Model order differs from engine order on purpose: the scorer must map names, not positions.
const names = ['refusals_30d', 'dpd', 'instalments_overdue'];
const weights = [0.5, 0.04, 0.3];
const bias = -4;
const points = (pd: number) => 600 - 100 * pd;

const scorer = (over: Partial<Parameters<typeof createScorerFrom>[0]> = {}) =>
  createScorerFrom({ model: logisticModel(names, weights, bias), features: tinyFeatures(), ruleSet, policy, points, ...over });

const late = loan({ events: [pay('2025-02-01T09:00:00+08:00'), call('2025-05-20T10:00:00+08:00', 'refused'), call('2025-05-25T10:00:00+08:00', 'refused')] });
const current = loan({ events: [pay('2025-02-01T09:00:00+08:00'), pay('2025-03-01T09:00:00+08:00'), pay('2025-04-01T09:00:00+08:00'), pay('2025-05-01T09:00:00+08:00')] });
const asOf = sh('2025-06-02', '10:00');

describe('createScorer', () => {
  it('scores one loan: features in model order -> PD -> points, band, rule hits, step, reasons, versions', () => {
    const d = scorer().scoreOne(late, asOf);
    // dpd 93 (oldest unpaid due 2025-03-01), 4 instalments overdue, 2 refusals.
    const pd = sigmoid(bias + 0.5 * 2 + 0.04 * 93 + 0.3 * 4);
    expect(d.pd).toBeCloseTo(pd, 6);
    expect(d.points).toBe(Math.round(points(d.pd)));
    expect(d.band).toBe('critical');
    expect(d.ruleHits.map((r) => [r.ruleId, r.outcome])).toEqual([['max_overdue_reached', 'hit'], ['refuses', 'hit']]);
    expect(d.ruleHits[0]!.values).toEqual({ dpd: 93, max_overdue_days: 90 });
    expect(d.step).toMatchObject({ action: 'legal_review', channel: 'legal', priority: 'urgent' });
    expect(d.evidence).toMatchObject({ dpd: 93, refusals: 2, contactAttempts: 2 });
    expect(d.reasons.map((r) => r.code)).toEqual(['max_overdue_reached', 'refuses', 'dpd', 'instalments_overdue']);
    expect(d.reasons[2]).toMatchObject({ source: 'model', en: 'Days past due', zh: '逾期天数', value: 93 });
    expect(d.versions).toEqual({ model: 'tiny@1', featureSet: 'tiny-1', ruleSet: 'rules-test', policy: policy.version });
    expect(Decision.safeParse(d).success).toBe(true);
  });

  it('a loan in good standing gets no step', () => {
    const d = scorer().scoreOne(current, asOf);
    expect(d.band).toBe('low');
    expect(d.step.action).toBe('none');
    expect(d.ruleHits).toEqual([]);
  });

  it('scoreMany calls the model once and agrees with scoreOne', async () => {
    const model = logisticModel(names, weights, bias);
    const s = scorer({ model });
    const many = await s.scoreMany([late, current, late], asOf);
    expect(model.calls.batch).toBe(1);
    expect(model.calls.one).toBe(0);
    const one = [late, current, late].map((h) => s.scoreOne(h, asOf));
    expect(many.map((d) => d.step)).toEqual(one.map((d) => d.step));
    many.forEach((d, i) => expect(d.pd).toBeCloseTo(one[i]!.pd, 6));
  });

  it('is point in time: events after as-of change nothing', () => {
    const before = scorer().scoreOne(current, asOf);
    const later = loan({ events: [...current.events, call('2025-06-03T10:00:00+08:00', 'refused'), { id: 'late-record', type: 'contact', at: '2025-05-30T10:00:00+08:00', recordedAt: '2025-06-05T10:00:00+08:00', channel: 'call', outcome: 'refused' }] });
    expect(scorer().scoreOne(later, asOf)).toEqual(before);
  });

  it('a rule reading a fact nobody computes is reported as an error and the decision still stands', () => {
    // The shipped default rules read features this tiny engine lacks: those rules error, the rest run.
    const d = scorer({ ruleSet: defaultRuleSet() }).scoreOne(late, asOf);
    const outcomes = new Map(d.ruleHits.map((r) => [r.ruleId, r]));
    expect(outcomes.get('max_overdue_reached')!.outcome).toBe('hit');
    expect(outcomes.get('early_partial_payments')).toMatchObject({ outcome: 'error', error: 'unknown fact "partial_count_3"' });
    expect(d.step.action).toBe('legal_review');
  });

  it('refuses a model whose features the engine does not compute, or another feature-set version', () => {
    expect(() => scorer({ model: logisticModel(['dpd', 'bureau_score'], [1, 1], 0) })).toThrow(/needs features the engine does not compute: bureau_score/);
    expect(() => scorer({ model: logisticModel(names, weights, bias, 'tiny-0') })).toThrow(/trained on feature set tiny-0, the engine computes tiny-1/);
  });
});
