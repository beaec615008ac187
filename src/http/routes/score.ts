// Underwriting: stateless scoring of one history, a JSON batch, or a streamed NDJSON batch.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Decision } from '../../domain/decision/schema.js';
import { LoanHistory } from '../../domain/history/schema.js';
import { scoreInChunks } from '../batch-chunks.js';
import { ApiError, RequestValidationError } from '../errors.js';
import { streamScores } from '../ndjson.js';
import { jobPlan, joinParts, runPooledBatch, TYPICAL_HISTORY_BYTES } from '../pooled-batch.js';
import { parseJsonBody, rawJsonBodies } from '../raw-json.js';
import { BodyBuffers, type SharedBody, sharedJsonBodies } from '../shared-body.js';
import { scoreOneBody } from '../score-one.js';
import { AsOfQuery, problems } from '../schemas.js';
import { documentedOnly } from '../validation.js';
import type { RoutePlugin } from './context.js';

export const BatchResult = z.union([
  z.object({ index: z.number().int(), ok: z.literal(true), decision: Decision }),
  z.object({ index: z.number().int(), ok: z.literal(false), errors: z.array(z.object({ path: z.string(), message: z.string() })) }),
]);

export const BatchResponse = z.object({ asOf: z.string(), scored: z.number().int(), failed: z.number().int(), results: z.array(BatchResult) });

export function asOfMs(asOf: string | undefined, now: () => number): number {
  return asOf === undefined ? now() : Date.parse(asOf);
}

/** Idle batch request (and reply) body memory kept for reuse (shared-body.ts). */
export const KEPT_BODY_BYTES = 32 * 1024 * 1024;

/** A copy of the contract's schema (documentedOnly marks this object, not LoanHistory, which PUT /v1/loans validates with). */
export const SCORE_BODY = documentedOnly(LoanHistory.describe('One loan history, exactly as the contract defines it'));

const isNdjson = (req: FastifyRequest) => (req.headers['content-type'] ?? '').startsWith('application/x-ndjson');

export const scoreRoutes: RoutePlugin = async (app, { deps, limits }) => {
  // The body arrives as text and is parsed, validated and scored in score-one.ts: here by default (the
  // histories read in one turn scored together), on the worker pool with EWS_SCORE_ONE_ON_WORKERS=1. The
  // schema documents the body; score-one.ts validates it.
  await app.register(async (one) => {
    rawJsonBodies(one, limits.bodyLimit, 'string');
    one.post(
      '/v1/score',
      {
        config: { scope: 'underwriting' },
        schema: {
          tags: ['underwriting'],
          summary: 'Score one loan history (stateless)',
          description: 'The body is one loan history exactly as the contract defines it; an application at origination is a history without events.',
          querystring: AsOfQuery,
          body: SCORE_BODY,
          response: { 200: Decision, ...problems(400, 413, 415) },
        },
      },
      async (req: FastifyRequest<{ Querystring: z.infer<typeof AsOfQuery> }>, reply: FastifyReply) => {
        const json = await scoreOneBody(deps, req.body as string | undefined, asOfMs(req.query.asOf, deps.now), true);
        return reply.type('application/json; charset=utf-8').send(json);
      },
    );
  });

  await app.register(async (batch) => {
    sharedJsonBodies(batch, limits.batchBodyLimit, new BodyBuffers(KEPT_BODY_BYTES));
    const replies = new BodyBuffers(KEPT_BODY_BYTES, (size) => new ArrayBuffer(size));
    /** The workers' result memory (pooled-batch.ts). */
    const outputs = new BodyBuffers(KEPT_BODY_BYTES);
    // A JSON batch: on the worker pool when the body splits cleanly, else parsed and scored here.
    const scoreJsonBatch = async (body: Buffer, asOf: number, reply: FastifyReply) => {
      const checkCount = (n: number) => {
        if (n > limits.batchMaxItems) throw new ApiError('EWS_BATCH_TOO_LARGE', `${n} histories; at most ${limits.batchMaxItems} per request (use NDJSON for more)`);
      };
      const pooled = deps.scorePool === null || deps.scorePool.failed ? null : await runPooledBatch(deps.scorePool, body, asOf, true, checkCount, { ...jobPlan(deps), maxItems: limits.batchMaxItems }, outputs);
      if (pooled !== null) {
        deps.metrics.inference.observe({ kind: 'many' }, pooled.seconds);
        deps.metrics.decided(pooled.bands);
        const head = `{"asOf":${JSON.stringify(new Date(asOf).toISOString())},"scored":${pooled.scored},"failed":${pooled.failed},"results":[`;
        const out = joinParts(head, pooled.results, ']}', replies, pooled.renumber);
        pooled.release();
        // The memory is reused once the response is done with it (sent, or the client gone).
        reply.raw.once('close', out.release);
        return reply.type('application/json; charset=utf-8').send(out.bytes);
      }
      const raw = ((await parseJsonBody(body)) as { histories?: unknown } | null)?.histories;
      if (!Array.isArray(raw)) throw new RequestValidationError([{ path: 'histories', message: 'expected an array of loan histories' }]);
      checkCount(raw.length);
      const results: Array<z.infer<typeof BatchResult>> = new Array(raw.length);
      const { valid: scored } = await scoreInChunks(deps.scorer, raw, asOf, {
        firstIndex: 0,
        score: true,
        // A turn of the event loop between chunks: a large batch must not stall other requests
        // (or trip the event-loop-delay 503) for its whole duration.
        between: () => new Promise((resolve) => setImmediate(resolve)),
        invalid: (i, errors) => (results[i] = { index: i, ok: false, errors }),
        scored: (i, decision) => (results[i] = { index: i, ok: true, decision }),
      });
      return { asOf: new Date(asOf).toISOString(), scored, failed: raw.length - scored, results };
    };
    batch.post(
      '/v1/score/batch',
      {
        bodyLimit: limits.batchBodyLimit,
        config: { scope: 'underwriting', ndjson: true },
        schema: {
          tags: ['underwriting'],
          summary: 'Score many loan histories at one as-of instant',
          description:
            `JSON: {"histories": [...]} with at most ${limits.batchMaxItems} histories; each result carries its index and either a decision or its field errors. ` +
            'NDJSON (Content-Type: application/x-ndjson): one history per line, streamed; one output line per non-blank input line, in order, ' +
            '{"line": n, "ok": true, "decision": ...} or {"line": n, "ok": false, "errors": [...]}.',
          querystring: AsOfQuery,
          body: documentedOnly(z.object({ histories: z.array(LoanHistory) })),
          response: { 200: BatchResponse, ...problems(400, 413, 415) },
        },
      },
      async (req: FastifyRequest<{ Querystring: z.infer<typeof AsOfQuery> }>, reply: FastifyReply) => {
        const asOf = asOfMs(req.query.asOf, deps.now);
        if (isNdjson(req)) return streamScores(req, reply, deps, asOf, outputs, jobPlan(deps).slice * TYPICAL_HISTORY_BYTES);
        const body = req.body as SharedBody;
        try {
          return await scoreJsonBatch(body.bytes, asOf, reply);
        } finally {
          body.release();
        }
      },
    );
  });
};
