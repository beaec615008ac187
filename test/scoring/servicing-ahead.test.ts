// Events scored ahead (ServicingDeps.scoreAhead): the decision made before the transaction is used only
// for exactly the history the store then holds; otherwise the loan is scored in process. Checked against
// plain in-process servicing, and by reproducing every stored decision, also with overlapping batches.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mustParseHistory } from '../../src/domain/history/validate.js';
import type { LoanEvent } from '../../src/domain/history/schema.js';
import { createServicing, withEventJson, type AheadScorer, type EventItem, type Servicing } from '../../src/scoring/servicing.js';
import type { DecisionRecord } from '../../src/scoring/store-port.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { contactEvent, makeHistory, paymentEvent } from '../support/histories.js';
import { createTestScorer } from '../support/test-scorer.js';

const NOW = Date.parse('2025-05-20T04:00:00Z');
const LOANS = ['L-1', 'L-2', 'L-3'];

type Mode = 'ok' | 'null' | 'reject';

function setup(ahead: boolean, mode: (i: number) => Mode = () => 'ok') {
  const store = SqliteStore.open(':memory:');
  const scorer = createTestScorer();
  let calls = 0;
  // Scores the JSON it is given, a turn of the event loop later, as a worker would.
  const scoreAhead: AheadScorer = async (json, asOf) => {
    const m = mode(calls++);
    await new Promise((r) => setImmediate(r));
    if (m === 'reject') throw new Error('worker gone');
    return m === 'null' ? null : scorer.scoreOne(mustParseHistory(JSON.parse(json)), asOf);
  };
  const servicing = createServicing({ store, scorer, now: () => NOW, ...(ahead ? { scoreAhead } : {}) });
  for (const [i, loanId] of LOANS.entries()) servicing.registerLoan(makeHistory({ loanId, due: 2 + i, missed: i }));
  return { store, scorer, servicing, aheadCalls: () => calls };
}

const event = (k: number, kind: number): LoanEvent =>
  kind === 0 ? paymentEvent('2025-05-10T10:00:00+08:00', 50 + k, `e${k % 7}`) : contactEvent('2025-05-11T10:00:00+08:00', kind === 1 ? 'refused' : 'answered', `e${k % 7}`);

/** Groups of requests, each a list of items; ids repeat (duplicates and conflicts), one loan is unknown. */
const batches = fc.array(
  fc.array(fc.array(fc.record({ loan: fc.constantFrom(...LOANS, 'L-x'), k: fc.nat(20), kind: fc.nat(2) }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 }),
  { minLength: 1, maxLength: 5 },
);
const toGroups = (b: Array<Array<{ loan: string; k: number; kind: number }>>): EventItem[][] => b.map((g) => g.map((x) => ({ loanId: x.loan, event: event(x.k, x.kind) })));

function allDecisions(servicing: Servicing): DecisionRecord[] {
  return LOANS.flatMap((id) => servicing.decisions(id, undefined, 1000)!.items);
}

describe('events scored ahead', () => {
  it('gives the same results, decisions and alerts as scoring in process, batch after batch (property)', async () => {
    await fc.assert(
      fc.asyncProperty(batches, fc.array(fc.constantFrom<Mode>('ok', 'ok', 'null', 'reject'), { minLength: 1, maxLength: 8 }), async (bs, modes) => {
        const plain = setup(false);
        const ahead = setup(true, (i) => modes[i % modes.length]!);
        for (const b of bs) {
          const groups = toGroups(b);
          expect(await ahead.servicing.ingestEventGroupsAhead(groups)).toEqual(plain.servicing.ingestEventGroups(groups));
        }
        expect(allDecisions(ahead.servicing)).toEqual(allDecisions(plain.servicing));
        expect(ahead.store.listAlerts({ limit: 1000 }).items.map((a) => [a.loanId, a.decisionId, a.triggers])).toEqual(
          plain.store.listAlerts({ limit: 1000 }).items.map((a) => [a.loanId, a.decisionId, a.triggers]),
        );
        for (const d of allDecisions(ahead.servicing)) expect(ahead.servicing.reproduce(d)!.matches).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('loses no update and stores only reproducible decisions when batches overlap (property)', async () => {
    await fc.assert(
      fc.asyncProperty(batches, async (bs) => {
        const { servicing, store } = setup(true);
        await Promise.all(bs.map((b) => servicing.ingestEventGroupsAhead(toGroups(b))));
        for (const loanId of LOANS) {
          const loan = store.getLoan(loanId)!;
          // The loan's latest decision saw every event it holds.
          expect(store.latestDecision(loanId)!.eventWatermark).toBe(loan.eventWatermark);
        }
        const decisions = allDecisions(servicing);
        for (const d of decisions) expect(servicing.reproduce(d)!.matches).toBe(true);
        // Each loan's decisions in id order never go back in the event log.
        for (const loanId of LOANS) {
          const marks = servicing.decisions(loanId, undefined, 1000)!.items.map((d) => d.eventWatermark).reverse();
          expect(marks).toEqual([...marks].sort((a, b) => a - b));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('uses the decision made ahead when its history is the one stored, and scores in process when it is not', async () => {
    const { servicing, scorer, aheadCalls } = setup(true);
    const before = scorer.calls;
    const [first] = await servicing.ingestEventGroupsAhead([[{ loanId: 'L-1', event: contactEvent('2025-05-11T10:00:00+08:00', 'refused', 'a') }]]);
    expect((first as Array<{ status: string }>)[0]!.status).toBe('accepted');
    // Scored once, ahead (the fake scores with the same scorer), not again in the transaction.
    expect([aheadCalls(), scorer.calls - before]).toEqual([1, 1]);
    // A duplicate makes the prediction wrong: the loan is scored again, in process.
    const again = await servicing.ingestEventGroupsAhead([[{ loanId: 'L-1', event: contactEvent('2025-05-11T10:00:00+08:00', 'refused', 'a') }, { loanId: 'L-1', event: contactEvent('2025-05-12T10:00:00+08:00', 'answered', 'b') }]]);
    expect((again[0] as Array<{ status: string }>).map((r) => r.status)).toEqual(['duplicate', 'accepted']);
    expect([aheadCalls(), scorer.calls - before]).toEqual([2, 3]);
  });

  it('appends event JSON to a stored history JSON', () => {
    const h = makeHistory();
    const e = [contactEvent('2025-05-11T10:00:00+08:00', 'refused', 'a'), paymentEvent('2025-05-12T10:00:00+08:00', 5, 'b')];
    expect(withEventJson(JSON.stringify(h), e.map((x) => JSON.stringify(x)))).toBe(JSON.stringify({ ...h, events: e }));
    const more = { ...h, events: e.slice(0, 1) };
    expect(withEventJson(JSON.stringify(more), [JSON.stringify(e[1])])).toBe(JSON.stringify({ ...h, events: e }));
    expect(withEventJson('{"events":[],"x":1}', ['{}'])).toBeNull();
  });
});
