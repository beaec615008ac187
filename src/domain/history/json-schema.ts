// JSON Schema documents generated from the zod contract, for lenders who validate before they send.
// Committed under schemas/ (see schemas/README.md); a test fails when they are stale.
import { z } from 'zod';
import { Decision } from '../decision/schema.js';
import { LabelledSnapshot, LoanEvent, LoanHistory } from './schema.js';

const DOCUMENTS = {
  'loan-history': { schema: LoanHistory, io: 'input' },
  'loan-event': { schema: LoanEvent, io: 'input' },
  'labelled-snapshot': { schema: LabelledSnapshot, io: 'input' },
  decision: { schema: Decision, io: 'output' },
} as const;

export type SchemaName = keyof typeof DOCUMENTS;

export function jsonSchemas(): Record<SchemaName, unknown> {
  const out = {} as Record<SchemaName, unknown>;
  for (const [name, { schema, io }] of Object.entries(DOCUMENTS) as Array<[SchemaName, (typeof DOCUMENTS)[SchemaName]]>) {
    out[name] = { $id: `https://ews.local/schemas/${name}.json`, ...z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) };
  }
  return out;
}

export function renderSchema(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
