import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvRow, csvText } from '../../src/batch/csv.js';
import { eventCsvLine, loanCsvLine, scheduleCsvLine } from '../../src/batch/history-csv.js';
import { jsonWithout } from '../../src/batch/json-fields.js';
import { numberText } from '../../src/batch/number-text.js';
import { EVENT_COLUMNS, historyToRows, LOAN_COLUMNS, SCHEDULE_COLUMNS } from '../../src/domain/history/flat.js';
import type { LoanHistory } from '../../src/domain/history/schema.js';
import { parseHistory } from '../../src/domain/history/validate.js';
import { generatePortfolio } from '../../src/synth/portfolio.js';
import { flatHistoryArbitrary } from '../support/flat-history-arbitrary.js';

/** The direct writers must write what csvRow writes from the rows historyToRows makes. */
function expectSameLines(h: LoanHistory): void {
  const rows = historyToRows(h);
  const id = csvText(h.loanId);
  expect(loanCsvLine(h)).toBe(csvRow(rows.loan, LOAN_COLUMNS));
  h.schedule.forEach((s, i) => expect(scheduleCsvLine(id, s)).toBe(csvRow(rows.schedule[i]!, SCHEDULE_COLUMNS)));
  h.events.forEach((e, i) => expect(eventCsvLine(id, e)).toBe(csvRow(rows.events[i]!, EVENT_COLUMNS)));
}

describe('history straight to CSV lines', () => {
  it('equals csvRow(historyToRows) on generated portfolios', () => {
    for (const { history } of generatePortfolio({ seed: 4, start: '2024-01-01', months: 12, paths: 0 }, 80)) expectSameLines(history);
  });

  it('equals csvRow(historyToRows) on arbitrary histories (odd strings, metas, plans)', () => {
    fc.assert(
      fc.property(flatHistoryArbitrary, (raw) => {
        const parsed = parseHistory(raw);
        if (!parsed.ok) throw new Error(`arbitrary made an invalid history: ${JSON.stringify(parsed.problems)}`);
        expectSameLines(parsed.value);
      }),
      { numRuns: 300 },
    );
  });
});

describe('numberText', () => {
  it('is String(v) for any double, integer, money amount and epoch millisecond', () => {
    const cents = fc.integer({ min: -1e15, max: 1e15 }).map((c) => c / 100);
    const anyNumber = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.maxSafeInteger(), cents, fc.integer({ min: 0, max: 4e12 }));
    fc.assert(fc.property(anyNumber, (v) => {
        expect(numberText(v)).toBe(String(v));
      }), { numRuns: 20_000 });
  });

  it('handles the edges of each fast path', () => {
    for (const v of [0, -0, 0.01, -0.01, -0.5, 0.1, 0.3, 0.1 + 0.2, 482.25, 99_999_999_999.99, 9_999_999_999_999.99, 1e13, 2 ** 31, -(2 ** 31) - 1, 1_000_000, 1_000_001, 1_723_597_860_000, Number.MAX_SAFE_INTEGER, 2 ** 53, 1e21, 1e-7]) {
      expect(numberText(v)).toBe(String(v));
    }
  });
});

describe('jsonWithout', () => {
  const skip = new Set(['id', 'type']);
  const value = fc.oneof(fc.string({ unit: 'binary' }), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.jsonValue());
  const record = fc.dictionary(fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), fc.constantFrom('id', 'type', '1', '02')), value, { maxKeys: 6 });

  it('is JSON.stringify of the fields left, or null when none is', () => {
    fc.assert(
      fc.property(record, (o) => {
        const kept = Object.fromEntries(Object.entries(o).filter(([k, v]) => !skip.has(k) && v !== undefined));
        const expected = Object.keys(kept).length === 0 ? null : JSON.stringify(kept);
        expect(jsonWithout(o, skip)).toBe(expected);
        expect(jsonWithout(o, skip, '""')).toBe(expected === null ? null : expected.replaceAll('"', '""'));
      }),
      { numRuns: 2000 },
    );
  });
});
