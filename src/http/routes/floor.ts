// Benchmark floors (enabled only by EWS_BENCH_FLOOR=1): the same bodies, auth and parsing as the real
// routes, but no scoring or storing. The ratio real/floor isolates the cost of the work itself.
import { z } from 'zod';
import { LoanHistory } from '../../domain/history/schema.js';
import { parseHistory } from '../../domain/history/validate.js';
import { documentedOnly } from '../validation.js';
import type { RoutePlugin } from './context.js';
import { EventItemSchema, parseEventItems } from './events.js';

export const floorRoutes: RoutePlugin = async (app, { limits }) => {
  app.post('/floor/score', { config: { scope: 'underwriting' }, schema: { hide: true, body: LoanHistory } }, (req) => ({ loanId: req.body.loanId }));

  app.post(
    '/floor/score/batch',
    { bodyLimit: limits.batchBodyLimit, config: { scope: 'underwriting' }, schema: { hide: true, body: documentedOnly(z.object({ histories: z.array(z.unknown()) })) } },
    (req) => {
      const raw = (req.body as { histories: unknown[] }).histories;
      let valid = 0;
      raw.forEach((item, i) => (valid += parseHistory(item, ['histories', i]).ok ? 1 : 0));
      return { valid, failed: raw.length - valid };
    },
  );

  app.post('/floor/events', { config: { scope: 'servicing' }, schema: { hide: true, body: documentedOnly(z.union([EventItemSchema, z.array(EventItemSchema)])) } }, (req) => {
    const body = req.body as unknown;
    const { items, invalid } = parseEventItems(Array.isArray(body) ? body : [body]);
    return { valid: items.length, failed: invalid.size };
  });
};
