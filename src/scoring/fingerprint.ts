// The audit fingerprint of a scoring input, and canonical JSON for comparing values whatever order
// their fields arrived in.
import { hash } from 'node:crypto';
import type { LoanHistory } from '../domain/history/schema.js';

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

/**
 * sha256 of the as-of instant and the history's JSON. Histories reach the scorer only after the zod
 * contract parsed them (or rebuilt from the store's JSON of such values), so fields come in the
 * contract's order and the plain JSON is already canonical; sorting keys here cost 10x the hash.
 * `historyJson` must equal JSON.stringify(history): a store that holds the JSON texts passes them.
 */
export function inputFingerprint(history: LoanHistory, asOfMs: number, historyJson: string = JSON.stringify(history)): string {
  // One-shot hash of the same bytes: no Hash object per decision (the events path makes one per event).
  return hash('sha256', `${new Date(asOfMs).toISOString()}\n${historyJson}`);
}
