import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Decision } from '../../src/domain/decision/schema.js';
import { alertVerdict } from '../../src/scoring/alerting.js';
import { canonicalJson, inputFingerprint } from '../../src/scoring/fingerprint.js';
import { createServicing } from '../../src/scoring/servicing.js';
import type { Alert } from '../../src/scoring/store-port.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { contactEvent, makeHistory, makeHistoryInput, paymentEvent } from '../support/histories.js';
import { mustParseHistory } from '../../src/domain/history/validate.js';
import { createTestScorer, testDecision } from '../support/test-scorer.js';
import fc from 'fast-check';

const NOW = Date.parse('2025-05-20T04:00:00Z');

function setup() {
  const store = SqliteStore.open(':memory:');
  const scorer = createTestScorer();
  const announced: Alert[] = [];
  let now = NOW;
  const servicing = createServicing({ store, scorer, now: () => now, onAlert: (a) => announced.push(a) });
  return { store, scorer, servicing, announced, setNow: (ms: number) => (now = ms) };
}

describe('canonical fingerprint', () => {
  it('ignores key order at every level but not values (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
        expect(JSON.parse(canonicalJson(obj))).toEqual(JSON.parse(JSON.stringify(obj)));
      }),
    );
    const h = makeHistory();
    expect(inputFingerprint(h, NOW)).toBe(inputFingerprint(structuredClone(h), NOW));
    // Parsing puts fields in the contract's order, so the same input sent in another order hashes the same.
    const input = makeHistoryInput({ due: 2 });
    const shuffled = Object.fromEntries(Object.entries({ ...input, contract: Object.fromEntries(Object.entries(input.contract).reverse()) }).reverse());
    expect(inputFingerprint(mustParseHistory(shuffled), NOW)).toBe(inputFingerprint(mustParseHistory(input), NOW));
    expect(inputFingerprint(h, NOW)).not.toBe(inputFingerprint(h, NOW + 1));
  });

  it('is sha256 over the as-of instant, a newline and the history JSON (stored fingerprints stay reproducible)', () => {
    const h = makeHistory({ loanId: 'L-é中\u2028', due: 2 });
    const expected = createHash('sha256').update(new Date(NOW).toISOString()).update('\n').update(JSON.stringify(h)).digest('hex');
    expect(inputFingerprint(h, NOW)).toBe(expected);
    expect(inputFingerprint(h, NOW, JSON.stringify(h))).toBe(expected);
  });
});

describe('alert verdict', () => {
  const h = makeHistory({ due: 4, missed: 2 });
  it('fires on a band rise and on a rule that did not fire before, not on repeats or falls', () => {
    const high = testDecision(h, NOW);
    expect(high.band).toBe('high');
    expect(alertVerdict(null, high)).toEqual({ triggers: ['band_rise', 'new_rule'], newRules: ['dpd_over_30'] });
    expect(alertVerdict(high, high)).toEqual({ triggers: [], newRules: [] });
    const calm = testDecision(makeHistory({ due: 4 }), NOW);
    expect(alertVerdict(high, calm).triggers).toEqual([]);
    expect(alertVerdict(calm, high).triggers).toEqual(['band_rise', 'new_rule']);
  });
});

