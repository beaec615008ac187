// JSON batch bodies read straight from the socket into one SharedArrayBuffer of the announced length:
// no chunk list, no concatenation, and the score workers read the histories where they lie (a view of
// shared memory crosses postMessage without a copy). The buffers are reused: a multi-megabyte
// allocation per request costs page faults and garbage-collector pressure on the event loop.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorCodes } from 'fastify';
import { keepOrdinaryParser } from './raw-json.js';

/** A request body in shared memory; release() hands the memory back once nothing reads it any more. */
export interface SharedBody {
  /** The body's bytes (a view of shared memory when the length was announced). */
  readonly bytes: Buffer;
  release(): void;
}

const shared = (size: number) => new SharedArrayBuffer(size);

/**
 * Reusable buffers (SharedArrayBuffers unless `make` says otherwise: fastify sends only Buffers over a
 * plain ArrayBuffer as they are), smallest fit first; at most maxKeptBytes of them kept while idle.
 */
export class BodyBuffers<B extends ArrayBufferLike = SharedArrayBuffer> {
  private readonly free: B[] = [];
  private kept = 0;
  constructor(
    private readonly maxKeptBytes: number,
    private readonly make: (size: number) => B = shared as unknown as (size: number) => B,
  ) {}

  take(length: number): B {
    let best = -1;
    for (let k = 0; k < this.free.length; k++) {
      const size = this.free[k]!.byteLength;
      if (size >= length && (best < 0 || size < this.free[best]!.byteLength)) best = k;
    }
    if (best >= 0) {
      const [buffer] = this.free.splice(best, 1);
      this.kept -= buffer!.byteLength;
      return buffer!;
    }
    // Sizes in powers of two (64 KiB at least), so that bodies of similar length share buffers.
    return this.make(Math.max(65_536, 2 ** Math.ceil(Math.log2(Math.max(1, length)))));
  }

  give(buffer: B): void {
    if (buffer.byteLength > this.maxKeptBytes) return;
    this.free.push(buffer);
    this.kept += buffer.byteLength;
    // Over the budget: the smallest buffers go first (the large ones are the costly ones to make).
    this.free.sort((a, b) => b.byteLength - a.byteLength);
    while (this.kept > this.maxKeptBytes) this.kept -= this.free.pop()!.byteLength;
  }

  /** Bytes held while idle (for tests). */
  get keptBytes(): number {
    return this.kept;
  }
}

type Done = (error: Error | null, body?: SharedBody) => void;

/**
 * Reads one body; the same limits and errors as fastify's own body reader (413 over the limit, 400 when
 * the length differs from content-length). Without content-length the chunks are gathered and copied once.
 */
export function readSharedBody(req: FastifyRequest, payload: NodeJS.ReadableStream, limit: number, buffers: BodyBuffers, done: Done): void {
  const announced = req.headers['content-length'] === undefined ? Number.NaN : Number(req.headers['content-length']);
  if (announced > limit) {
    done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
    return;
  }
  const known = Number.isInteger(announced) && announced >= 0;
  const shared = known ? buffers.take(announced) : null;
  const target = shared === null ? null : Buffer.from(shared, 0, announced);
  const chunks: Buffer[] = [];
  let received = 0;
  const finish = (error: Error | null, body?: SharedBody) => {
    payload.removeListener('data', onData);
    payload.removeListener('end', onEnd);
    payload.removeListener('error', onEnd);
    if (error !== null && shared !== null) buffers.give(shared);
    done(error, body);
  };
  function onData(chunk: Buffer | string) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (received + bytes.length > limit) return finish(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
    if (target !== null) {
      if (received + bytes.length > target.length) return finish(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
      target.set(bytes, received);
    } else {
      chunks.push(bytes);
    }
    received += bytes.length;
  }
  function onEnd(error?: Error & { statusCode?: number }) {
    if (error !== undefined && error !== null) {
      if (!(typeof error.statusCode === 'number' && error.statusCode >= 400)) error.statusCode = 400;
      return finish(error);
    }
    if (target === null) return finish(null, { bytes: Buffer.concat(chunks, received), release: () => undefined });
    if (received !== announced) return finish(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
    let released = false;
    finish(null, {
      bytes: target,
      release: () => {
        if (released) return;
        released = true;
        buffers.give(shared!);
      },
    });
  }
  payload.on('data', onData);
  payload.on('end', onEnd);
  payload.on('error', onEnd);
  payload.resume();
}

/** In this (encapsulated) context, application/json bodies arrive as SharedBody; parseJsonBody() parses one the ordinary way. */
export function sharedJsonBodies(app: FastifyInstance, limit: number, buffers: BodyBuffers): void {
  keepOrdinaryParser(app);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', (req, payload, done) => readSharedBody(req, payload, limit, buffers, done));
}
