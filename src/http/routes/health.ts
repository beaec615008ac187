// Liveness, readiness and Prometheus metrics: public, no personal data.
import { z } from 'zod';
import { ApiError } from '../errors.js';
import { problems } from '../schemas.js';
import type { RoutePlugin } from './context.js';

export const healthRoutes: RoutePlugin = async (app, { deps }) => {
  app.get('/healthz', { schema: { tags: ['ops'], security: [], summary: 'Liveness', response: { 200: z.object({ status: z.literal('ok') }) } } }, () => ({ status: 'ok' as const }));

  app.get(
    '/readyz',
    { schema: { tags: ['ops'], security: [], summary: 'Readiness: model loaded and store reachable', response: { 200: z.object({ model: z.boolean(), store: z.boolean() }), ...problems() } } },
    () => {
      let state: { model: boolean; store: boolean };
      try {
        state = deps.ready();
      } catch {
        state = { model: false, store: false };
      }
      if (!state.model || !state.store) throw new ApiError('EWS_NOT_READY', `model ${state.model ? 'loaded' : 'not loaded'}, store ${state.store ? 'reachable' : 'unreachable'}`);
      return state;
    },
  );

  app.get('/metrics', { schema: { tags: ['ops'], security: [], summary: 'Prometheus metrics (text format 0.0.4)' } }, (_req, reply) => {
    reply.type('text/plain; version=0.0.4; charset=utf-8').send(deps.metrics.render());
  });
};
