import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvLine, stagingLine, STAGING_QUOTE } from '../../src/batch/csv.js';
import { CSV_HEADER, DECISION_COLUMNS, type OutputFormat, writeDecisionLine } from '../../src/batch/decision-row.js';
import { Decision } from '../../src/domain/decision/schema.js';
import { Utf8Writer } from '../../src/domain/decision/utf8-writer.js';
import { arbitraryOf } from '../support/zod-json-arbitrary.js';

/** The flat layout's cells, built independently: JSON.stringify for the JSON columns. */
function cells(d: Decision): (string | number | null)[] {
  return [
    d.loanId, d.asOf, d.horizonDays, d.pd, d.points, d.band, d.step.action, d.step.channel, d.step.priority, d.step.earliestContactAt,
    d.reasons.map((r) => r.code).join('|'), d.ruleHits.filter((h) => h.outcome === 'hit').map((h) => h.ruleId).join('|'),
    JSON.stringify(d.reasons), JSON.stringify(d.ruleHits), JSON.stringify(d.step), JSON.stringify(d.guardrails), JSON.stringify(d.evidence),
    d.versions.model, d.versions.featureSet, d.versions.ruleSet, d.versions.policy,
  ];
}

const expected: Record<OutputFormat, (d: Decision) => string> = {
  ndjson: (d) => `${JSON.stringify(d)}\n`,
  csv: (d) => `${csvLine(cells(d))}\n`,
  parquet: (d) => `${stagingLine(cells(d))}\n`,
};

// Decisions from the schema, with texts that need CSV quoting or hold the staging quote now and then.
const awkward = fc.constantFrom('plain', 'a,b', 'say "hi"', ' edge', `x${STAGING_QUOTE}y`, '逾期', 'line\nbreak');
const decisions = fc
  .tuple(arbitraryOf(Decision) as fc.Arbitrary<Decision>, awkward, awkward, fc.boolean())
  .map(([d, a, b, swap]) => (swap ? { ...d, loanId: a, versions: { ...d.versions, policy: b } } : d));

describe('writeDecisionLine', () => {
  it('writes the UTF-8 of the NDJSON, CSV and staging lines that JSON.stringify and csv.ts write, line after line', () => {
    fc.assert(
      fc.property(fc.array(decisions, { minLength: 1, maxLength: 5 }), fc.constantFrom<OutputFormat>('ndjson', 'csv', 'parquet'), (ds, format) => {
        const w = new Utf8Writer(64);
        for (const d of ds) writeDecisionLine(w, d, format);
        // As bytes: a lone surrogate is U+FFFD in UTF-8 either way (the output was Buffer.from(text) before).
        expect(Buffer.from(w.copy()).equals(Buffer.from(ds.map(expected[format]).join(''), 'utf8'))).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('has one header name and one DuckDB type per cell', () => {
    expect(CSV_HEADER.trim().split(',')).toEqual(DECISION_COLUMNS.map(([name]) => name));
    expect(DECISION_COLUMNS).toHaveLength(21);
  });
});
