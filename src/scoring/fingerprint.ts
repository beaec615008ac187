// The audit fingerprint of a scoring input: sha256 over canonical JSON (keys sorted at every level), so
// that the same history and as-of instant always hash the same whatever order the fields arrived in.
import { createHash } from 'node:crypto';
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

export function inputFingerprint(history: LoanHistory, asOfMs: number): string {
  return createHash('sha256').update(canonicalJson({ asOf: new Date(asOfMs).toISOString(), history })).digest('hex');
}
