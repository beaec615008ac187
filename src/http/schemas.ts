// Response and parameter shapes of the API (zod: one source for validation, types and OpenAPI).
import { z } from 'zod';
import { BANDS, Decision, STEPS } from '../domain/decision/schema.js';
import { ALERT_STATUSES, ALERT_TRIGGERS } from '../scoring/store-port.js';
import type { ErrorCode } from './errors.js';
import { ERRORS } from './errors.js';

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    code: z.enum(Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]]),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .describe('RFC 9457 problem details (application/problem+json)');

/** The error responses a route can give, for its schema. */
export function problems(...statuses: number[]): Record<number, typeof Problem> {
  const out: Record<number, typeof Problem> = {};
  for (const s of [401, 403, 429, 500, 503, ...statuses]) out[s] = Problem;
  return out;
}

export const AsOfQuery = z.object({
  asOf: z.iso.datetime({ offset: true, error: 'expected an ISO 8601 date-time with offset' }).optional().describe('As-of instant (default: now)'),
});

export const LoanIdParams = z.object({ id: z.string().min(1).max(128) });
export const AlertIdParams = z.object({ id: z.coerce.number().int().positive({ error: 'expected a positive integer alert id' }) });

export const DecisionRecordSchema = z.object({
  id: z.number().int(),
  loanId: z.string(),
  createdAt: z.string(),
  trigger: z.enum(['register', 'events', 'rescore']),
  revision: z.number().int(),
  eventWatermark: z.number().int(),
  fingerprint: z.string().describe('sha256 of the canonical JSON of the scoring input'),
  decision: Decision,
});

export const AlertSchema = z.object({
  id: z.number().int(),
  loanId: z.string(),
  decisionId: z.number().int(),
  createdAt: z.string(),
  triggers: z.array(z.enum(ALERT_TRIGGERS)),
  band: z.enum(BANDS),
  previousBand: z.enum(BANDS).nullable(),
  newRules: z.array(z.string()),
  step: z.enum(STEPS),
  priority: z.enum(['low', 'normal', 'high', 'urgent']),
  earliestContactAt: z.string().nullable(),
  status: z.enum(ALERT_STATUSES),
  assignee: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
});

export const Limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);
export const Cursor = z.coerce.number().int().positive().optional().describe('nextCursor of the previous page');

export const AppendStatus = z.enum(['accepted', 'duplicate', 'conflict']);
