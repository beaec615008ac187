import { Readable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { BodyBuffers, type SharedBody, sharedJsonBodies } from '../../src/http/shared-body.js';

describe('BodyBuffers', () => {
  it('hands out shared memory of at least the length, reuses the smallest that fits, keeps at most its budget', () => {
    const buffers = new BodyBuffers(3 * 1024 * 1024);
    const a = buffers.take(1_000_000);
    expect(a).toBeInstanceOf(SharedArrayBuffer);
    expect(a.byteLength).toBeGreaterThanOrEqual(1_000_000);
    const b = buffers.take(100);
    buffers.give(a);
    buffers.give(b);
    expect(buffers.keptBytes).toBe(a.byteLength + b.byteLength);
    expect(buffers.take(50)).toBe(b);
    expect(buffers.take(500_000)).toBe(a);
    expect(buffers.keptBytes).toBe(0);
    // Over the budget: not kept at all, or the smallest ones dropped first.
    buffers.give(new SharedArrayBuffer(4 * 1024 * 1024));
    expect(buffers.keptBytes).toBe(0);
    const big = new SharedArrayBuffer(2 * 1024 * 1024);
    buffers.give(new SharedArrayBuffer(1024 * 1024));
    buffers.give(new SharedArrayBuffer(65_536));
    buffers.give(big);
    expect(buffers.keptBytes).toBe(3 * 1024 * 1024);
    expect(buffers.take(1)).not.toBe(big);
  });
});

describe('sharedJsonBodies', () => {
  const app = async (limit: number) => {
    const buffers = new BodyBuffers(8 * 1024 * 1024);
    const f = Fastify();
    const seen: Array<{ shared: boolean; text: string }> = [];
    await f.register(async (scope) => {
      sharedJsonBodies(scope, limit, buffers);
      scope.post('/echo', async (req) => {
        const body = req.body as SharedBody;
        try {
          seen.push({ shared: body.bytes.buffer instanceof SharedArrayBuffer, text: body.bytes.toString('utf8') });
          return { length: body.bytes.length };
        } finally {
          body.release();
        }
      });
    });
    return { f, buffers, seen };
  };
  const json = { 'content-type': 'application/json' };

  it('reads the body into shared memory, and the memory is reused once released', async () => {
    const { f, buffers, seen } = await app(1024);
    const text = JSON.stringify({ histories: [{ note: '逾期天数' }] });
    const r = await f.inject({ method: 'POST', url: '/echo', headers: json, payload: text });
    expect(r.statusCode).toBe(200);
    expect(seen[0]).toEqual({ shared: true, text });
    expect(buffers.keptBytes).toBeGreaterThan(0);
    await f.inject({ method: 'POST', url: '/echo', headers: json, payload: '{"histories":[]}' });
    expect(seen[1]!.text).toBe('{"histories":[]}');
    expect(buffers.keptBytes).toBeGreaterThan(0);
  });

  it('reads a body without content-length (chunked) too, in order', async () => {
    const { f, seen } = await app(1024);
    const parts = ['{"histories":', '[1,', '2]}'];
    const r = await f.inject({ method: 'POST', url: '/echo', headers: json, payload: Readable.from(parts.map((p) => Buffer.from(p))) });
    expect(r.statusCode).toBe(200);
    expect(seen[0]!.text).toBe(parts.join(''));
  });

  it('refuses bodies over the limit, announced or not, with fastify\'s 413 error, and a short body with its 400', async () => {
    const { f, buffers } = await app(16);
    const announced = await f.inject({ method: 'POST', url: '/echo', headers: json, payload: '{"histories":[1,2,3]}' });
    expect(announced.statusCode).toBe(413);
    expect(announced.json().code).toBe('FST_ERR_CTP_BODY_TOO_LARGE');
    const streamed = await f.inject({ method: 'POST', url: '/echo', headers: json, payload: Readable.from([Buffer.from('{"histories":'), Buffer.from('[1,2,3]}')]) });
    expect(streamed.statusCode).toBe(413);
    const short = await f.inject({ method: 'POST', url: '/echo', headers: { ...json, 'content-length': '14' }, payload: Readable.from([Buffer.from('{"a":1}')]) });
    expect(short.statusCode).toBe(400);
    expect(short.json().code).toBe('FST_ERR_CTP_INVALID_CONTENT_LENGTH');
    // The refused bodies' memory went back for reuse.
    expect(buffers.keptBytes).toBeGreaterThan(0);
  });
});
