// Servicing events: one `{loanId, event}` or an array of them. Each accepted event is stored, its loan
// rescored, and an alert raised when the band rises or a new rule fires. Idempotent by event id.
// A single item answers with a problem when it fails; in an array each item gets its own status.
import { z } from 'zod';
import { fastSafeParse } from '../../domain/history/fast-parse.js';
import { LoanEvent } from '../../domain/history/schema.js';
import { problemsOf, type FieldProblem } from '../../domain/history/validate.js';
import type { EventItem, EventResult } from '../../scoring/servicing.js';
import { ApiError, RequestValidationError } from '../errors.js';
import { problems } from '../schemas.js';
import { documentedOnly } from '../validation.js';
import type { RoutePlugin } from './context.js';

export const EventItemSchema = z.strictObject({ loanId: z.string().min(1).max(128), event: LoanEvent });
/** EventItemSchema.safeParse on the compiled validator (zod answers every rejection). */
const parseEventItem = fastSafeParse(EventItemSchema);

const ItemResult = z.object({
  index: z.number().int(),
  loanId: z.string().nullable(),
  eventId: z.string().nullable(),
  status: z.enum(['accepted', 'duplicate', 'conflict', 'unknown_loan', 'invalid']),
  decisionId: z.number().int().optional(),
  band: z.string().optional(),
  alertId: z.number().int().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export type ParsedItems = { items: EventItem[]; slots: number[]; invalid: Map<number, FieldProblem[]> };

export function parseEventItems(raw: unknown[]): ParsedItems {
  const items: EventItem[] = [];
  const slots: number[] = [];
  const invalid = new Map<number, FieldProblem[]>();
  raw.forEach((r, i) => {
    const parsed = parseEventItem(r);
    if (parsed.success) {
      items.push(parsed.data);
      slots.push(i);
    } else invalid.set(i, problemsOf(parsed.error, [i]));
  });
  return { items, slots, invalid };
}

function idOf(raw: unknown, key: 'loanId' | 'eventId'): string | null {
  const r = raw as { loanId?: unknown; event?: { id?: unknown } } | null;
  const v = key === 'loanId' ? r?.loanId : r?.event?.id;
  return typeof v === 'string' ? v : null;
}

export const eventRoutes: RoutePlugin = async (app, { deps, limits }) => {
  const count = (results: readonly { status: string }[]) => {
    for (const r of results) deps.metrics.events.inc({ status: r.status });
  };

  app.post(
    '/v1/events',
    {
      config: { scope: 'servicing' },
      schema: {
        tags: ['servicing'],
        summary: 'Ingest one or many events for known loans',
        description: `One {loanId, event} or an array of at most ${limits.eventsMaxItems}. Acknowledged events are durable.`,
        body: documentedOnly(z.union([EventItemSchema, z.array(EventItemSchema)])),
        response: { 200: z.object({ results: z.array(ItemResult) }), ...problems(400, 404, 409, 413, 415) },
      },
    },
    async (req) => {
      const body = req.body as unknown;
      if (!Array.isArray(body)) {
        const parsed = parseEventItem(body);
        if (!parsed.success) throw new RequestValidationError(problemsOf(parsed.error));
        const [r] = (await deps.ingestEvents([parsed.data])) as [EventResult];
        count([r]);
        if (r.status === 'unknown_loan') throw new ApiError('EWS_LOAN_NOT_FOUND', `no loan "${r.loanId}"; register it with PUT /v1/loans/{id} first`);
        if (r.status === 'conflict') throw new ApiError('EWS_EVENT_CONFLICT', `event "${r.eventId}" of loan "${r.loanId}" was stored with different content`);
        return { results: [{ index: 0, ...r }] };
      }
      if (body.length === 0) throw new RequestValidationError([{ path: '(root)', message: 'expected at least one event' }]);
      if (body.length > limits.eventsMaxItems) throw new ApiError('EWS_BATCH_TOO_LARGE', `${body.length} events; at most ${limits.eventsMaxItems} per request`);
      const { items, slots, invalid } = parseEventItems(body);
      const ingested = items.length === 0 ? [] : await deps.ingestEvents(items);
      const results: Array<z.infer<typeof ItemResult>> = new Array(body.length);
      ingested.forEach((r, k) => (results[slots[k]!] = { index: slots[k]!, ...r }));
      for (const [i, errors] of invalid) results[i] = { index: i, loanId: idOf(body[i], 'loanId'), eventId: idOf(body[i], 'eventId'), status: 'invalid', errors };
      count(results);
      return { results };
    },
  );
};
