import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decision } from '../../src/domain/decision/schema.js';
import { mustParseHistory } from '../../src/domain/history/validate.js';
import { auth, buildTestApp, type TestApp } from '../support/app.js';
import { makeHistoryInput } from '../support/histories.js';
import { testDecision } from '../support/test-scorer.js';

let t: TestApp;
beforeAll(async () => (t = await buildTestApp({ EWS_BATCH_MAX: '50', EWS_BODY_LIMIT: '65536' })));
afterAll(() => t.close());

const NOW = Date.parse('2025-05-20T04:00:00Z');
const score = (payload: unknown, url = '/v1/score') => t.app.inject({ method: 'POST', url, headers: auth('underwriting'), payload: payload as object });

describe('POST /v1/score', () => {
  it('returns the scorer decision for the history as of now, valid against the Decision schema', async () => {
    const input = makeHistoryInput({ due: 4, missed: 2 });
    const r = await score(input);
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(Decision.parse(body)).toEqual(body);
    expect(body).toEqual(testDecision(mustParseHistory(input), NOW));
    expect(body.band).toBe('high');
  });

  it('honours the asOf query', async () => {
    const input = makeHistoryInput({ due: 4, missed: 2 });
    const asOf = '2025-04-15T12:00:00+08:00';
    const r = await score(input, `/v1/score?asOf=${encodeURIComponent(asOf)}`);
    expect(r.json()).toEqual(testDecision(mustParseHistory(input), Date.parse(asOf)));
    const bad = await score(input, '/v1/score?asOf=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('query.asOf');
  });

  it('names the field path of bad input, in the contract wording', async () => {
    const input = makeHistoryInput({ due: 2 });
    (input.events![1] as { amount: number }).amount = -5;
    (input.contract as Record<string, unknown>).recordAt = 'x';
    const r = await score(input);
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    const p = r.json();
    expect(p).toMatchObject({ code: 'EWS_VALIDATION', status: 400, title: 'The request does not match the contract' });
    expect(p.errors).toEqual(
      expect.arrayContaining([
        { path: 'events[1].amount', message: 'expected a positive number' },
        { path: 'contract', message: 'unknown field(s) "recordAt"' },
      ]),
    );
    expect(p.detail).toContain('events[1].amount: expected a positive number');
  });

  it('rejects malformed JSON, wrong media types and oversized bodies with problems', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/v1/score', headers: { ...auth('underwriting'), 'content-type': 'application/json' }, payload: '{"loanId":' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('EWS_MALFORMED_BODY');
    const xml = await t.app.inject({ method: 'POST', url: '/v1/score', headers: { ...auth('underwriting'), 'content-type': 'application/xml' }, payload: '<loan/>' });
    expect(xml.statusCode).toBe(415);
    expect(xml.json().code).toBe('EWS_UNSUPPORTED_MEDIA_TYPE');
    const nd = await t.app.inject({ method: 'POST', url: '/v1/score', headers: { ...auth('underwriting'), 'content-type': 'application/x-ndjson' }, payload: '{}\n' });
    expect(nd.statusCode).toBe(415);
    const big = makeHistoryInput({ instalments: 12 });
    big.events = Array.from({ length: 800 }, (_, i) => ({ id: `c${i}`, type: 'contact' as const, at: '2025-02-01T10:00:00+08:00', channel: 'sms' as const, outcome: 'delivered' as const }));
    const large = await score(big);
    expect(large.statusCode).toBe(413);
    expect(large.json().code).toBe('EWS_BODY_TOO_LARGE');
  });
});

describe('POST /v1/score/batch', () => {
  it('scores every valid history and reports each bad one by index and path, in order', async () => {
    const good = [0, 1, 2].map((i) => makeHistoryInput({ loanId: `L-${i}`, due: 4, missed: i }));
    const broken = { ...makeHistoryInput({ loanId: 'L-bad' }), currency: 'yuan' };
    const r = await score({ histories: [good[0], broken, good[1], good[2]] }, '/v1/score/batch');
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ scored: 3, failed: 1, asOf: new Date(NOW).toISOString() });
    expect(body.results.map((x: { index: number; ok: boolean }) => [x.index, x.ok])).toEqual([[0, true], [1, false], [2, true], [3, true]]);
    expect(body.results[1].errors).toEqual([{ path: 'histories[1].currency', message: 'expected an ISO 4217 code, e.g. CNY' }]);
    expect(body.results[3].decision).toEqual(testDecision(mustParseHistory(good[2]), NOW));
  });

  it('refuses a batch over the configured count and a body without histories', async () => {
    const many = Array.from({ length: 51 }, (_, i) => makeHistoryInput({ loanId: `L-${i}`, instalments: 1 }));
    const r = await score({ histories: many }, '/v1/score/batch');
    expect(r.statusCode).toBe(413);
    expect(r.json().code).toBe('EWS_BATCH_TOO_LARGE');
    const none = await score({ loans: [] }, '/v1/score/batch');
    expect(none.statusCode).toBe(400);
    expect(none.json().errors).toEqual([{ path: 'histories', message: 'expected an array of loan histories' }]);
  });

  it('streams NDJSON: one output line per input line, in order, with per-line errors', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 600; i++) {
      if (i === 7) lines.push('{not json');
      else if (i === 300) lines.push(JSON.stringify({ ...makeHistoryInput({ loanId: `L-${i}` }), borrowerId: '' }));
      else lines.push(JSON.stringify(makeHistoryInput({ loanId: `L-${i}`, due: 4, missed: i % 3 })));
    }
    lines.splice(100, 0, '');
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/score/batch',
      headers: { ...auth('underwriting'), 'content-type': 'application/x-ndjson' },
      payload: lines.join('\n'),
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const out = r.body.trim().split('\n').map((l) => JSON.parse(l));
    expect(out).toHaveLength(600);
    expect(out.map((o) => o.line)).toEqual(lines.map((_, i) => i + 1).filter((n) => n !== 101));
    expect(out[7]).toMatchObject({ line: 8, ok: false });
    expect(out[7].errors[0].message).toMatch(/^not JSON/);
    const bad = out.find((o) => o.line === 302);
    expect(bad).toMatchObject({ ok: false, errors: [{ path: 'borrowerId', message: 'expected a non-empty string' }] });
    const last = out.at(-1);
    expect(last.decision.loanId).toBe('L-599');
    expect(last.decision).toEqual(testDecision(mustParseHistory(JSON.parse(lines.at(-1)!)), NOW));
  });
});

