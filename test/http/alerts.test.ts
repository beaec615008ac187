import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertSchema } from '../../src/http/schemas.js';
import { auth, buildTestApp, type TestApp } from '../support/app.js';
import { contactEvent, makeHistoryInput } from '../support/histories.js';

let t: TestApp;
beforeEach(async () => (t = await buildTestApp({}, undefined)));
afterEach(() => t.close());

const col = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: auth('collector'), ...(payload === undefined ? {} : { payload: payload as object }) });

/** Registers loans so that alerts 1..n exist: bands cycle high / elevated / watch. */
async function seed(n: number) {
  for (let i = 0; i < n; i++) {
    const missed = [2, 1, 1][i % 3]!;
    const r = await t.app.inject({ method: 'PUT', url: `/v1/loans/L-${i}`, headers: auth('servicing'), payload: makeHistoryInput({ loanId: `L-${i}`, due: 4, missed }) });
    expect(r.json().alertId).toBe(i + 1);
  }
}

describe('alert queue', () => {
  it('lists alerts newest first with filters and cursor pages', async () => {
    await seed(7);
    const all = (await col('GET', '/v1/alerts')).json();
    expect(all.items.map((a: { id: number }) => a.id)).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(AlertSchema.parse(all.items[0])).toEqual(all.items[0]);
    const high = (await col('GET', '/v1/alerts?band=high')).json();
    expect(high.items.map((a: { id: number }) => a.id)).toEqual([7, 4, 1]);
    expect((await col('GET', '/v1/alerts?step=collector_call')).json().items.map((a: { id: number }) => a.id)).toEqual([7, 4, 1]);
    const p1 = (await col('GET', '/v1/alerts?limit=3')).json();
    const p2 = (await col('GET', `/v1/alerts?limit=3&before=${p1.nextCursor}`)).json();
    const p3 = (await col('GET', `/v1/alerts?limit=3&before=${p2.nextCursor}`)).json();
    expect([...p1.items, ...p2.items, ...p3.items].map((a: { id: number }) => a.id)).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(p3.nextCursor).toBeNull();
    const bad = await col('GET', '/v1/alerts?band=purple');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('query.band');
  });

  it('acknowledges (recording the key, not a person) and assigns', async () => {
    await seed(2);
    const ack = await col('POST', '/v1/alerts/1/ack');
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({ id: 1, status: 'acknowledged', acknowledgedBy: 'key-' + ack.json().acknowledgedBy.slice(4) });
    const assigned = await col('POST', '/v1/alerts/2/assign', { assignee: 'team-east-07' });
    expect(assigned.json()).toMatchObject({ id: 2, assignee: 'team-east-07', status: 'open' });
    expect((await col('GET', '/v1/alerts?status=open')).json().items.map((a: { id: number }) => a.id)).toEqual([2]);
    expect((await col('GET', '/v1/alerts?assignee=team-east-07')).json().items.map((a: { id: number }) => a.id)).toEqual([2]);
    expect((await col('POST', '/v1/alerts/2/assign', { assignee: null })).json().assignee).toBeNull();
    expect((await col('POST', '/v1/alerts/99/ack')).statusCode).toBe(404);
    const bad = await col('POST', '/v1/alerts/2/assign', { who: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['assignee']));
    expect((await col('POST', '/v1/alerts/abc/ack')).json().errors[0].path).toBe('params.id');
  });
});

interface SseEvent {
  id: number;
  data: { id: number; loanId: string };
}

/** Opens the SSE stream on a real socket and collects events until `count` arrived. */
function readSse(port: number, headers: Record<string, string>, count: number, onOpen: () => void, query = ''): Promise<{ events: SseEvent[]; contentType: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ port, path: `/v1/alerts/stream${query}`, headers: { ...auth('collector'), ...headers } }, (res) => {
      const events: SseEvent[] = [];
      let buf = '';
      res.setEncoding('utf8');
      onOpen();
      res.on('data', (chunk: string) => {
        buf += chunk;
        let cut: number;
        while ((cut = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          const id = /^id: (\d+)$/m.exec(block);
          const data = /^data: (.*)$/m.exec(block);
          if (id !== null && data !== null) events.push({ id: Number(id[1]), data: JSON.parse(data[1]!) });
          if (events.length >= count) {
            req.destroy();
            resolve({ events, contentType: String(res.headers['content-type']) });
          }
        }
      });
    });
    req.on('error', (e) => (e.message.includes('aborted') ? undefined : reject(e)));
    req.end();
  });
}

describe('GET /v1/alerts/stream (SSE)', () => {
  it('replays alerts after Last-Event-ID, then streams live ones, with no gap or repeat', async () => {
    await seed(4);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as AddressInfo).port;
    let live: Promise<unknown> | undefined;
    const { events, contentType } = await readSse(port, { 'last-event-id': '2' }, 4, () => {
      live = t.app.inject({ method: 'POST', url: '/v1/events', headers: auth('servicing'), payload: [
        { loanId: 'L-0', event: contactEvent('2025-05-19T10:00:00+08:00', 'refused') },
        { loanId: 'L-1', event: contactEvent('2025-05-19T10:00:00+08:00', 'refused') },
      ] });
    });
    await live;
    expect(contentType).toMatch(/^text\/event-stream/);
    expect(events.map((e) => e.id)).toEqual([3, 4, 5, 6]);
    expect(events.map((e) => e.data.loanId)).toEqual(['L-2', 'L-3', 'L-0', 'L-1']);
    expect(events.every((e) => e.id === e.data.id)).toBe(true);
    // Resuming with the query parameter (EventSource cannot set headers on its first request).
    const resumed = await readSse(port, {}, 1, () => undefined, '?lastEventId=5');
    expect(resumed.events.map((e) => e.id)).toEqual([6]);
  });

  it('needs the collector scope', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/v1/alerts/stream', headers: auth('underwriting') });
    expect(r.statusCode).toBe(403);
  });
});
