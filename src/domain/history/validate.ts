// Parsing at the edge: every adapter (HTTP, batch readers, CLI) turns raw JSON into a LoanHistory
// here, so that every error reads the same way: `events[12].amount: expected a positive number`.
// The compiled fast path (fast-parse.ts) answers valid input; anything it is unsure of goes to zod, so every
// error message and path is zod's.
import type { z } from 'zod';
import { type FastParse, tryCompileFastParse } from './fast-parse.js';
import { LabelledSnapshot, LoanEvent, LoanHistory } from './schema.js';

export interface FieldProblem {
  path: string;
  message: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: FieldProblem[] };

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

export function problemsOf(error: z.ZodError, prefix: ReadonlyArray<PropertyKey> = []): FieldProblem[] {
  return error.issues.map((issue) => {
    const path = formatPath([...prefix, ...issue.path]);
    if (issue.code === 'unrecognized_keys') {
      return { path, message: `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}` };
    }
    return { path, message: issue.message };
  });
}

export function describeProblems(problems: ReadonlyArray<FieldProblem>, max = 5): string {
  const shown = problems.slice(0, max).map((p) => `${p.path}: ${p.message}`);
  if (problems.length > max) shown.push(`(${problems.length - max} more)`);
  return shown.join('; ');
}

/** zod's safeParse as a Parsed, the slow path and the reference the fast path is tested against. */
export function parseWithZod<T>(schema: z.ZodType<T>, raw: unknown, prefix: ReadonlyArray<PropertyKey> = []): Parsed<T> {
  const result = schema.safeParse(raw);
  return result.success ? { ok: true, value: result.data } : { ok: false, problems: problemsOf(result.error, prefix) };
}

type Parser<T> = (raw: unknown, prefix?: ReadonlyArray<PropertyKey>) => Parsed<T>;

const askZod = (): undefined => undefined;

/**
 * Try the compiled validator first (compiled on first use, not at import), and zod when it is unsure.
 * Should it not compile (a schema change it does not follow, which its tests catch, or code generation
 * disallowed), every input goes to zod: slower, never wrong.
 */
function fastThenZod<T>(schema: z.ZodType<T>): Parser<T> {
  let fast: FastParse<T> | undefined;
  return (raw, prefix = []) => {
    fast ??= tryCompileFastParse(schema) ?? askZod;
    const value = fast(raw);
    return value !== undefined ? { ok: true, value } : parseWithZod(schema, raw, prefix);
  };
}

/** Parse one loan history: a fresh value, the input untouched (the contents of `meta` are the input's, as with zod). */
export const parseHistory: Parser<LoanHistory> = fastThenZod<LoanHistory>(LoanHistory);

/**
 * Which validator answers valid loan histories: 'compiled', or 'zod' when the contract did not compile
 * (an unsupported construct, or code generation disallowed): correct either way, ~4x slower on zod, so
 * the service says it at start-up.
 */
export function historyValidatorKind(): 'compiled' | 'zod' {
  return tryCompileFastParse(LoanHistory) === undefined ? 'zod' : 'compiled';
}
export const parseEvent: Parser<LoanEvent> = fastThenZod<LoanEvent>(LoanEvent);
export const parseSnapshot: Parser<LabelledSnapshot> = fastThenZod<LabelledSnapshot>(LabelledSnapshot);

export class ValidationError extends Error {
  readonly problems: FieldProblem[];
  constructor(problems: FieldProblem[], what = 'input') {
    super(`invalid ${what}: ${describeProblems(problems)}`);
    this.name = 'ValidationError';
    this.problems = problems;
  }
}

export function mustParseHistory(raw: unknown): LoanHistory {
  const parsed = parseHistory(raw);
  if (!parsed.ok) throw new ValidationError(parsed.problems, 'loan history');
  return parsed.value;
}
