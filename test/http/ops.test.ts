import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { auth, buildTestApp, type TestApp } from '../support/app.js';
import { makeHistoryInput } from '../support/histories.js';
import { createTestScorer } from '../support/test-scorer.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

function logSink() {
  const lines: string[] = [];
  const stream = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
  return { lines, stream };
}

describe('operations', () => {
  it('/healthz and /readyz; readiness fails with 503 when the store is gone', async () => {
    t = await buildTestApp();
    expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject({ url: '/readyz' })).json()).toEqual({ model: true, store: true });
    t.services.store.close();
    const r = await t.app.inject({ url: '/readyz' });
    expect(r.statusCode).toBe(503);
    expect(r.json()).toMatchObject({ code: 'EWS_NOT_READY', status: 503 });
  });

  it('/metrics exposes latency, decisions by band, alerts raised and inference time, with no loan ids', async () => {
    t = await buildTestApp();
    await t.app.inject({ method: 'PUT', url: '/v1/loans/L-secret-77', headers: auth('servicing'), payload: makeHistoryInput({ loanId: 'L-secret-77', due: 4, missed: 2 }) });
    await t.app.inject({ method: 'POST', url: '/v1/score', headers: auth('underwriting'), payload: makeHistoryInput({ due: 4 }) });
    const text = (await t.app.inject({ url: '/metrics' })).body;
    expect(text).toContain('# TYPE ews_http_request_duration_seconds histogram');
    expect(text).toMatch(/ews_http_request_duration_seconds_count\{method="PUT",route="\/v1\/loans\/:id",status="201"\} 1/);
    expect(text).toContain('ews_decisions_total{band="high"} 1');
    expect(text).toContain('ews_decisions_total{band="low"} 1');
    expect(text).toContain('ews_alerts_raised_total{trigger="band_rise"} 1');
    expect(text).toMatch(/ews_inference_duration_seconds_count\{kind="one"\} 2/);
    expect(text).not.toContain('L-secret-77');
  });

  it("/metrics counts the event loop's garbage collections by kind", async () => {
    t = await buildTestApp();
    const count = async (kind: string) => Number(new RegExp(`ews_gc_duration_seconds_count\\{kind="${kind}"\\} (\\d+)`).exec((await t!.app.inject({ url: '/metrics' })).body)?.[1] ?? 0);
    const before = await count('minor');
    // ~200 MB of short-lived arrays: several young-generation collections.
    let sink = 0;
    for (let i = 0; i < 200_000; i++) sink += new Array(128).fill(i).length;
    expect(sink).toBe(200_000 * 128);
    await new Promise((r) => setTimeout(r, 20)); // observers hear of collections asynchronously
    expect(await count('minor')).toBeGreaterThan(before);
    expect((await t.app.inject({ url: '/metrics' })).body).toContain('# TYPE ews_gc_duration_seconds histogram');
  });

  it('serves the OpenAPI document with every route and the problem responses', async () => {
    t = await buildTestApp();
    const doc = (await t.app.inject({ url: '/docs/json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ['/v1/score', '/v1/score/batch', '/v1/loans/{id}', '/v1/loans/{id}/decisions', '/v1/events', '/v1/alerts', '/v1/alerts/{id}/ack', '/v1/alerts/{id}/assign', '/v1/alerts/stream', '/v1/model', '/v1/rules']) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.paths['/floor/score']).toBeUndefined();
    const score = doc.paths['/v1/score'].post;
    expect(score.requestBody.content['application/json'].schema.properties.contract).toBeDefined();
    expect(Object.keys(score.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403']));
    expect((await t.app.inject({ url: '/docs' })).statusCode).toBeLessThan(400);
  });

  it('unknown routes are 404 problems', async () => {
    t = await buildTestApp();
    const r = await t.app.inject({ url: '/v2/nothing?phone=123' });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toMatchObject({ code: 'EWS_NOT_FOUND', instance: '/v2/nothing' });
  });

  it('hides internals of a 5xx from the client and logs them without personal data', async () => {
    const scorer = createTestScorer();
    scorer.scoreOne = () => {
      throw new Error('tensor shape mismatch at layer 3');
    };
    const sink = logSink();
    t = await buildTestApp({}, scorer, sink.stream);
    const r = await t.app.inject({ method: 'POST', url: '/v1/score', headers: auth('underwriting'), payload: makeHistoryInput() });
    expect(r.statusCode).toBe(500);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.body).not.toContain('tensor');
    expect(r.json()).toMatchObject({ code: 'EWS_INTERNAL', status: 500 });
    const logged = sink.lines.join('');
    expect(logged).toContain('tensor shape mismatch at layer 3');
    expect(logged).not.toContain('k-uw');
  });

  it('rate-limits per key with 429 problems', async () => {
    t = await buildTestApp({ EWS_RATE_LIMIT: '3', EWS_RATE_WINDOW_MS: '60000' });
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await t.app.inject({ url: '/v1/alerts', headers: auth('collector') })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    const r = await t.app.inject({ url: '/v1/alerts', headers: auth('collector') });
    expect(r.json()).toMatchObject({ code: 'EWS_RATE_LIMITED', status: 429 });
    // Another key has its own budget.
    expect((await t.app.inject({ url: '/v1/alerts', headers: auth('admin') })).statusCode).toBe(200);
  });

  it('answers 503 when the event loop is overloaded', async () => {
    t = await buildTestApp({ EWS_MAX_EVENT_LOOP_DELAY_MS: '20' });
    const until = Date.now() + 1300;
    while (Date.now() < until) {
      // Block the event loop, as a flood of work would.
    }
    await new Promise((r) => setTimeout(r, 5));
    const r = await t.app.inject({ url: '/v1/alerts', headers: auth('collector') });
    expect(r.statusCode).toBe(503);
    expect(r.json()).toMatchObject({ code: 'EWS_OVERLOADED' });
    expect(r.headers['retry-after']).toBeDefined();
  });
});
