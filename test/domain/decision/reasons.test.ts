// decisionReasons, the fused form decide() uses, against the three steps it fuses (the oracle):
// ruleReasons, modelReasons, mergeReasons. Ties, unordered and non-finite contributions, key facts
// present or not, and every reason limit are generated.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decisionReasons, mergeReasons, modelReasons, ruleReasons, type ModelReasonInput } from '../../../src/domain/decision/reasons.js';
import { STEPS, type RuleHit } from '../../../src/domain/decision/schema.js';

const ruleIds = ['a', 'b', 'c', 'd', 'e', 'f'];

const ruleResult: fc.Arbitrary<RuleHit> = fc.record({
  ruleId: fc.constantFrom(...ruleIds),
  outcome: fc.constantFrom('hit', 'hit', 'no_hit', 'error'),
  severity: fc.constantFrom(0, 50, 70, 90, 100),
  referralCondition: fc.boolean(),
  step: fc.constantFrom(...STEPS),
  en: fc.constantFrom('x', 'y'),
  zh: fc.constantFrom('甲', '乙'),
  values: fc.dictionary(fc.constantFrom('dpd', 'refusals_30d', 'max_overdue_days'), fc.oneof(fc.integer(), fc.constant(null), fc.boolean())),
}) as fc.Arbitrary<RuleHit>;

const attribution: fc.Arbitrary<ModelReasonInput> = fc.record({
  feature: fc.constantFrom('dpd', 'late_count_3', 'ptp_broken_60d', 'age'),
  contribution: fc.oneof(fc.constantFrom(0, -0.5, 0.5, 1, 2, Number.NaN, Number.POSITIVE_INFINITY), fc.double({ min: -3, max: 3, noNaN: true })),
  value: fc.double({ noNaN: true }),
  en: fc.constant('feature'),
  zh: fc.constant('特征'),
});

const keyFacts = fc.option(fc.dictionary(fc.constantFrom(...ruleIds), fc.option(fc.constantFrom('dpd', 'refusals_30d', 'missing'), { nil: undefined })), { nil: undefined });

describe('decisionReasons', () => {
  it('equals mergeReasons(ruleReasons, modelReasons) for any hits, attributions and limits', () => {
    fc.assert(
      fc.property(
        fc.array(ruleResult, { maxLength: 6 }),
        fc.array(attribution, { maxLength: 6 }),
        fc.boolean(),
        keyFacts,
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 4 }),
        (results, attributions, largestFirst, facts, max, maxRuleReasons) => {
          // The model hands them over largest first; both orders are tried.
          const attrs = largestFirst ? [...attributions].sort((p, q) => q.contribution - p.contribution || 0) : attributions;
          const map = facts === undefined ? undefined : new Map(Object.entries(facts));
          const limits = { max, maxRuleReasons };
          expect(decisionReasons(results, map, attrs, limits)).toEqual(mergeReasons(ruleReasons(results, map), modelReasons(attrs), limits));
        },
      ),
      { numRuns: 500 },
    );
  });
});
