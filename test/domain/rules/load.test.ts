import { describe, expect, it } from 'vitest';
import { parseRuleSet, RuleSetError } from '../../../src/domain/rules/load.js';
import { readJson } from '../../support/rule-config.js';

const rule = (over: Record<string, unknown> = {}) => ({
  id: 'r1',
  en: 'Rule one',
  zh: '规则一',
  severity: 50,
  step: 'reminder',
  when: { fact: 'dpd', op: '>', value: 0 },
  ...over,
});
const set = (...rules: unknown[]) => ({ version: 't1', rules });

function loadError(raw: unknown, knownFacts?: Set<string>): RuleSetError {
  try {
    parseRuleSet(raw, 'rules/bad.json', knownFacts === undefined ? {} : { knownFacts });
  } catch (error) {
    expect(error).toBeInstanceOf(RuleSetError);
    return error as RuleSetError;
  }
  throw new Error('expected the rule set to fail to load');
}

describe('parseRuleSet', () => {
  it('loads the shipped default rule set with its version and defaults', () => {
    const rs = parseRuleSet(readJson('config/rules/default.json'), 'config/rules/default.json');
    expect(rs.version).toMatch(/^rules-/);
    expect(rs.rules.length).toBeGreaterThanOrEqual(15);
    expect(rs.rules.every((r) => r.enabled)).toBe(true);
  });

  it('names the file, the rule and the path of a bad operator deep in the conditions', () => {
    const err = loadError(set(rule(), rule({ id: 'broken_promises', when: { all: [{ fact: 'dpd', op: '>', value: 0 }, { fact: 'ptp_broken_60d', op: '=>', value: 2 }] } })));
    expect(err.message).toContain('rules/bad.json: rules[1] (broken_promises).when.all[1].op:');
    expect(err.problems[0]!.path).toBe('rules[1] (broken_promises).when.all[1].op');
  });

  it('names the rule for a bad top-level rule field (severity out of range)', () => {
    const err = loadError(set(rule({ id: 'too_severe', severity: 101 })));
    expect(err.message).toContain('rules/bad.json: rules[0] (too_severe).severity:');
  });

  it('rejects unknown steps, unknown keys, mixed group keys and empty groups', () => {
    expect(loadError(set(rule({ step: 'sue' }))).problems[0]!.path).toBe('rules[0] (r1).step');
    expect(loadError(set(rule({ when: { fact: 'dpd', op: '>', value: 0, extra: 1 } }))).problems[0]!.message).toContain('"extra"');
    expect(loadError(set(rule({ when: { all: [], any: [] } }))).problems[0]!.message).toContain('"all" must be the only key');
    expect(loadError(set(rule({ when: { any: [] } }))).problems[0]!.path).toBe('rules[0] (r1).when.any');
    expect(loadError(set(rule({ when: { when: 1 } }))).problems[0]!.message).toContain('expected one of the keys');
    expect(loadError(set(rule({ when: [1] }))).problems[0]!.path).toBe('rules[0] (r1).when');
  });

  it('rejects duplicate rule ids', () => {
    expect(loadError(set(rule(), rule())).problems.map((p) => p.message)).toContain('duplicate rule id "r1"');
  });

  it('checks between bounds, in lists and event windows', () => {
    expect(loadError(set(rule({ when: { fact: 'dpd', op: 'between', value: [1] } }))).problems[0]!.path).toMatch(/^rules\[0\] \(r1\)\.when\.value/);
    expect(loadError(set(rule({ when: { fact: 'dpd', op: 'in', value: [] } }))).problems[0]!.path).toBe('rules[0] (r1).when.value');
    const badType = loadError(set(rule({ when: { count: { type: 'phone_call', withinDays: 7 }, op: '>=', value: 1 } })));
    expect(badType.problems[0]).toMatchObject({ path: 'rules[0] (r1).when.count.type' });
    expect(badType.problems[0]!.message).toContain('unknown event type "phone_call"');
    const badWindow = loadError(set(rule({ when: { count: { type: 'contact', withinDays: 0 }, op: '>=', value: 1 } })));
    expect(badWindow.problems[0]!.path).toBe('rules[0] (r1).when.count.withinDays');
  });

  it('with a list of known facts, catches a misspelt fact on either side', () => {
    const known = new Set(['dpd', 'max_overdue_days']);
    const err = loadError(set(rule({ when: { not: { fact: 'dpdd', op: '>=', value: { fact: 'max_overdue_dayz' } } } })), known);
    expect(err.problems.map((p) => p.path)).toEqual(['rules[0] (r1).when.not.fact', 'rules[0] (r1).when.not.value.fact']);
    expect(() => parseRuleSet(set(rule()), 'ok.json', { knownFacts: known })).not.toThrow();
  });

  it('refuses conditions nested absurdly deep', () => {
    let when: unknown = { fact: 'dpd', op: '>', value: 0 };
    for (let i = 0; i < 20; i++) when = { not: when };
    expect(loadError(set(rule({ when }))).problems[0]!.message).toContain('nest deeper');
  });
});
