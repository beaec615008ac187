import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DecisionRecordSchema } from '../../src/http/schemas.js';
import { auth, buildTestApp, type TestApp } from '../support/app.js';
import { contactEvent, makeHistoryInput, paymentEvent } from '../support/histories.js';

let t: TestApp;
beforeEach(async () => (t = await buildTestApp()));
afterEach(() => t.close());

const put = (id: string, payload: unknown) => t.app.inject({ method: 'PUT', url: `/v1/loans/${id}`, headers: auth('servicing'), payload: payload as object });
const post = (payload: unknown) => t.app.inject({ method: 'POST', url: '/v1/events', headers: auth('servicing'), payload: payload as object });
const get = (url: string) => t.app.inject({ method: 'GET', url, headers: auth('servicing') });

describe('loans', () => {
  it('PUT registers (201) then stores a new revision (200), each rescored and audited', async () => {
    const first = await put('L-1', makeHistoryInput({ due: 4, missed: 2 }));
    expect(first.statusCode).toBe(201);
    const b = first.json();
    expect(b).toMatchObject({ loanId: 'L-1', revision: 1, created: true, events: ['accepted', 'accepted'] });
    expect(DecisionRecordSchema.parse(b.decision)).toEqual(b.decision);
    expect(b.decision.decision.band).toBe('high');
    expect(b.alertId).toBe(1);
    const second = await put('L-1', makeHistoryInput({ due: 4, missed: 2 }));
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ revision: 2, created: false, events: ['duplicate', 'duplicate'], alertId: null });
  });

  it('PUT with a body for another id is a 400 naming loanId', async () => {
    const r = await put('L-2', makeHistoryInput({ loanId: 'L-1' }));
    expect(r.statusCode).toBe(400);
    expect(r.json().errors).toEqual([{ path: 'loanId', message: 'expected "L-2" (the id in the URL)' }]);
  });

  it('GET returns the stored history and current decision; unknown loans are 404 problems', async () => {
    await put('L-1', makeHistoryInput({ due: 4 }));
    const r = await get('/v1/loans/L-1');
    expect(r.statusCode).toBe(200);
    const b = r.json();
    expect(b.history.loanId).toBe('L-1');
    expect(b.history.events).toHaveLength(4);
    expect(b.history.borrower.attributes).toEqual({});
    expect(b.decision.decision.band).toBe('low');
    const missing = await get('/v1/loans/L-404');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'EWS_LOAN_NOT_FOUND', detail: 'no loan "L-404"' });
    expect((await get('/v1/loans/L-404/decisions')).statusCode).toBe(404);
  });

  it('pages the audit trail newest first', async () => {
    await put('L-1', makeHistoryInput());
    for (let i = 0; i < 4; i++) await post({ loanId: 'L-1', event: contactEvent(`2025-05-1${i}T10:00:00+08:00`) });
    const p1 = (await get('/v1/loans/L-1/decisions?limit=3')).json();
    expect(p1.items).toHaveLength(3);
    expect(p1.items.map((d: { trigger: string }) => d.trigger)).toEqual(['events', 'events', 'events']);
    const p2 = (await get(`/v1/loans/L-1/decisions?limit=3&before=${p1.nextCursor}`)).json();
    expect(p2.items.map((d: { trigger: string }) => d.trigger)).toEqual(['events', 'register']);
    expect(p2.nextCursor).toBeNull();
    const ids = [...p1.items, ...p2.items].map((d: { id: number }) => d.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const bad = await get('/v1/loans/L-1/decisions?limit=0');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('query.limit');
  });
});

