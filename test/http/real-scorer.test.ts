// The routes through the real composition: the bundled model (models/default), the shipped rule set
// and policy, as `ews serve` runs them.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compose, type Services } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import { Decision } from '../../src/domain/decision/schema.js';
import { buildApp } from '../../src/http/app.js';
import { BATCH_ONLY_SLICE, jobPlan, SHARED_SLICE } from '../../src/http/pooled-batch.js';
import type { FastifyInstance } from 'fastify';
import { createLogger } from '../../src/log.js';
import { contactEvent, makeHistoryInput } from '../support/histories.js';

let app: FastifyInstance;
let services: Services;
const H = { authorization: 'Bearer real-admin' };
const NOW = Date.parse('2025-05-20T04:00:00Z');

/** The app's decisions-by-band counters (asserted not empty: something was counted). */
async function decisionsByBand(a: { app: FastifyInstance }): Promise<string[]> {
  const lines = (await a.app.inject({ url: '/metrics' })).body.split('\n').filter((l) => l.startsWith('ews_decisions_total{'));
  expect(lines.length).toBeGreaterThan(0);
  return lines.sort();
}

beforeAll(async () => {
  const config = loadConfig({ EWS_DB: ':memory:', EWS_API_KEYS: 'real-admin=admin', EWS_RATE_LIMIT: '0' });
  services = await compose(config, { now: () => NOW, logger: createLogger('silent') });
  app = await buildApp(services.http, services.httpOptions);
});
afterAll(async () => {
  await app?.close();
  services?.close();
});

describe('routes on the bundled scorer', () => {
  it('scores one history into a schema-valid decision carrying all four versions', async () => {
    // 40 days past due on a contract whose referral threshold is 30 days.
    const input = makeHistoryInput({ due: 4, missed: 2 });
    input.contract.maxOverdueDays = 30;
    const r = await app.inject({ method: 'POST', url: '/v1/score', headers: H, payload: input });
    expect(r.statusCode).toBe(200);
    const d = Decision.parse(r.json());
    expect(d.versions).toEqual(services.scorer.versions);
    expect(d.pd).toBeGreaterThan(0);
    const hit = d.ruleHits.find((h) => h.ruleId === 'max_overdue_reached');
    expect(hit).toMatchObject({ outcome: 'hit', referralCondition: true });
    expect(hit!.values).toMatchObject({ dpd: 40 });
    expect(d.step.action).not.toBe('none');
    // Same input, same instant: same decision (the audit reproduces decisions exactly).
    const again = await app.inject({ method: 'POST', url: '/v1/score?asOf=2025-05-20T04:00:00Z', headers: H, payload: input });
    expect(again.json()).toEqual(r.json());
  });

  it('a batch gives the same decisions as single calls', async () => {
    const histories = [0, 1, 2, 3].map((m) => makeHistoryInput({ loanId: `L-${m}`, due: 4, missed: m }));
    const batch = (await app.inject({ method: 'POST', url: '/v1/score/batch', headers: H, payload: { histories } })).json();
    for (let i = 0; i < histories.length; i++) {
      const single = (await app.inject({ method: 'POST', url: '/v1/score', headers: H, payload: histories[i]! })).json();
      expect(batch.results[i].decision.band).toBe(single.band);
      expect(batch.results[i].decision.pd).toBeCloseTo(single.pd, 5);
    }
  });

  it('registers, ingests events, keeps a reproducible audit trail and describes model and rules', async () => {
    expect((await app.inject({ method: 'PUT', url: '/v1/loans/L-r', headers: H, payload: makeHistoryInput({ loanId: 'L-r', due: 4, missed: 1 }) })).statusCode).toBe(201);
    const ev = await app.inject({ method: 'POST', url: '/v1/events', headers: H, payload: { loanId: 'L-r', event: contactEvent('2025-05-19T10:00:00+08:00', 'refused', 'r-1') } });
    expect(ev.json().results[0].status).toBe('accepted');
    const record = services.servicing.getLoan('L-r')!.decision!;
    expect(services.servicing.reproduce(record)!.matches).toBe(true);
    const model = (await app.inject({ url: '/v1/model', headers: H })).json();
    expect(model.model.features.length).toBeGreaterThan(10);
    // The bundled model (one hidden layer of 96 units) runs on the SIMD kernels where Node has WebAssembly SIMD (Node 20 does).
    expect(model.model.backend).toBe('plain-wasm-simd');
    const rules = (await app.inject({ url: '/v1/rules', headers: H })).json();
    expect(rules.versions.ruleSet).toBe(services.scorer.versions.ruleSet);
    expect(rules.rules.length).toBeGreaterThan(3);
    expect(rules.rules[0]).toHaveProperty('id');
  });
});

