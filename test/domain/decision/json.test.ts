import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decisionBytes, decisionJson, jsonNumber, jsonString, writeEvidence, writeGuardrails, writeReasons, writeRuleHits, writeStep } from '../../../src/domain/decision/json.js';
import { Utf8Writer } from '../../../src/domain/decision/utf8-writer.js';
import { Decision } from '../../../src/domain/decision/schema.js';
import { GOLDEN_AS_OF, goldenHistories, goldenScorer } from '../../support/decision-digest.js';
import { arbitraryOf, awkwardNumber, awkwardString } from '../../support/zod-json-arbitrary.js';

const decisions = arbitraryOf(Decision) as fc.Arbitrary<Decision>;

/** One part of a decision as the batch output's JSON columns write it, as text. */
function partText<T>(write: (w: Utf8Writer, x: T) => void, x: T): string {
  const w = new Utf8Writer(64);
  write(w, x);
  return w.toString();
}
const reasonsJson = (x: Decision['reasons']) => partText(writeReasons, x);
const ruleHitsJson = (x: Decision['ruleHits']) => partText(writeRuleHits, x);
const stepJson = (x: Decision['step']) => partText(writeStep, x);
const guardrailsJson = (x: Decision['guardrails']) => partText(writeGuardrails, x);
const evidenceJson = (x: Decision['evidence']) => partText(writeEvidence, x);

/**
 * Decisions whose rule ids, feature codes, steps, guardrails and versions, and every field cached with
 * them, come from tiny sets: the serializer's cached parts are hit, and often hit with one field changed.
 */
const text = fc.constantFrom('x', 'y', '"q"');
const flag = fc.boolean();
const clashing: fc.Arbitrary<Decision> = fc
  .record({
    d: decisions,
    reasons: fc.array(fc.record({ code: fc.constantFrom('a', 'b'), source: fc.constantFrom('rule', 'model'), en: text, zh: text }), { maxLength: 4 }),
    hits: fc.array(fc.record({ ruleId: fc.constantFrom('a', 'b'), outcome: fc.constantFrom('hit', 'error'), severity: fc.constantFrom(1, 2), referralCondition: flag, step: fc.constantFrom('none', 'reminder'), en: text, zh: text }), { maxLength: 3 }),
    step: fc.record({ channel: fc.constantFrom('sms', 'call'), priority: fc.constantFrom('low', 'high'), en: text, zh: text }),
    guardrails: fc.array(fc.record({ en: text, zh: text }), { maxLength: 2 }),
    versions: fc.record({ model: text, featureSet: text, ruleSet: text, policy: text }),
  })
  .map(({ d, reasons, hits, step, guardrails, versions }) => ({
    ...d,
    reasons: reasons.map((r, i) => ({ source: r.source, code: r.code, en: r.en, zh: r.zh, value: d.reasons[i]?.value ?? i, weight: d.reasons[i]?.weight ?? 0.5 })),
    ruleHits: hits.map((h, i) => ({ ruleId: h.ruleId, outcome: h.outcome, severity: h.severity, referralCondition: h.referralCondition, step: h.step, en: h.en, zh: h.zh, values: d.ruleHits[i]?.values ?? { dpd: i } })),
    step: { action: 'reminder', channel: step.channel, priority: step.priority, earliestContactAt: d.step.earliestContactAt, en: step.en, zh: step.zh },
    guardrails: guardrails.map((g) => ({ guardrail: 'opt_out', en: g.en, zh: g.zh })),
    versions,
  }) as Decision);

describe('decisionJson', () => {
  it('writes exactly what JSON.stringify writes, for decisions generated from the zod schema', () => {
    fc.assert(
      fc.property(decisions, (d) => {
        expect(decisionJson(d)).toBe(JSON.stringify(d));
      }),
      { numRuns: 500 },
    );
  });

  it('writes as bytes exactly the UTF-8 of what JSON.stringify writes', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(decisions, clashing), { minLength: 1, maxLength: 4 }), (ds) => {
        for (const d of ds) expect(Buffer.from(decisionBytes(d)).equals(Buffer.from(JSON.stringify(d), 'utf8'))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('reuses a cached part only when every field it covers is unchanged', () => {
    fc.assert(
      fc.property(fc.array(clashing, { minLength: 1, maxLength: 6 }), (ds) => {
        for (const d of ds) expect(decisionJson(d)).toBe(JSON.stringify(d));
      }),
      { numRuns: 300 },
    );
  });

  it('writes each part (the JSON columns of the batch output) as JSON.stringify writes it', () => {
    fc.assert(
      fc.property(fc.oneof(decisions, clashing), (d) => {
        expect(reasonsJson(d.reasons)).toBe(JSON.stringify(d.reasons));
        expect(ruleHitsJson(d.ruleHits)).toBe(JSON.stringify(d.ruleHits));
        expect(stepJson(d.step)).toBe(JSON.stringify(d.step));
        expect(guardrailsJson(d.guardrails)).toBe(JSON.stringify(d.guardrails));
        expect(evidenceJson(d.evidence)).toBe(JSON.stringify(d.evidence));
      }),
      { numRuns: 300 },
    );
  });

  it('writes exactly what JSON.stringify writes, for the sample portfolio decisions at two as-of instants', async () => {
    const histories = goldenHistories();
    const scorer = goldenScorer();
    // In quiet hours (22:00 local) and in the day: contact steps, guardrails, evidence and rule hits all occur.
    const instants = [GOLDEN_AS_OF[1], GOLDEN_AS_OF[3]];
    let withEvidence = 0;
    let withGuardrails = 0;
    for (const iso of instants) {
      const ds = await scorer.scoreMany(histories, Date.parse(iso));
      const expected = ds.map((d) => JSON.stringify(d));
      expect(ds.map(decisionJson)).toEqual(expected);
      // A stored decision read back serializes the same.
      expect(expected.map((t) => decisionJson(JSON.parse(t) as Decision))).toEqual(expected);
      withEvidence += ds.filter((d) => d.evidence !== null).length;
      withGuardrails += ds.filter((d) => d.guardrails.length > 0).length;
    }
    expect(withEvidence).toBeGreaterThan(0);
    expect(withGuardrails).toBeGreaterThan(0);
  });
});

describe('jsonString and jsonNumber', () => {
  it('write strings and numbers as JSON.stringify does', () => {
    fc.assert(
      fc.property(awkwardString(), awkwardNumber(), (s, n) => {
        expect(jsonString(s)).toBe(JSON.stringify(s));
        expect(jsonNumber(n)).toBe(JSON.stringify(n));
      }),
      { numRuns: 2000 },
    );
    expect(jsonString('\ud800"\n')).toBe('"\\ud800\\"\\n"');
    expect(jsonString('\ud83d\ude00')).toBe('"\ud83d\ude00"');
    expect(jsonNumber(-0)).toBe('0');
    expect(jsonNumber(Number.NaN)).toBe('null');
    expect(jsonNumber(-Infinity)).toBe('null');
  });

  it('writes rule values with integer-like keys in JSON.stringify order', () => {
    const d = fc.sample(decisions.filter((x) => x.ruleHits.length > 0), { numRuns: 1, seed: 3 })[0]!;
    const hit = { ...d.ruleHits[0]!, values: { b: 1, 2: 2, a: 'x', 1: null } };
    const withKeys = { ...d, ruleHits: [hit] };
    expect(decisionJson(withKeys)).toBe(JSON.stringify(withKeys));
  });
});
