// Servicing: register or replace a loan, read it with its current decision, and read its audit trail.
import { z } from 'zod';
import { LoanHistory } from '../../domain/history/schema.js';
import { ApiError, RequestValidationError } from '../errors.js';
import { AppendStatus, Cursor, DecisionRecordSchema, Limit, LoanIdParams, problems } from '../schemas.js';
import type { RoutePlugin } from './context.js';

const PutResponse = z.object({
  loanId: z.string(),
  revision: z.number().int(),
  created: z.boolean(),
  events: z.array(AppendStatus).describe('Outcome of each event in the body, in order (events are an append-only log)'),
  decision: DecisionRecordSchema,
  alertId: z.number().int().nullable(),
});

const LoanResponse = z.object({
  history: LoanHistory,
  revision: z.number().int(),
  eventWatermark: z.number().int(),
  decision: DecisionRecordSchema.nullable(),
});

export const loanRoutes: RoutePlugin = async (app, { deps }) => {
  app.put(
    '/v1/loans/:id',
    {
      config: { scope: 'servicing' },
      schema: {
        tags: ['servicing'],
        summary: 'Register a loan or store a new revision of it',
        description: 'Contract, borrower and schedule are replaced; events in the body are appended idempotently by id (events already stored are kept). The loan is rescored.',
        params: LoanIdParams,
        body: LoanHistory,
        response: { 200: PutResponse, 201: PutResponse, ...problems(400, 413, 415) },
      },
    },
    (req, reply) => {
      if (req.body.loanId !== req.params.id) {
        throw new RequestValidationError([{ path: 'loanId', message: `expected "${req.params.id}" (the id in the URL)` }]);
      }
      const r = deps.servicing.registerLoan(req.body);
      reply.code(r.created ? 201 : 200);
      return { loanId: req.params.id, revision: r.revision, created: r.created, events: r.events, decision: r.record, alertId: r.alert?.id ?? null };
    },
  );

  app.get(
    '/v1/loans/:id',
    {
      config: { scope: 'servicing' },
      schema: { tags: ['servicing'], summary: 'A loan history and its current decision', params: LoanIdParams, response: { 200: LoanResponse, ...problems(404) } },
    },
    (req) => {
      const found = deps.servicing.getLoan(req.params.id);
      if (found === null) throw new ApiError('EWS_LOAN_NOT_FOUND', `no loan "${req.params.id}"`);
      return { history: found.loan.history, revision: found.loan.revision, eventWatermark: found.loan.eventWatermark, decision: found.decision };
    },
  );

  app.get(
    '/v1/loans/:id/decisions',
    {
      config: { scope: 'servicing' },
      schema: {
        tags: ['servicing', 'audit'],
        summary: 'The audit trail of a loan: every decision, newest first',
        params: LoanIdParams,
        querystring: z.object({ before: Cursor, limit: Limit(200, 50) }),
        response: { 200: z.object({ items: z.array(DecisionRecordSchema), nextCursor: z.number().int().nullable() }), ...problems(400, 404) },
      },
    },
    (req) => {
      const page = deps.servicing.decisions(req.params.id, req.query.before, req.query.limit);
      if (page === null) throw new ApiError('EWS_LOAN_NOT_FOUND', `no loan "${req.params.id}"`);
      return page;
    },
  );
};
