// The flat (CSV / Parquet) layout of a Decision: scalar columns for what operators filter on, JSON
// columns for the nested parts, so that nothing in the Decision is lost. Lines are written straight to
// UTF-8 bytes (decision/utf8-writer.ts): a chunk's text as one JS string was two-byte (the Chinese
// reasons), and encoding it cost more than writing it.
import { writeDecision, writeEvidence, writeGuardrails, writeReasons, writeRuleHits, writeStep } from '../domain/decision/json.js';
import type { Decision } from '../domain/decision/schema.js';
import { Utf8Writer } from '../domain/decision/utf8-writer.js';
import { csvText, STAGING_QUOTE } from './csv.js';
import { numberText } from './number-text.js';

type Column =
  | { readonly name: string; readonly type: 'VARCHAR'; readonly text: (d: Decision) => string | null }
  | { readonly name: string; readonly type: 'INTEGER' | 'DOUBLE'; readonly number: (d: Decision) => number }
  /** A JSON text column: the part of the decision, written as JSON.stringify writes it. */
  | { readonly name: string; readonly type: 'VARCHAR'; readonly json: (w: Utf8Writer, d: Decision) => void };

const COLUMNS: readonly Column[] = [
  { name: 'loan_id', type: 'VARCHAR', text: (d) => d.loanId },
  { name: 'as_of', type: 'VARCHAR', text: (d) => d.asOf },
  { name: 'horizon_days', type: 'INTEGER', number: (d) => d.horizonDays },
  { name: 'pd', type: 'DOUBLE', number: (d) => d.pd },
  { name: 'points', type: 'DOUBLE', number: (d) => d.points },
  { name: 'band', type: 'VARCHAR', text: (d) => d.band },
  { name: 'step_action', type: 'VARCHAR', text: (d) => d.step.action },
  { name: 'step_channel', type: 'VARCHAR', text: (d) => d.step.channel },
  { name: 'step_priority', type: 'VARCHAR', text: (d) => d.step.priority },
  { name: 'step_earliest_contact_at', type: 'VARCHAR', text: (d) => d.step.earliestContactAt },
  { name: 'reason_codes', type: 'VARCHAR', text: (d) => d.reasons.map((r) => r.code).join('|') },
  { name: 'rule_hit_ids', type: 'VARCHAR', text: (d) => d.ruleHits.filter((h) => h.outcome === 'hit').map((h) => h.ruleId).join('|') },
  { name: 'reasons_json', type: 'VARCHAR', json: (w, d) => writeReasons(w, d.reasons) },
  { name: 'rule_hits_json', type: 'VARCHAR', json: (w, d) => writeRuleHits(w, d.ruleHits) },
  { name: 'step_json', type: 'VARCHAR', json: (w, d) => writeStep(w, d.step) },
  { name: 'guardrails_json', type: 'VARCHAR', json: (w, d) => writeGuardrails(w, d.guardrails) },
  { name: 'evidence_json', type: 'VARCHAR', json: (w, d) => writeEvidence(w, d.evidence) },
  { name: 'model_version', type: 'VARCHAR', text: (d) => d.versions.model },
  { name: 'feature_set_version', type: 'VARCHAR', text: (d) => d.versions.featureSet },
  { name: 'rule_set_version', type: 'VARCHAR', text: (d) => d.versions.ruleSet },
  { name: 'policy_version', type: 'VARCHAR', text: (d) => d.versions.policy },
];

/** The flat layout's columns and their DuckDB types. */
export const DECISION_COLUMNS: readonly (readonly [string, string])[] = COLUMNS.map((c) => [c.name, c.type] as const);

export const CSV_HEADER = `${COLUMNS.map((c) => c.name).join(',')}\n`;

export type OutputFormat = 'ndjson' | 'csv' | 'parquet';

const LF = 0x0a;
const COMMA = 0x2c;
const QUOTE = 0x22;
const STAGING = STAGING_QUOTE.charCodeAt(0);

/** A JSON part for a CSV cell is written here first: it is quoted (its `"` doubled) when it needs it. */
const part = new Utf8Writer(16 * 1024);

/** The part's bytes as an RFC 4180 field (csv.ts csvText: JSON text never starts or ends with white space). */
function writeCsvJson(w: Utf8Writer, write: (w: Utf8Writer, d: Decision) => void, d: Decision): void {
  part.reset();
  write(part, d);
  const bytes = part.current();
  const end = bytes.length;
  let quoted = false;
  for (let i = 0; i < end && !quoted; i++) {
    const c = bytes[i];
    quoted = c === QUOTE || c === COMMA || c === LF || c === 0x0d;
  }
  if (!quoted) {
    w.raw(bytes);
    return;
  }
  w.byte(QUOTE);
  for (let i = 0; i < end; i++) {
    const c = bytes[i]!;
    if (c === QUOTE) w.byte(QUOTE);
    w.byte(c);
  }
  w.byte(QUOTE);
}

/** A string cell of the staging dialect (csv.ts): always quoted with U+0001, one inside doubled. */
function writeStagingText(w: Utf8Writer, v: string): void {
  w.byte(STAGING);
  w.text(v.indexOf(STAGING_QUOTE) === -1 ? v : v.replaceAll(STAGING_QUOTE, STAGING_QUOTE + STAGING_QUOTE));
  w.byte(STAGING);
}

/**
 * One decision as a line of the output, in UTF-8: NDJSON (JSON.stringify's text), CSV (RFC 4180, as
 * csv.ts csvLine writes the cells), or for parquet the staging dialect (csv.ts stagingLine), converted
 * at the end. Null is an empty unquoted field; a non-finite number too.
 */
export function writeDecisionLine(w: Utf8Writer, d: Decision, format: OutputFormat): void {
  if (format === 'ndjson') {
    writeDecision(w, d);
    w.byte(LF);
    return;
  }
  const csv = format === 'csv';
  for (let i = 0; i < COLUMNS.length; i++) {
    if (i > 0) w.byte(COMMA);
    const c = COLUMNS[i]!;
    if ('number' in c) {
      const v = c.number(d);
      if (Number.isFinite(v)) w.ascii(numberText(v));
    } else if ('json' in c) {
      if (csv) writeCsvJson(w, c.json, d);
      else {
        // JSON text never holds a raw U+0001 (control characters are escaped): in as it is.
        w.byte(STAGING);
        c.json(w, d);
        w.byte(STAGING);
      }
    } else {
      const v = c.text(d);
      if (v !== null) {
        if (csv) w.text(csvText(v));
        else writeStagingText(w, v);
      }
    }
  }
  w.byte(LF);
}
