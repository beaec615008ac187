// The flat (CSV / Parquet) layout of a Decision: scalar columns for what operators filter on, JSON
// columns for the nested parts, so that nothing in the Decision is lost.
import { decisionJson, evidenceJson, guardrailsJson, reasonsJson, ruleHitsJson, stepJson } from '../domain/decision/json.js';
import type { Decision } from '../domain/decision/schema.js';
import { csvLine, stagingLine } from './csv.js';

export const DECISION_COLUMNS = [
  ['loan_id', 'VARCHAR'],
  ['as_of', 'VARCHAR'],
  ['horizon_days', 'INTEGER'],
  ['pd', 'DOUBLE'],
  ['points', 'DOUBLE'],
  ['band', 'VARCHAR'],
  ['step_action', 'VARCHAR'],
  ['step_channel', 'VARCHAR'],
  ['step_priority', 'VARCHAR'],
  ['step_earliest_contact_at', 'VARCHAR'],
  ['reason_codes', 'VARCHAR'],
  ['rule_hit_ids', 'VARCHAR'],
  ['reasons_json', 'VARCHAR'],
  ['rule_hits_json', 'VARCHAR'],
  ['step_json', 'VARCHAR'],
  ['guardrails_json', 'VARCHAR'],
  ['evidence_json', 'VARCHAR'],
  ['model_version', 'VARCHAR'],
  ['feature_set_version', 'VARCHAR'],
  ['rule_set_version', 'VARCHAR'],
  ['policy_version', 'VARCHAR'],
] as const;

export type DecisionCell = string | number | null;

export function decisionToRow(d: Decision): DecisionCell[] {
  return [
    d.loanId,
    d.asOf,
    d.horizonDays,
    d.pd,
    d.points,
    d.band,
    d.step.action,
    d.step.channel,
    d.step.priority,
    d.step.earliestContactAt,
    d.reasons.map((r) => r.code).join('|'),
    d.ruleHits.filter((h) => h.outcome === 'hit').map((h) => h.ruleId).join('|'),
    // The decision serializers write what JSON.stringify would, byte for byte (test/domain/decision/json.test.ts).
    reasonsJson(d.reasons),
    ruleHitsJson(d.ruleHits),
    stepJson(d.step),
    guardrailsJson(d.guardrails),
    evidenceJson(d.evidence),
    d.versions.model,
    d.versions.featureSet,
    d.versions.ruleSet,
    d.versions.policy,
  ];
}

export const CSV_HEADER = `${DECISION_COLUMNS.map(([name]) => name).join(',')}\n`;

export type OutputFormat = 'ndjson' | 'csv' | 'parquet';

/** One decision as a line of the output (parquet is staged in the staging CSV dialect and converted at the end). */
export function encodeDecision(d: Decision, format: OutputFormat): string {
  if (format === 'ndjson') return `${decisionJson(d)}\n`;
  return `${format === 'csv' ? csvLine(decisionToRow(d)) : stagingLine(decisionToRow(d))}\n`;
}
