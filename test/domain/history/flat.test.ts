import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_COLUMNS, historyToRows, LOAN_COLUMNS, rowsToHistory, SCHEDULE_COLUMNS } from '../../../src/domain/history/flat.js';
import { mustParseHistory, parseHistory } from '../../../src/domain/history/validate.js';
import { flatHistoryArbitrary } from '../../support/flat-history-arbitrary.js';

describe('flat tables', () => {
  it('history -> rows -> history deep-equals the parsed history (fast-check)', () => {
    fc.assert(
      fc.property(flatHistoryArbitrary, (raw) => {
        const parsed = parseHistory(raw);
        if (!parsed.ok) throw new Error(`arbitrary made an invalid history: ${JSON.stringify(parsed.problems)}`);
        const back = rowsToHistory(historyToRows(parsed.value));
        // toEqual: a key holding undefined and an absent key are the same history.
        expect(back).toEqual(parsed.value);
        expect(parseHistory(back).ok).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('rows carry exactly the declared columns, with typed cells', () => {
    const h = mustParseHistory({
      loanId: 'L1',
      borrowerId: 'B1',
      contract: { originationDate: '2024-01-05', principal: 5000, instalmentCount: 2 },
      borrower: { occupation: 'factory' },
      schedule: [{ seq: 1, dueDate: '2024-02-05', amountDue: 2550 }],
      events: [
        { id: 'e1', type: 'payment', at: '2024-02-05T14:00:00+08:00', recordedAt: '2024-02-06T03:00:00+08:00', amount: 2550, channel: 'bank_transfer' },
        { id: 'e2', type: 'contact', at: '2024-02-07T10:00:00+08:00', channel: 'call', outcome: 'answered' },
      ],
    });
    const rows = historyToRows(h);
    expect(Object.keys(rows.loan)).toEqual(LOAN_COLUMNS.map((c) => c.name));
    expect(Object.keys(rows.schedule[0]!)).toEqual(SCHEDULE_COLUMNS.map((c) => c.name));
    for (const r of rows.events) expect(Object.keys(r)).toEqual(EVENT_COLUMNS.map((c) => c.name));
    const [pay, call] = rows.events;
    expect(pay).toMatchObject({ type: 'payment', amount: 2550, channel: 'bank_transfer', at_ms: Date.parse('2024-02-05T06:00:00Z'), recorded_at_ms: Date.parse('2024-02-05T19:00:00Z'), detail_json: null });
    expect(call).toMatchObject({ channel: 'call', outcome: 'answered', recorded_at: null, detail_json: '{"direction":"outbound"}' });
    expect(rows.loan).toMatchObject({ attributes_json: null, meta_json: null, age: null, max_overdue_days: 90, kind: 'instalment' });
  });

  it('names the row and column of bad JSON', () => {
    const h = mustParseHistory({ loanId: 'L9', borrowerId: 'B9', contract: { originationDate: '2024-01-05', principal: 5000, instalmentCount: 1 }, borrower: {} });
    const rows = historyToRows(h);
    expect(() => rowsToHistory({ ...rows, loan: { ...rows.loan, attributes_json: '{oops' } })).toThrow('loans[L9].attributes_json: not valid JSON');
  });
});
