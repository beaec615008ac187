import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateRule, evaluateRuleHits, evaluateRules } from '../../../src/domain/rules/evaluate.js';
import { recordFactSource } from '../../../src/domain/rules/facts.js';
import { parseRuleSet } from '../../../src/domain/rules/load.js';
import type { Condition } from '../../../src/domain/rules/schema.js';

const ruleSet = (...whens: unknown[]) =>
  parseRuleSet({ version: 't', rules: whens.map((when, i) => ({ id: `r${i}`, en: 'e', zh: 'z', severity: 10, step: 'reminder', when })) }, 'test');

const run = (when: unknown, facts: Record<string, number | boolean | string | null>) => evaluateRules(ruleSet(when), recordFactSource(facts))[0]!;

describe('evaluateRule', () => {
  it('compares a fact with a literal and records the value read', () => {
    expect(run({ fact: 'dpd', op: '>=', value: 30 }, { dpd: 31 })).toMatchObject({ outcome: 'hit', values: { dpd: 31 } });
    expect(run({ fact: 'dpd', op: '>=', value: 30 }, { dpd: 29 })).toMatchObject({ outcome: 'no_hit', values: { dpd: 29 } });
  });

  it('records values in first-reading order, a fact read twice once, and a failing rule with the values read before it failed', () => {
    const when = { any: [{ fact: 'b', op: '>', value: 0 }, { fact: 'a', op: '<', value: { fact: 'b', times: 2 } }, { count: { type: 'contact', withinDays: 7 }, op: '>=', value: 1 }] };
    const src = { ...recordFactSource({ a: 1, b: 3 }), countEvents: () => 2 };
    const [hit] = evaluateRuleHits(ruleSet(when), src);
    expect(JSON.stringify(hit!.values)).toBe('{"b":3,"a":1,"count(contact, 7d)":2}');
    const failed = evaluateRule(ruleSet({ all: [{ fact: 'a', op: '>', value: 0 }, { fact: 'missing', op: '>', value: 0 }, { fact: 'b', op: '>', value: 0 }] }).rules[0]!, src);
    expect(failed).toMatchObject({ outcome: 'error', error: 'unknown fact "missing"' });
    expect(JSON.stringify(failed.values)).toBe('{"a":1}');
  });

  it('compares a fact with another fact, scaled', () => {
    const when = { fact: 'paid', op: '<', value: { fact: 'owed', times: 0.5 } };
    expect(run(when, { paid: 40, owed: 100 })).toMatchObject({ outcome: 'hit', values: { paid: 40, owed: 100 } });
    expect(run(when, { paid: 50, owed: 100 }).outcome).toBe('no_hit');
  });

  it('supports between (inclusive), in, ==, != and booleans as 0/1', () => {
    expect(run({ fact: 'x', op: 'between', value: [1, 15] }, { x: 15 }).outcome).toBe('hit');
    expect(run({ fact: 'x', op: 'between', value: [1, 15] }, { x: 0 }).outcome).toBe('no_hit');
    expect(run({ fact: 'occ', op: 'in', value: ['factory', 'construction'] }, { occ: 'factory' }).outcome).toBe('hit');
    expect(run({ fact: 'occ', op: 'in', value: ['factory'] }, { occ: 'other' }).outcome).toBe('no_hit');
    expect(run({ fact: 'migrant', op: '==', value: true }, { migrant: 1 }).outcome).toBe('hit');
    expect(run({ fact: 'migrant', op: '!=', value: 1 }, { migrant: false }).outcome).toBe('hit');
  });

  it('treats a fact without a value (null) as not satisfying any comparison', () => {
    expect(run({ fact: 'coverage', op: '<', value: 0.5 }, { coverage: null })).toMatchObject({ outcome: 'no_hit', values: { coverage: null } });
    expect(run({ fact: 'coverage', op: 'between', value: [0, 1] }, { coverage: null }).outcome).toBe('no_hit');
  });

  it('reads every branch of any so a hit explains itself; all stops at its first false branch', () => {
    const r = run({ any: [{ fact: 'a', op: '>', value: 0 }, { fact: 'b', op: '>', value: 0 }] }, { a: 1, b: 0 });
    expect(r).toMatchObject({ outcome: 'hit', values: { a: 1, b: 0 } });
    const all = run({ all: [{ fact: 'a', op: '>', value: 5 }, { fact: 'missing_fact', op: '>', value: 0 }] }, { a: 1 });
    expect(all).toMatchObject({ outcome: 'no_hit', values: { a: 1 } });
    expect(run({ all: [{ fact: 'a', op: '>', value: 0 }, { fact: 'b', op: '==', value: 0 }] }, { a: 1, b: 0 })).toMatchObject({ outcome: 'hit', values: { a: 1, b: 0 } });
  });

  it('counts events in a window through the fact source', () => {
    const rs = ruleSet({ count: { type: 'contact', where: { outcome: ['refused'] }, withinDays: 30 }, op: '>=', value: 2 });
    const hit = evaluateRules(rs, recordFactSource({}, (w) => (w.where?.outcome?.[0] === 'refused' && w.withinDays === 30 ? 2 : 0)))[0]!;
    expect(hit).toMatchObject({ outcome: 'hit', values: { 'count(contact outcome=refused, 30d)': 2 } });
  });

  it('reports an unknown fact as an error on that rule only; the others still evaluate', () => {
    const rs = ruleSet({ fact: 'no_such_fact', op: '>', value: 0 }, { fact: 'dpd', op: '>', value: 0 });
    const [bad, good] = evaluateRules(rs, recordFactSource({ dpd: 5 }));
    expect(bad).toMatchObject({ ruleId: 'r0', outcome: 'error', error: 'unknown fact "no_such_fact"' });
    expect(good).toMatchObject({ ruleId: 'r1', outcome: 'hit' });
  });

  it('reports NaN facts, strings compared as numbers and throwing fact sources as errors', () => {
    expect(run({ fact: 'x', op: '>', value: 0 }, { x: Number.NaN })).toMatchObject({ outcome: 'error', error: 'fact "x" is NaN' });
    expect(run({ fact: 'x', op: '>', value: 0 }, { x: 'high' }).error).toContain('is the string "high"');
    const rs = ruleSet({ fact: 'x', op: '>', value: 0 });
    const exploding = { get: () => { throw new Error('feature store down'); }, countEvents: () => 0 };
    expect(evaluateRule(rs.rules[0]!, exploding)).toMatchObject({ outcome: 'error', error: 'feature store down' });
  });

  it('skips disabled rules', () => {
    const rs = parseRuleSet({ version: 't', rules: [{ id: 'off', en: 'e', zh: 'z', severity: 1, step: 'none', enabled: false, when: { fact: 'x', op: '>', value: 0 } }] }, 't');
    expect(evaluateRules(rs, recordFactSource({ x: 1 }))).toEqual([]);
  });

  // Laws of the connectives, over random leaves and fact values.
  it('obeys not / all / any as boolean logic', () => {
    const leaf = fc.record({ fact: fc.constantFrom('a', 'b', 'c'), op: fc.constantFrom('>', '>=', '<', '<=', '==', '!='), value: fc.integer({ min: -3, max: 3 }) });
    const facts = fc.record({ a: fc.integer({ min: -3, max: 3 }), b: fc.integer({ min: -3, max: 3 }), c: fc.integer({ min: -3, max: 3 }) });
    fc.assert(
      fc.property(fc.array(leaf, { minLength: 1, maxLength: 4 }), facts, (leaves, f) => {
        const src = recordFactSource(f);
        const hits = (when: unknown) => evaluateRules(ruleSet(when), src)[0]!.outcome === 'hit';
        const each = leaves.map((l) => hits(l));
        expect(hits({ all: leaves })).toBe(each.every(Boolean));
        expect(hits({ any: leaves })).toBe(each.some(Boolean));
        expect(hits({ not: { all: leaves } })).toBe(!each.every(Boolean));
        expect(hits({ not: { not: leaves[0] as Condition } })).toBe(each[0]);
      }),
      { numRuns: 200 },
    );
  });

  it('evaluateRuleHits keeps exactly the hits and errors of evaluateRules, values and order included', () => {
    // Leaves over numbers, booleans (0/1), strings (errors when compared as numbers), nulls, NaN (errors),
    // unknown facts (errors), `in` lists, string and boolean literals and event counts, nested in all / any /
    // not: errors must surface wherever evaluateRules meets them.
    const value = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant('s'), fc.constant(null), fc.constant(Number.NaN), fc.boolean());
    const leaf = fc.oneof(
      fc.record({ fact: fc.constantFrom('a', 'b', 'c', 'missing'), op: fc.constantFrom('>', '>=', '<', '==', '!='), value: fc.integer({ min: -3, max: 3 }) }),
      fc.record({ fact: fc.constantFrom('a', 'b'), op: fc.constant('between' as const), value: fc.constant([-1, 1] as [number, number]) }),
      fc.record({ fact: fc.constantFrom('a', 'b'), op: fc.constant('<=' as const), value: fc.record({ fact: fc.constantFrom('b', 'c'), times: fc.constantFrom(1, 2) }) }),
      fc.record({ fact: fc.constantFrom('a', 'missing'), op: fc.constant('in' as const), value: fc.constant([1, 's']) }),
      fc.record({ fact: fc.constantFrom('a', 'b'), op: fc.constantFrom('==', '!=', '>'), value: fc.constantFrom('s', true) }),
      fc.record({ count: fc.record({ type: fc.constantFrom('contact', 'payment'), withinDays: fc.constantFrom(7, 30) }), op: fc.constantFrom('>=', '<'), value: fc.integer({ min: 0, max: 3 }) }),
    );
    const cond: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.record({ all: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }), fc.record({ any: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }), fc.record({ not: tie('node') })),
    })).node;
    fc.assert(
      fc.property(fc.array(cond, { minLength: 1, maxLength: 5 }), fc.record({ a: value, b: value, c: value }), fc.nat(5), (whens, f, n) => {
        const rs = parseRuleSet({ version: 't', rules: whens.map((when, i) => ({ id: `r${i}`, en: 'e', zh: 'z', severity: i, step: 'reminder', enabled: i !== 3, when })) }, 't');
        const src = recordFactSource(f, (w) => (w.type === 'contact' ? n : n - 1));
        expect(evaluateRuleHits(rs, src)).toEqual(evaluateRules(rs, src).filter((r) => r.outcome !== 'no_hit'));
      }),
      { numRuns: 500 },
    );
  });
});
