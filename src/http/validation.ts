// Request validation with zod, reporting field paths the way the rest of ews does
// (`events[12].amount: expected a positive number`). Schemas marked documentedOnly() appear in the
// OpenAPI document but are validated item by item in their handler, so one bad item cannot sink a batch;
// streamed bodies (NDJSON) pass through untouched.
import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import { fastSafeParse } from '../domain/history/fast-parse.js';
import { problemsOf } from '../domain/history/validate.js';
import { RequestValidationError } from './errors.js';

const DOCUMENTED_ONLY = new WeakSet<object>();

export function documentedOnly<T extends z.ZodType>(schema: T): T {
  DOCUMENTED_ONLY.add(schema);
  return schema;
}

const PART_PREFIX: Record<string, string[]> = { body: [], querystring: ['query'], params: ['params'], headers: ['headers'] };

export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => {
  if (DOCUMENTED_ONLY.has(schema)) return (data) => ({ value: data });
  const prefix = PART_PREFIX[httpPart ?? 'body'] ?? [];
  // The validator compiled from the zod schema where it compiles; zod itself for every rejection.
  const safeParse = fastSafeParse(schema);
  return (data) => {
    if (data !== null && typeof data === 'object' && typeof (data as { pipe?: unknown }).pipe === 'function') return { value: data };
    const result = safeParse(data);
    return result.success ? { value: result.data } : { error: new RequestValidationError(problemsOf(result.error, prefix)) };
  };
};

/** Responses are built by trusted code from zod-typed values; plain JSON.stringify keeps them fast. */
export const jsonSerializerCompiler = () => (data: unknown) => JSON.stringify(data);
