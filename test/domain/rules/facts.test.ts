import { describe, expect, it } from 'vitest';
import { buildLedger } from '../../../src/domain/history/ledger.js';
import { buildTimeline } from '../../../src/domain/history/timeline.js';
import { countEvents, createFactSource, HISTORY_FACT_NAMES, historyFacts, latestBorrowerProposal, promiseOutcomes } from '../../../src/domain/rules/facts.js';
import { agreed, borrowerPlan, call, loan, pay, promise, sh, type LoanOptions } from '../../support/rules-history.js';

const view = (events: LoanOptions['events'], asOf: number) => {
  const tl = buildTimeline(loan({ events }), asOf);
  return { tl, ledger: buildLedger(tl) };
};

describe('history facts', () => {
  it('counts events of a type, filtered on fields, inside the window only', () => {
    const { tl } = view([call('2025-05-01T10:00:00+08:00', 'refused'), call('2025-05-20T10:00:00+08:00', 'refused'), call('2025-05-21T10:00:00+08:00', 'answered'), call('2025-06-03T10:00:00+08:00', 'refused')], sh('2025-06-02'));
    expect(countEvents(tl, { type: 'contact', withinDays: 30 })).toBe(2);
    expect(countEvents(tl, { type: 'contact', where: { outcome: ['refused'] }, withinDays: 30 })).toBe(1);
    expect(countEvents(tl, { type: 'contact', where: { outcome: ['refused'] }, withinDays: 60 })).toBe(2);
    expect(countEvents(tl, { type: 'contact', where: { nonexistent: ['x'] }, withinDays: 60 })).toBe(0);
  });

  it('judges promises kept by the payments made by the promised date', () => {
    const { tl } = view([promise('2025-03-05T10:00:00+08:00', '2025-03-10', 500), pay('2025-03-09T10:00:00+08:00', 499.5), promise('2025-04-05T10:00:00+08:00', '2025-04-10', 500), pay('2025-04-11T10:00:00+08:00', 500), promise('2025-05-30T10:00:00+08:00', '2025-06-05')], sh('2025-06-02'));
    expect(promiseOutcomes(tl)).toEqual({ made: 3, kept: 1, broken: 1, pending: 1 });
  });

  it('measures a borrower proposal against the overdue amount now', () => {
    const low = view([borrowerPlan('2025-05-25T10:00:00+08:00', [{ dueDate: '2025-07-01', amount: 100 }, { dueDate: '2025-08-01', amount: 100 }])], sh('2025-06-02'));
    // 2,500 overdue (five instalments of 500), 200 offered.
    expect(latestBorrowerProposal(low.tl, low.ledger)).toEqual({ coverage: 200 / 2500, days: 68 });
    const old = view([borrowerPlan('2025-04-01T10:00:00+08:00', [{ dueDate: '2025-07-01', amount: 100 }])], sh('2025-06-02'));
    expect(latestBorrowerProposal(old.tl, old.ledger)).toEqual({ coverage: null, days: null });
  });

  it('reads features first, then history facts; unknown names are undefined', () => {
    const { tl, ledger } = view([agreed('2025-05-20T10:00:00+08:00', 'a1', '2025-06-30')], sh('2025-06-02'));
    const src = createFactSource((n) => (n === 'dpd' ? 7 : undefined), { timeline: tl, ledger });
    expect(src.get('dpd')).toBe(7);
    expect(src.get('max_overdue_days')).toBe(90);
    expect(src.get('arrangement_kept')).toBe(1);
    expect(src.get('ledger_dpd')).toBe(ledger.dpd);
    expect(src.get('nope')).toBeUndefined();
  });

  it('answers contract facts without building the timeline or the ledger', () => {
    const history = loan({ events: [] });
    const untouchable = {
      history,
      get timeline(): never {
        throw new Error('timeline built');
      },
      get ledger(): never {
        throw new Error('ledger built');
      },
    };
    const src = createFactSource(() => undefined, untouchable);
    expect(src.get('max_overdue_days')).toBe(history.contract.maxOverdueDays);
    // No borrower proposal anywhere in the history: the plan facts need neither.
    expect(src.get('borrower_plan_coverage')).toBeNull();
    expect(src.get('borrower_plan_days')).toBeNull();
    expect(() => src.get('ledger_dpd')).toThrow('ledger built');
  });

  it('historyFacts lists every history fact with the fact source\'s values', () => {
    const { tl, ledger } = view([agreed('2025-05-20T10:00:00+08:00', 'a1', '2025-06-30')], sh('2025-06-02'));
    const facts = historyFacts(tl, ledger);
    expect(Object.keys(facts).sort()).toEqual([...HISTORY_FACT_NAMES].sort());
    const src = createFactSource(() => undefined, { timeline: tl, ledger });
    for (const name of HISTORY_FACT_NAMES) expect(facts[name]).toEqual(src.get(name) ?? null);
    expect(facts.arrangement_kept).toBe(1);
  });
});