describe('servicing use cases', () => {
  it('registers a loan, stores a valid decision with fingerprint and versions, and alerts once', () => {
    const { servicing, announced } = setup();
    const r = servicing.registerLoan(makeHistory({ due: 4, missed: 2 }));
    expect(r.created).toBe(true);
    expect(Decision.parse(r.record.decision)).toEqual(r.record.decision);
    expect(r.record.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(r.record.decision.versions.model).toBe('test-model@1');
    expect(r.alert?.triggers).toEqual(['band_rise', 'new_rule']);
    expect(announced.map((a) => a.id)).toEqual([r.alert!.id]);
    const again = servicing.registerLoan(makeHistory({ due: 4, missed: 2 }));
    expect(again.revision).toBe(2);
    expect(again.alert).toBeNull();
  });

  it('ingests events: accepted ones rescore, repeats are duplicates, unknown loans are reported', () => {
    const { servicing, store } = setup();
    servicing.registerLoan(makeHistory({ due: 4, missed: 2 }));
    const pay = paymentEvent('2025-05-19T10:00:00+08:00', 1000, 'catch-up');
    const [first] = servicing.ingestEvents([{ loanId: 'L-1', event: pay }]);
    expect(first).toMatchObject({ status: 'accepted', band: 'low' });
    const results = servicing.ingestEvents([
      { loanId: 'L-1', event: pay },
      { loanId: 'L-404', event: contactEvent('2025-05-19T10:00:00+08:00') },
      { loanId: 'L-1', event: { ...pay, amount: 2 } },
    ]);
    expect(results.map((r) => r.status)).toEqual(['duplicate', 'unknown_loan', 'conflict']);
    expect(results[0]!.decisionId).toBeUndefined();
    expect(store.decisions('L-1', undefined, 10).items).toHaveLength(2);
  });

  it('raises an alert when a new rule fires without a band change', () => {
    const { servicing, announced } = setup();
    servicing.registerLoan(makeHistory({ due: 4 }));
    const [r] = servicing.ingestEvents([{ loanId: 'L-1', event: contactEvent('2025-05-19T10:00:00+08:00', 'refused') }]);
    expect(r!.alertId).toBeDefined();
    expect(announced.at(-1)).toMatchObject({ triggers: ['new_rule'], newRules: ['refused_contact'], band: 'low', previousBand: 'low' });
  });

  it('reproduces a stored decision exactly from the audit trail after more events arrive', () => {
    const { servicing, setNow } = setup();
    servicing.registerLoan(makeHistory({ due: 4, missed: 1 }));
    servicing.ingestEvents([{ loanId: 'L-1', event: contactEvent('2025-05-19T10:00:00+08:00', 'refused') }]);
    const target = servicing.getLoan('L-1')!.decision!;
    setNow(NOW + 86_400_000);
    servicing.ingestEvents([{ loanId: 'L-1', event: paymentEvent('2025-05-20T10:00:00+08:00', 500) }]);
    const repro = servicing.reproduce(target)!;
    expect(repro.matches).toBe(true);
    expect(repro.decision).toEqual(target.decision);
    const latest = servicing.getLoan('L-1')!.decision!;
    expect(latest.id).toBeGreaterThan(target.id);
    expect(servicing.reproduce({ ...target, fingerprint: 'f'.repeat(64) })!.matches).toBe(false);
  });

  it('leaves nothing behind when scoring fails mid-transaction', () => {
    const { servicing, store, scorer } = setup();
    servicing.registerLoan(makeHistory());
    scorer.scoreOne = () => {
      throw new Error('model exploded');
    };
    expect(() => servicing.ingestEvents([{ loanId: 'L-1', event: contactEvent('2025-05-19T10:00:00+08:00') }])).toThrow('model exploded');
    expect(store.getLoan('L-1')!.history.events).toHaveLength(0);
  });

  it('commits several callers in one transaction; a failing caller rolls back only its own events and alerts', () => {
    const { servicing, store, scorer, announced } = setup();
    servicing.registerLoan(makeHistory({ loanId: 'L-1' }));
    servicing.registerLoan(makeHistory({ loanId: 'L-2' }));
    servicing.registerLoan(makeHistory({ loanId: 'L-3' }));
    const before = announced.length;
    const scoreOne = scorer.scoreOne.bind(scorer);
    scorer.scoreOne = (history, asOf) => {
      if (history.loanId === 'L-2') throw new Error('model exploded');
      return scoreOne(history, asOf);
    };
    const refused = (loanId: string, id: string) => ({ loanId, event: contactEvent('2025-05-19T10:00:00+08:00', 'refused', id) });
    const outcomes = servicing.ingestEventGroups([[refused('L-1', 'a')], [refused('L-2', 'b')], [refused('L-3', 'c'), refused('nope', 'd')]]);
    expect(outcomes[1]).toBeInstanceOf(Error);
    expect((outcomes[0] as Array<{ status: string }>).map((r) => r.status)).toEqual(['accepted']);
    expect((outcomes[2] as Array<{ status: string }>).map((r) => r.status)).toEqual(['accepted', 'unknown_loan']);
    expect(store.db.inTransaction).toBe(false);
    expect(store.getLoan('L-1')!.history.events.map((e) => e.id)).toEqual(['a']);
    expect(store.getLoan('L-2')!.history.events).toHaveLength(0);
    expect(store.getLoan('L-3')!.history.events.map((e) => e.id)).toEqual(['c']);
    // Alerts are announced once, after the commit, and only for the callers that succeeded.
    const raised = [...(outcomes[0] as Array<{ alertId?: number }>), ...(outcomes[2] as Array<{ alertId?: number }>)].flatMap((r) => (r.alertId === undefined ? [] : [r.alertId]));
    expect(announced.slice(before).map((a) => a.id)).toEqual(raised);
    expect(announced.slice(before).every((a) => a.loanId !== 'L-2')).toBe(true);
  });
});
