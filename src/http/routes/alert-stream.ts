// Server-sent events for collectors: every new alert as `id: <alert id>` / `event: alert`. A client that
// reconnects with Last-Event-ID (header, or ?lastEventId= where EventSource cannot set headers) first
// gets every alert after that id from the store, then live ones, with no gap and no repeat.
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Alert } from '../../scoring/store-port.js';
import { problems } from '../schemas.js';
import type { RoutePlugin } from './context.js';

const REPLAY_PAGE = 500;
/** A client this far behind is disconnected; it resumes from its Last-Event-ID. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export const alertStreamRoutes: RoutePlugin = async (app, { deps, limits }) => {
  const open = new Set<ServerResponse>();
  app.addHook('preClose', (done) => {
    for (const res of open) res.end();
    done();
  });

  app.get(
    '/v1/alerts/stream',
    {
      config: { scope: 'collector' },
      schema: {
        tags: ['collectors'],
        summary: 'Live alerts as server-sent events, resumable with Last-Event-ID',
        querystring: z.object({ lastEventId: z.coerce.number().int().min(0).optional().describe('Resume after this alert id (same as the Last-Event-ID header)') }),
        headers: z.object({ 'last-event-id': z.coerce.number().int().min(0).optional() }).loose(),
        ...{ response: problems(400) },
      },
    },
    (req, reply) => {
      const resumeFrom = req.headers['last-event-id'] ?? req.query.lastEventId;
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      res.write('retry: 3000\n\n');
      open.add(res);

      let lastSent = typeof resumeFrom === 'number' ? resumeFrom : -1;
      const send = (a: Alert) => {
        if (a.id <= lastSent || res.writableEnded) return;
        lastSent = a.id;
        res.write(`id: ${a.id}\nevent: alert\ndata: ${JSON.stringify(a)}\n\n`);
        if (res.writableLength > MAX_BUFFERED_BYTES) res.end();
      };
      const unsubscribe = deps.hub.subscribe(send);
      // Replay is synchronous, so no alert can be published between reading the store and going live.
      if (typeof resumeFrom === 'number') {
        for (;;) {
          const page = deps.collectors.after(lastSent, REPLAY_PAGE);
          page.forEach(send);
          if (page.length < REPLAY_PAGE || res.writableEnded) break;
        }
      }
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), limits.sseHeartbeatMs);
      heartbeat.unref();
      res.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(res);
      });
    },
  );
};
