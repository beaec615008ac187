// Parsing at the edge: every adapter (HTTP, batch readers, CLI) turns raw JSON into a LoanHistory
// here, so that every error reads the same way: `events[12].amount: expected a positive number`.
import type { z } from 'zod';
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

function parseWith<T>(schema: z.ZodType<T>, raw: unknown, prefix: ReadonlyArray<PropertyKey>): Parsed<T> {
  const result = schema.safeParse(raw);
  return result.success ? { ok: true, value: result.data } : { ok: false, problems: problemsOf(result.error, prefix) };
}

export const parseHistory = (raw: unknown, prefix: ReadonlyArray<PropertyKey> = []): Parsed<LoanHistory> =>
  parseWith(LoanHistory, raw, prefix);
export const parseEvent = (raw: unknown, prefix: ReadonlyArray<PropertyKey> = []): Parsed<LoanEvent> =>
  parseWith(LoanEvent, raw, prefix);
export const parseSnapshot = (raw: unknown, prefix: ReadonlyArray<PropertyKey> = []): Parsed<LabelledSnapshot> =>
  parseWith(LabelledSnapshot, raw, prefix);

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
