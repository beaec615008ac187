// The one error table: every error the API can answer with, its HTTP status and title. Codes are never
// reused. toProblem() is the single place that maps any thrown thing to an RFC 9457 problem+json body;
// 5xx bodies never carry internals (the caller logs them).
import type { FieldProblem } from '../domain/history/validate.js';

export const ERRORS = {
  EWS_VALIDATION: { status: 400, title: 'The request does not match the contract' },
  EWS_MALFORMED_BODY: { status: 400, title: 'The body is not valid JSON' },
  EWS_UNAUTHENTICATED: { status: 401, title: 'A valid API key is required' },
  EWS_FORBIDDEN: { status: 403, title: 'The API key lacks the scope for this operation' },
  EWS_NOT_FOUND: { status: 404, title: 'No such route' },
  EWS_LOAN_NOT_FOUND: { status: 404, title: 'No such loan' },
  EWS_ALERT_NOT_FOUND: { status: 404, title: 'No such alert' },
  EWS_EVENT_CONFLICT: { status: 409, title: 'An event with this id was already stored with different content' },
  EWS_BODY_TOO_LARGE: { status: 413, title: 'The body exceeds the size limit' },
  EWS_BATCH_TOO_LARGE: { status: 413, title: 'The batch exceeds the item limit' },
  EWS_UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported content type' },
  EWS_RATE_LIMITED: { status: 429, title: 'Too many requests' },
  EWS_INTERNAL: { status: 500, title: 'Internal error' },
  EWS_OVERLOADED: { status: 503, title: 'The service is overloaded; retry later' },
  EWS_NOT_READY: { status: 503, title: 'The service is not ready' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERRORS;

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly problems: FieldProblem[] | undefined;
  constructor(code: ErrorCode, detail?: string, problems?: FieldProblem[]) {
    super(detail ?? ERRORS[code].title);
    this.name = 'ApiError';
    this.code = code;
    this.statusCode = ERRORS[code].status;
    this.problems = problems;
  }
}

/** A request part failed its zod schema; `problems` name each field path. */
export class RequestValidationError extends ApiError {
  constructor(problems: FieldProblem[]) {
    super('EWS_VALIDATION', problems.slice(0, 5).map((p) => `${p.path}: ${p.message}`).join('; '), problems);
  }
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: ErrorCode;
  errors?: FieldProblem[];
}

export const problemType = (code: ErrorCode) => `urn:ews:problem:${code.slice(4).toLowerCase().replaceAll('_', '-')}`;

export function problemOf(code: ErrorCode, detail: string, instance: string, errors?: FieldProblem[]): Problem {
  const { status, title } = ERRORS[code];
  return { type: problemType(code), title, status, detail, instance, code, ...(errors === undefined ? {} : { errors }) };
}

/** Fastify and plugin error codes that are the client's fault, mapped onto the table. */
const FRAMEWORK_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'EWS_MALFORMED_BODY',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'EWS_MALFORMED_BODY',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'EWS_MALFORMED_BODY',
  FST_ERR_CTP_BODY_TOO_LARGE: 'EWS_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'EWS_UNSUPPORTED_MEDIA_TYPE',
  FST_UNDER_PRESSURE: 'EWS_OVERLOADED',
  FST_ERR_NOT_FOUND: 'EWS_NOT_FOUND',
};

/** Any thrown value -> the problem to send. `internal` is true when the cause must be logged, not shown. */
export function toProblem(error: unknown, instance: string): { problem: Problem; internal: boolean } {
  if (error instanceof ApiError) return { problem: problemOf(error.code, error.message, instance, error.problems), internal: false };
  const e = error as { code?: string; statusCode?: number; message?: string; name?: string };
  const mapped = e.code === undefined ? undefined : FRAMEWORK_CODES[e.code];
  if (mapped !== undefined) return { problem: problemOf(mapped, mapped === 'EWS_OVERLOADED' ? ERRORS[mapped].title : (e.message ?? ERRORS[mapped].title), instance), internal: false };
  if (e.name === 'SyntaxError' && e.statusCode === 400) return { problem: problemOf('EWS_MALFORMED_BODY', e.message ?? 'malformed JSON', instance), internal: false };
  if (e.statusCode === 429) return { problem: problemOf('EWS_RATE_LIMITED', e.message ?? 'rate limit exceeded', instance), internal: false };
  return { problem: problemOf('EWS_INTERNAL', 'The server failed to handle this request; it has been logged.', instance), internal: true };
}