describe('score routes on the worker pool', () => {
  const apps: Array<{ app: FastifyInstance; services: Services }> = [];
  const start = async (workers: string, batchMax = '5', oneOnWorkers = '1', batchJobs = 'cut') => {
    const config = loadConfig({
      EWS_DB: ':memory:', EWS_API_KEYS: 'real-admin=admin', EWS_RATE_LIMIT: '0', EWS_BATCH_MAX: batchMax, EWS_BENCH_FLOOR: '1', EWS_SCORE_WORKERS: workers, EWS_SCORE_ONE_ON_WORKERS: oneOnWorkers,
      EWS_BATCH_JOBS: batchJobs,
    });
    const s = await compose(config, { now: () => NOW, logger: createLogger('silent') });
    const a = { app: await buildApp(s.http, s.httpOptions), services: s };
    apps.push(a);
    return a;
  };
  afterAll(async () => {
    for (const a of apps.splice(0)) {
      await a.app.close();
      a.services.close();
    }
  });

  it('answers byte for byte as in-process scoring does, bad items, bad bodies and floor included, cut or split', async () => {
    const pooled = await start('2');
    // Every body's items found on the event loop first (the split), as before the cuts.
    const split = await start('2', '5', '0', 'split');
    const local = await start('0');
    expect(pooled.services.http.scorePool?.size, 'worker pool (needs `npm run build`)').toBe(2);
    expect(local.services.http.scorePool).toBeNull();
    const histories: unknown[] = [0, 1, 2].map((m) => makeHistoryInput({ loanId: `L-${m}`, due: 4, missed: m }));
    histories.splice(1, 0, { loanId: 'broken' }, 42);
    const bodies = [
      JSON.stringify({ histories }),
      JSON.stringify({ note: '逾期', histories: histories.slice(0, 3) }, null, 2),
      JSON.stringify({ histories: [] }),
      JSON.stringify({ histories: [...histories, ...histories] }),
      JSON.stringify({ histories: [makeHistoryInput({ loanId: 'L-"q\\"]},{' }), ...histories.slice(0, 2)] }),
      JSON.stringify({ histories: [{ ...makeHistoryInput({ loanId: 'L-p' }), extra: { __proto__: null, constructor: { prototype: {} } } }] }),
      '{"histories": [{"__proto__": {"x": 1}}]}',
      '{"histories": [{"loanId": }]}',
      '{"histories": [1]',
      // Bodies that look plain at their ends only: a whole-body job gives them back to the split.
      `{"histories":[${JSON.stringify(histories[0])}],"histories":[${JSON.stringify(histories[2])}]}`,
      `{"histories":[${JSON.stringify(histories[0])}],"x":[1]}`,
      `{"histories":[${JSON.stringify(histories[0])},]}`,
      JSON.stringify({ histories: [{ ...makeHistoryInput({ loanId: 'L-c' }), borrower: { ...makeHistoryInput().borrower, attributes: { constructor: 'x' } } }] }),
      '{"loans": []}',
      '',
    ];
    for (const body of bodies) {
      for (const url of ['/v1/score/batch?asOf=2025-05-20T04:00:00Z', '/floor/score/batch']) {
        const send = (a: { app: FastifyInstance }) => a.app.inject({ method: 'POST', url, headers: { ...H, 'content-type': 'application/json' }, payload: body });
        const [p, w, l] = await Promise.all([send(pooled), send(split), send(local)]);
        for (const r of [p, w]) {
          expect(r.statusCode, `${url} ${body.slice(0, 40)}`).toBe(l.statusCode);
          expect(r.body, `${url} ${body.slice(0, 40)}`).toBe(l.body);
          expect(r.headers['content-type']).toBe(l.headers['content-type']);
          expect(Number(r.headers['content-length'])).toBe(r.rawPayload.byteLength);
        }
      }
    }
    const ok = JSON.parse(bodies[0]!.length > 0 ? (await pooled.app.inject({ method: 'POST', url: '/v1/score/batch', headers: H, payload: { histories } })).body : '{}');
    expect([ok.scored, ok.failed]).toEqual([3, 2]);
    expect(ok.results[1]).toMatchObject({ index: 1, ok: false });
    expect(Decision.parse(ok.results[4].decision).versions).toEqual(pooled.services.scorer.versions);
  });

  it('answers a single history byte for byte as in-process scoring does: decisions, field errors, bad JSON, poisoning keys', async () => {
    const pooled = await start('2');
    const local = await start('0');
    const good = makeHistoryInput({ loanId: 'L-one', due: 4, missed: 2 });
    const bad = makeHistoryInput({ loanId: 'L-bad', due: 2 });
    (bad.events![1] as { amount: number }).amount = -5;
    const text = JSON.stringify(good);
    const bodies: Array<string | undefined> = [
      text,
      JSON.stringify({ ...good, meta: { note: '逾期 \u00e9' } }),
      JSON.stringify(bad),
      '{"loanId":',
      '',
      '42',
      text.replace('{', '{"__proto__": {"x": 1},'),
      text.replace('{', '{"constructor": {"prototype": {"x": 1}},'),
      text.replace('{', '{"\\u005f_proto__": {"x": 1},'),
      undefined,
    ];
    // On the pool the main thread's scorer is not called (its counters are fed from the workers' answers).
    const inMainThread = vi.spyOn(pooled.services.http.scorer, 'scoreOne');
    let scoredOnPool = 0;
    for (const body of bodies) {
      for (const url of ['/v1/score?asOf=2025-05-20T04:00:00Z', '/floor/score']) {
        const send = (a: { app: FastifyInstance }) =>
          a.app.inject({ method: 'POST', url, headers: body === undefined ? H : { ...H, 'content-type': 'application/json' }, ...(body === undefined ? {} : { payload: body }) });
        const [p, l] = await Promise.all([send(pooled), send(local)]);
        expect(p.statusCode, `${url} ${String(body).slice(0, 40)}`).toBe(l.statusCode);
        expect(p.headers['content-type'], `${url} ${String(body).slice(0, 40)}`).toBe(l.headers['content-type']);
        expect(p.body, `${url} ${String(body).slice(0, 40)}`).toBe(l.body);
        if (url.startsWith('/v1') && p.statusCode === 200) scoredOnPool++;
      }
    }
    expect(scoredOnPool).toBe(2);
    expect(inMainThread).not.toHaveBeenCalled();
    // The good history's decision, its validation problems and the poisoning refusal, as the contract says.
    const ok = await pooled.app.inject({ method: 'POST', url: '/v1/score?asOf=2025-05-20T04:00:00Z', headers: { ...H, 'content-type': 'application/json' }, payload: text });
    expect(Decision.parse(ok.json()).versions).toEqual(pooled.services.scorer.versions);
    const invalid = await pooled.app.inject({ method: 'POST', url: '/v1/score', headers: { ...H, 'content-type': 'application/json' }, payload: JSON.stringify(bad) });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().errors).toContainEqual({ path: 'events[1].amount', message: 'expected a positive number' });
    const poisoned = await pooled.app.inject({ method: 'POST', url: '/v1/score', headers: { ...H, 'content-type': 'application/json' }, payload: bodies[6]! });
    expect(poisoned.statusCode).toBe(400);
    // Decisions scored on the pool are counted in the main thread's metrics like in-process ones.
    const metrics = (await pooled.app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/ews_inference_duration_seconds_count\{kind="one"\} [1-9]/);
  });

  it('splits a large batch into many worker jobs and joins them in order, as in-process scoring answers', async () => {
    const pooled = await start('2', '500');
    const local = await start('0', '500');
    expect(jobPlan(pooled.services.http)).toEqual({ slice: SHARED_SLICE, jobs: 'cut' });
    const histories: unknown[] = Array.from({ length: 150 }, (_, i) => (i % 37 === 5 ? { loanId: `bad-${i}` } : makeHistoryInput({ loanId: `L-${i}`, due: 1 + (i % 5), missed: i % 3 })));
    const body = JSON.stringify({ histories });
    const send = (a: { app: FastifyInstance }) => a.app.inject({ method: 'POST', url: '/v1/score/batch?asOf=2025-05-20T04:00:00Z', headers: { ...H, 'content-type': 'application/json' }, payload: body });
    const [p, l] = await Promise.all([send(pooled), send(local)]);
    expect(p.statusCode).toBe(200);
    expect(p.body).toBe(l.body);
    const out = p.json() as { scored: number; failed: number; results: Array<{ index: number }> };
    expect([out.scored, out.failed]).toEqual([146, 4]);
    expect(out.results.map((r) => r.index)).toEqual(histories.map((_, i) => i));
  });

  it('answers concurrent batches over real sockets, each with its own bytes, while request and reply memory is reused', async () => {
    // Single scores in process: batches go out in the larger jobs (jobPlan).
    const pooled = await start('2', '500', '0');
    expect(jobPlan(pooled.services.http)).toEqual({ slice: BATCH_ONLY_SLICE, jobs: 'cut' });
    const local = await start('0', '500');
    const address = await pooled.app.listen({ host: '127.0.0.1', port: 0 });
    const bodies = Array.from({ length: 6 }, (_, b) =>
      JSON.stringify({ histories: Array.from({ length: 20 + 15 * b }, (_, i) => makeHistoryInput({ loanId: `L-${b}-${i}`, due: 1 + ((i + b) % 5), missed: (i * b) % 3 })) }),
    );
    const url = '/v1/score/batch?asOf=2025-05-20T04:00:00Z';
    const headers = { ...H, 'content-type': 'application/json' };
    for (let round = 0; round < 2; round++) {
      const got = await Promise.all(bodies.map(async (body) => (await fetch(`${address}${url}`, { method: 'POST', headers, body })).text()));
      const want = await Promise.all(bodies.map(async (body) => (await local.app.inject({ method: 'POST', url, headers, payload: body })).body));
      expect(got).toEqual(want);
    }
    // The workers' decisions are counted by band in the main thread's metrics, as in process.
    expect(await decisionsByBand(pooled)).toEqual(await decisionsByBand(local));
  });

  it('streams NDJSON on the workers byte for byte as in process: blocks of lines, CRLF, lone CR, blank and bad lines', async () => {
    const pooled = await start('2', '5', '0');
    // Single scores on the workers too: smaller blocks (256 KiB), so that they wait behind less.
    const shared = await start('2', '5', '1');
    const local = await start('0');
    const line = (i: number) => JSON.stringify(makeHistoryInput({ loanId: `L-n${i}-逾期`, due: 1 + (i % 5), missed: i % 3 }));
    // ~1,500 lines of ~1.4 KB: more than one 1 MiB block, a bad line in each.
    const many = Array.from({ length: 1500 }, (_, i) => (i % 400 === 7 ? '{"loanId": 7}' : i % 333 === 5 ? '' : line(i)));
    const bodies = [
      `${line(1)}\n\n  \n{"loanId": 1}\nnot json\r\n${line(2)}\r${line(3)}`,
      `${line(4)}\r\n${line(5)}\r\n`,
      '',
      '\n\n',
      `${many.join('\n')}\n`,
      many.slice(0, 900).join('\r\n'),
    ];
    const url = '/v1/score/batch?asOf=2025-05-20T04:00:00Z';
    for (const body of bodies) {
      const send = (a: { app: FastifyInstance }) => a.app.inject({ method: 'POST', url, headers: { ...H, 'content-type': 'application/x-ndjson' }, payload: body });
      const [p, q, l] = await Promise.all([send(pooled), send(shared), send(local)]);
      for (const r of [p, q]) {
        expect(r.statusCode).toBe(200);
        expect(r.headers['content-type']).toBe(l.headers['content-type']);
        expect(r.body, body.slice(0, 40)).toBe(l.body);
      }
    }
    expect(await decisionsByBand(shared)).toEqual(await decisionsByBand(local));
    const out = (await pooled.app.inject({ method: 'POST', url, headers: { ...H, 'content-type': 'application/x-ndjson' }, payload: `${many.join('\n')}\n` })).body.trim().split('\n').map((t) => JSON.parse(t) as { line: number; ok: boolean });
    expect(out).toHaveLength(1500 - 5);
    expect(out.filter((r) => !r.ok).map((r) => r.line)).toEqual([8, 408, 808, 1208]);
    expect(out.at(-1)!.line).toBe(1500);
    // Decisions scored on the workers are counted in the main thread's metrics.
    expect((await pooled.app.inject({ url: '/metrics' })).body).toMatch(/ews_inference_duration_seconds_count\{kind="many"\} [1-9]/);
  });

  it('answers concurrent single requests, sent to the workers together, each with its own decision', async () => {
    const pooled = await start('2');
    const local = await start('0');
    const bodies = Array.from({ length: 12 }, (_, i) => (i === 7 ? '{"loanId": 1}' : JSON.stringify(makeHistoryInput({ loanId: `L-c${i}`, due: 1 + (i % 4), missed: i % 3 }))));
    const send = (a: { app: FastifyInstance }, body: string) =>
      a.app.inject({ method: 'POST', url: '/v1/score?asOf=2025-05-20T04:00:00Z', headers: { ...H, 'content-type': 'application/json' }, payload: body });
    const [p, l] = await Promise.all([Promise.all(bodies.map((b) => send(pooled, b))), Promise.all(bodies.map((b) => send(local, b)))]);
    expect(p.map((r) => r.statusCode)).toEqual(l.map((r) => r.statusCode));
    expect(p.map((r) => r.body)).toEqual(l.map((r) => r.body));
    expect(p.filter((r) => r.statusCode === 200)).toHaveLength(11);
    expect(new Set(p.filter((r) => r.statusCode === 200).map((r) => (r.json() as { loanId: string }).loanId)).size).toBe(11);
  });

  it('scores single histories in process when EWS_SCORE_ONE_ON_WORKERS=0, batches still on the workers', async () => {
    const mixed = await start('2', '5', '0');
    expect(mixed.services.http.scorePool?.size).toBe(2);
    expect(mixed.services.http.scoreOnePool).toBeNull();
    const inMainThread = vi.spyOn(mixed.services.http.scorer, 'scoreOne');
    const history = makeHistoryInput({ loanId: 'L-mixed', due: 3, missed: 1 });
    const one = await mixed.app.inject({ method: 'POST', url: '/v1/score', headers: H, payload: history });
    expect(one.statusCode).toBe(200);
    expect(inMainThread).toHaveBeenCalledTimes(1);
    const batch = await mixed.app.inject({ method: 'POST', url: '/v1/score/batch', headers: H, payload: { histories: [history] } });
    expect(batch.json().scored).toBe(1);
    expect(inMainThread).toHaveBeenCalledTimes(1);
  });

  it('scores single histories and batches in process once the pool has failed', async () => {
    const pooled = await start('2');
    await pooled.services.http.scorePool!.close();
    expect(pooled.services.http.scorePool!.failed).toBe(true);
    const r = await pooled.app.inject({ method: 'POST', url: '/v1/score', headers: H, payload: makeHistoryInput({ loanId: 'L-after', due: 2 }) });
    expect(r.statusCode).toBe(200);
    expect(Decision.parse(r.json()).loanId).toBe('L-after');
    const batch = await pooled.app.inject({ method: 'POST', url: '/v1/score/batch', headers: H, payload: { histories: [makeHistoryInput({ loanId: 'L-after-b', due: 2 })] } });
    expect(batch.statusCode).toBe(200);
    expect(batch.json().scored).toBe(1);
  });
});
