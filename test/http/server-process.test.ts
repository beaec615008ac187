import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contactEvent, makeHistoryInput } from '../support/histories.js';
import { serveProcess, type Served } from '../support/server-process.js';

const dir = mkdtempSync(join(tmpdir(), 'ews-serve-'));
const KEY = 'proc-admin';
const env = { EWS_API_KEYS: `${KEY}=admin` };
const running: Served[] = [];
afterAll(() => {
  for (const s of running) s.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function start(args: string[], extraEnv: Record<string, string> = env): Promise<Served> {
  const s = await serveProcess(args, extraEnv);
  running.push(s);
  return s;
}

const call = (s: Served, method: string, path: string, body?: unknown, key = KEY) =>
  fetch(`http://${s.host}:${s.port}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field below
const json = async (r: Promise<Response>): Promise<any> => (await r).json();

describe('ews serve as a process', () => {
  it('an event acknowledged with 2xx survives SIGKILL right after the acknowledgement', async () => {
    const db = join(dir, 'durable.db');
    const first = await start(['--db', db, '--no-sample']);
    expect((await call(first, 'PUT', '/v1/loans/L-1', makeHistoryInput({ due: 4 }))).status).toBe(201);
    const ack = await call(first, 'POST', '/v1/events', { loanId: 'L-1', event: contactEvent('2025-05-19T10:00:00+08:00', 'refused', 'ev-durable') });
    expect(ack.status).toBe(200);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();

    const second = await start(['--db', db, '--no-sample']);
    const loan = await json(call(second, 'GET', '/v1/loans/L-1'));
    expect(loan.history.events.map((e: { id: string }) => e.id)).toContain('ev-durable');
    const trail = await json(call(second, 'GET', '/v1/loans/L-1/decisions'));
    expect(trail.items.map((d: { trigger: string }) => d.trigger)).toEqual(['events', 'register']);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('drains an in-flight request on SIGTERM before exiting', async () => {
    // A generous grace period: on a loaded machine the stream may take seconds, and draining must not be cut short.
    const s = await start(['--db', join(dir, 'drain.db'), '--no-sample'], { ...env, EWS_SHUTDOWN_GRACE_MS: '120000' });
    const lines = Array.from({ length: 400 }, (_, i) => JSON.stringify(makeHistoryInput({ loanId: `L-${i}`, due: 4, missed: i % 3 })));
    // A streamed NDJSON batch: results flow back per chunk of 256 lines, so once the first chunk's
    // response has started the request is surely in flight; the rest of the body follows the SIGTERM.
    const req = request({ host: s.host, port: s.port, path: '/v1/score/batch', method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/x-ndjson' } });
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
    });
    const started = new Promise((resolve) => req.once('response', resolve));
    req.write(`${lines.slice(0, 260).join('\n')}\n`);
    await started;
    s.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    req.end(`${lines.slice(260).join('\n')}\n`);
    const { status, body } = await response;
    expect(status).toBe(200);
    const out = body.trim().split('\n').map((l) => JSON.parse(l) as { line: number; ok: boolean });
    expect(out).toHaveLength(400);
    expect(out.every((o) => o.ok)).toBe(true);
    expect(await s.exited).toBe(0);
  });

  it('without configured keys it prints a generated admin key once and stays on loopback', async () => {
    const s = await start(['--db', join(dir, 'nokeys.db'), '--no-sample', '--host', '0.0.0.0'], {});
    expect(s.host).toBe('127.0.0.1');
    const key = /generated admin key \(shown once\): (\S+)/.exec(s.stderr())?.[1];
    expect(key).toBeDefined();
    expect((await call(s, 'GET', '/v1/model', undefined, key)).status).toBe(200);
    expect((await call(s, 'GET', '/v1/model', undefined, 'wrong')).status).toBe(401);
    s.child.kill('SIGTERM');
    await s.exited;
  });
});
