// POST /v1/events on the real composition: with EWS_EVENTS_SCORE_ON_WORKERS=1 each loan is scored ahead
// on the worker pool, and the decisions stored are the ones the in-process
// scorer makes (reproduce() rescores in process); by default, events are scored in process.
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { compose, type Services } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import { contactEvent, makeHistoryInput, paymentEvent } from '../support/histories.js';

const H = { authorization: 'Bearer real-admin' };
const NOW = Date.parse('2025-05-20T04:00:00Z');
const opened: Array<{ app: FastifyInstance; services: Services }> = [];
afterAll(async () => {
  for (const o of opened) {
    await o.app.close();
    o.services.close();
  }
});

async function start(onWorkers: '1' | undefined) {
  const env = { EWS_DB: ':memory:', EWS_API_KEYS: 'real-admin=admin', EWS_RATE_LIMIT: '0', EWS_SCORE_WORKERS: '1' };
  const config = loadConfig(onWorkers === undefined ? env : { ...env, EWS_EVENTS_SCORE_ON_WORKERS: onWorkers });
  const services = await compose(config, { now: () => NOW, logger: createLogger('silent') });
  const app = await buildApp(services.http, services.httpOptions);
  opened.push({ app, services });
  for (let i = 0; i < 4; i++) {
    const put = await app.inject({ method: 'PUT', url: `/v1/loans/L-${i}`, headers: H, payload: makeHistoryInput({ loanId: `L-${i}`, due: 3 + i, missed: i % 3 }) });
    expect(put.statusCode).toBe(201);
  }
  return { app, services, scoreOne: vi.spyOn(services.scorer, 'scoreOne') };
}

/** 24 events over 4 loans, sent as concurrent requests (several share a commit), one with two items. */
async function postEvents(app: FastifyInstance) {
  const bodies: object[] = Array.from({ length: 24 }, (_, k) => ({
    loanId: `L-${k % 4}`,
    event: k % 3 === 0 ? paymentEvent('2025-05-18T10:00:00+08:00', 20 + k, `p-${k}`) : contactEvent('2025-05-19T10:00:00+08:00', k % 2 === 0 ? 'refused' : 'answered', `c-${k}`),
  }));
  bodies.push([{ loanId: 'L-1', event: contactEvent('2025-05-19T11:00:00+08:00', 'refused', 'x-1') }, { loanId: 'L-1', event: contactEvent('2025-05-19T12:00:00+08:00', 'refused', 'x-2') }]);
  const replies = await Promise.all(bodies.map((payload) => app.inject({ method: 'POST', url: '/v1/events', headers: H, payload })));
  for (const r of replies) {
    expect(r.statusCode).toBe(200);
    for (const item of r.json().results) expect(item.status).toBe('accepted');
  }
}

describe('events scored ahead on the worker pool', () => {
  it('stores the decisions the in-process scorer makes, without scoring in process', async () => {
    const { app, services, scoreOne } = await start('1');
    expect(services.http.scorePool).not.toBeNull();
    await postEvents(app);
    expect(scoreOne).not.toHaveBeenCalled();
    for (let i = 0; i < 4; i++) {
      const { loan, decision } = services.servicing.getLoan(`L-${i}`)!;
      expect(decision!.eventWatermark).toBe(loan.eventWatermark);
      const trail = services.servicing.decisions(`L-${i}`, undefined, 100)!.items;
      for (const d of trail) expect(services.servicing.reproduce(d)!.matches).toBe(true);
    }
  });

  it('scores in process by default', async () => {
    const { app, scoreOne } = await start(undefined);
    await postEvents(app);
    expect(scoreOne).toHaveBeenCalled();
  });
});
