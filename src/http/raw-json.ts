// JSON bodies as raw bytes (the batch routes) or raw text (the single score route), parsed in worker
// threads. parseJsonBody() is fastify's own JSON parser (prototype-poisoning checks included) for
// bodies that take the ordinary path, so that they get exactly the ordinary answers.
import type { FastifyInstance } from 'fastify';

type JsonParser = ReturnType<FastifyInstance['getDefaultJsonParser']>;
let ordinary: JsonParser | null = null;

/** In this (encapsulated) context, application/json bodies arrive as Buffers (or strings). */
export function rawJsonBodies(app: FastifyInstance, bodyLimit: number, parseAs: 'buffer' | 'string' = 'buffer'): void {
  keepOrdinaryParser(app);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs, bodyLimit }, (_req, body, done) => done(null, body));
}

/** Keeps fastify's JSON parser for parseJsonBody() before a context replaces it. */
export function keepOrdinaryParser(app: FastifyInstance): void {
  // fastify's defaults: a __proto__ or constructor.prototype key is an error.
  ordinary ??= app.getDefaultJsonParser('error', 'error');
}

export function parseJsonBody(body: Buffer | string): Promise<unknown> {
  const parse = ordinary;
  if (parse === null) return Promise.reject(new Error('rawJsonBodies() was not called'));
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, value?: unknown) => (error === null ? resolve(value) : reject(error));
    (parse as unknown as (req: unknown, body: string, done: (error: Error | null, value?: unknown) => void) => void)(undefined, typeof body === 'string' ? body : body.toString('utf8'), done);
  });
}