describe('POST /v1/score/batch across chunks', () => {
  it('keeps order and indices across chunk boundaries', async () => {
    const big = await buildTestApp({ EWS_BATCH_MAX: '1000', EWS_BATCH_BODY_LIMIT: String(64 * 1024 * 1024) });
    try {
      const histories: unknown[] = Array.from({ length: 600 }, (_, i) => makeHistoryInput({ loanId: `L-${i}`, due: 4, missed: i % 3 }));
      for (const i of [255, 256, 599]) histories[i] = { ...(histories[i] as object), currency: 'yuan' };
      const r = await big.app.inject({ method: 'POST', url: '/v1/score/batch', headers: auth('underwriting'), payload: { histories } });
      const body = r.json();
      expect(body).toMatchObject({ scored: 597, failed: 3 });
      expect(body.results.map((x: { index: number }) => x.index)).toEqual(histories.map((_, i) => i));
      expect(body.results.filter((x: { ok: boolean }) => !x.ok).map((x: { errors: Array<{ path: string }> }) => x.errors[0]!.path)).toEqual([
        'histories[255].currency',
        'histories[256].currency',
        'histories[599].currency',
      ]);
      expect(body.results[257].decision).toEqual(testDecision(mustParseHistory(histories[257]), NOW));
    } finally {
      await big.close();
    }
  });
});
