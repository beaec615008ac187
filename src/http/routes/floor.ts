// Benchmark floors (enabled only by EWS_BENCH_FLOOR=1): the same bodies, auth and parsing as the real
// routes, but no scoring or storing. The ratio real/floor isolates the cost of the work itself.
import { z } from 'zod';
import { parseHistory } from '../../domain/history/validate.js';
import { jobPlan, runPooledBatch } from '../pooled-batch.js';
import { parseJsonBody, rawJsonBodies } from '../raw-json.js';
import { BodyBuffers, type SharedBody, sharedJsonBodies } from '../shared-body.js';
import { scoreOneBody } from '../score-one.js';
import { KEPT_BODY_BYTES, SCORE_BODY } from './score.js';
import { documentedOnly } from '../validation.js';
import type { RoutePlugin } from './context.js';
import { EventItemSchema, parseEventItems } from './events.js';

export const floorRoutes: RoutePlugin = async (app, { deps, limits }) => {
  // The same body handling as the real single route (worker pool when there is one), minus the scoring (and so
  // minus the queue the real route scores through: score-one.ts).
  await app.register(async (one) => {
    rawJsonBodies(one, limits.bodyLimit, 'string');
    one.post('/floor/score', { config: { scope: 'underwriting' }, schema: { hide: true, body: SCORE_BODY } }, async (req, reply) => {
      const json = await scoreOneBody(deps, req.body as string | undefined, 0, false);
      return reply.type('application/json; charset=utf-8').send(json);
    });
  });

  // The same body handling as the real batch route (worker pool when there is one), minus the scoring.
  await app.register(async (batch) => {
    sharedJsonBodies(batch, limits.batchBodyLimit, new BodyBuffers(KEPT_BODY_BYTES));
    batch.post(
      '/floor/score/batch',
      { bodyLimit: limits.batchBodyLimit, config: { scope: 'underwriting' }, schema: { hide: true, body: documentedOnly(z.object({ histories: z.array(z.unknown()) })) } },
      async (req) => {
        const shared = req.body as SharedBody;
        try {
          const body = shared.bytes;
          const pooled = deps.scorePool === null || deps.scorePool.failed ? null : await runPooledBatch(deps.scorePool, body, 0, false, () => undefined, jobPlan(deps));
          if (pooled !== null) return { valid: pooled.scored, failed: pooled.failed };
          const raw = ((await parseJsonBody(body)) as { histories: unknown[] }).histories;
          let valid = 0;
          raw.forEach((item, i) => (valid += parseHistory(item, ['histories', i]).ok ? 1 : 0));
          return { valid, failed: raw.length - valid };
        } finally {
          shared.release();
        }
      },
    );
  });

  app.post('/floor/events', { config: { scope: 'servicing' }, schema: { hide: true, body: documentedOnly(z.union([EventItemSchema, z.array(EventItemSchema)])) } }, (req) => {
    const body = req.body as unknown;
    const { items, invalid } = parseEventItems(Array.isArray(body) ? body : [body]);
    return { valid: items.length, failed: invalid.size };
  });
};
