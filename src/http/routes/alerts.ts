// Collectors: the alert queue, filtered and paged newest first; acknowledge; assign.
import { z } from 'zod';
import { BANDS, STEPS } from '../../domain/decision/schema.js';
import { ALERT_STATUSES } from '../../scoring/store-port.js';
import { ApiError } from '../errors.js';
import { AlertIdParams, AlertSchema, Cursor, Limit, problems } from '../schemas.js';
import type { RoutePlugin } from './context.js';

const AlertQuery = z.object({
  status: z.enum(ALERT_STATUSES).optional(),
  band: z.enum(BANDS).optional(),
  step: z.enum(STEPS).optional(),
  assignee: z.string().min(1).max(128).optional(),
  before: Cursor,
  limit: Limit(500, 50),
});

export const alertRoutes: RoutePlugin = async (app, { deps }) => {
  const notFound = (id: number) => new ApiError('EWS_ALERT_NOT_FOUND', `no alert ${id}`);

  app.get(
    '/v1/alerts',
    {
      config: { scope: 'collector' },
      schema: {
        tags: ['collectors'],
        summary: 'Alerts, newest first; filter by status, band, step, assignee; page with nextCursor',
        querystring: AlertQuery,
        response: { 200: z.object({ items: z.array(AlertSchema), nextCursor: z.number().int().nullable() }), ...problems(400) },
      },
    },
    (req) => deps.collectors.list(req.query),
  );

  app.post(
    '/v1/alerts/:id/ack',
    {
      config: { scope: 'collector' },
      schema: { tags: ['collectors'], summary: 'Acknowledge an alert (idempotent: the first acknowledgement is kept)', params: AlertIdParams, response: { 200: AlertSchema, ...problems(400, 404) } },
    },
    (req) => {
      const alert = deps.collectors.acknowledge(req.params.id, req.principal?.id ?? 'unknown');
      if (alert === null) throw notFound(req.params.id);
      return alert;
    },
  );

  app.post(
    '/v1/alerts/:id/assign',
    {
      config: { scope: 'collector' },
      schema: {
        tags: ['collectors'],
        summary: 'Assign an alert to a collector (null unassigns)',
        params: AlertIdParams,
        body: z.strictObject({ assignee: z.string().min(1).max(128).nullable() }),
        response: { 200: AlertSchema, ...problems(400, 404) },
      },
    },
    (req) => {
      const alert = deps.collectors.assign(req.params.id, req.body.assignee);
      if (alert === null) throw notFound(req.params.id);
      return alert;
    },
  );
};