describe('POST /v1/events', () => {
  beforeEach(async () => void (await put('L-1', makeHistoryInput({ due: 4 }))));

  it('accepts an event, rescores the loan, and is idempotent by event id', async () => {
    const event = contactEvent('2025-05-19T10:00:00+08:00', 'refused', 'ev-1');
    const r = await post({ loanId: 'L-1', event });
    expect(r.statusCode).toBe(200);
    const [res] = r.json().results;
    expect(res).toMatchObject({ index: 0, loanId: 'L-1', eventId: 'ev-1', status: 'accepted', band: 'low' });
    expect(res.alertId).toBeGreaterThan(0);
    const again = await post({ loanId: 'L-1', event });
    expect(again.statusCode).toBe(200);
    expect(again.json().results[0]).toEqual({ index: 0, loanId: 'L-1', eventId: 'ev-1', status: 'duplicate' });
    const loan = (await get('/v1/loans/L-1')).json();
    expect(loan.history.events.filter((e: { id: string }) => e.id === 'ev-1')).toHaveLength(1);
    expect(loan.decision.id).toBe(res.decisionId);
  });

  it('answers a conflicting repeat with 409 and an unknown loan with 404', async () => {
    await post({ loanId: 'L-1', event: paymentEvent('2025-05-19T10:00:00+08:00', 100, 'p-1') });
    const conflict = await post({ loanId: 'L-1', event: paymentEvent('2025-05-19T10:00:00+08:00', 200, 'p-1') });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().code).toBe('EWS_EVENT_CONFLICT');
    const unknown = await post({ loanId: 'nope', event: paymentEvent('2025-05-19T10:00:00+08:00', 100) });
    expect(unknown.statusCode).toBe(404);
  });

  it('names the field of a bad single event', async () => {
    const r = await post({ loanId: 'L-1', event: { id: 'x', type: 'contact', at: '2025-05-19T10:00:00+08:00', channel: 'pigeon', outcome: 'answered' } });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].path).toBe('event.channel');
    const unknownType = await post({ loanId: 'L-1', event: { id: 'x', type: 'teleport', at: '2025-05-19T10:00:00+08:00' } });
    expect(unknownType.json().errors[0].message).toMatch(/^unknown event type; expected one of: payment/);
  });

  it('processes an array item by item: bad items reported and skipped, the rest stored', async () => {
    await put('L-2', makeHistoryInput({ loanId: 'L-2' }));
    const r = await post([
      { loanId: 'L-1', event: paymentEvent('2025-05-19T10:00:00+08:00', 100, 'a') },
      { loanId: 'L-2', event: { id: 'b', type: 'payment', at: 'soon', amount: 1 } },
      { loanId: 'L-9', event: paymentEvent('2025-05-19T10:00:00+08:00', 100, 'c') },
      { loanId: 'L-2', event: paymentEvent('2025-05-19T10:00:00+08:00', 100, 'd') },
      { loanId: 'L-1', event: paymentEvent('2025-05-19T11:00:00+08:00', 100, 'e') },
    ]);
    expect(r.statusCode).toBe(200);
    const results = r.json().results;
    expect(results.map((x: { status: string }) => x.status)).toEqual(['accepted', 'invalid', 'unknown_loan', 'accepted', 'accepted']);
    expect(results[1]).toMatchObject({ index: 1, loanId: 'L-2', eventId: 'b' });
    expect(results[1].errors[0].path).toBe('[1].event.at');
    // One rescore per loan per request: both L-1 events share a decision.
    expect(results[0].decisionId).toBe(results[4].decisionId);
    expect((await get('/v1/loans/L-2')).json().history.events.map((e: { id: string }) => e.id)).toEqual(['d']);
    const empty = await post([]);
    expect(empty.statusCode).toBe(400);
  });

  it('loses no update when many requests for one loan arrive concurrently', async () => {
    const n = 60;
    const responses = await Promise.all(
      Array.from({ length: n }, (_, i) => post({ loanId: 'L-1', event: contactEvent(`2025-05-19T10:${String(i).padStart(2, '0')}:00+08:00`, 'answered', `conc-${i}`) })),
    );
    expect(responses.every((r) => r.statusCode === 200 && r.json().results[0].status === 'accepted')).toBe(true);
    const loan = (await get('/v1/loans/L-1')).json();
    const ids = new Set(loan.history.events.map((e: { id: string }) => e.id));
    for (let i = 0; i < n; i++) expect(ids.has(`conc-${i}`)).toBe(true);
    // The latest decision saw every event: its watermark is the last event's sequence number.
    expect(loan.decision.eventWatermark).toBe(loan.eventWatermark);
    expect(loan.decision.decision.evidence.contactAttempts).toBe(n);
    const trail = (await get('/v1/loans/L-1/decisions?limit=200')).json().items;
    expect(trail).toHaveLength(n + 1);
  });
});
