// Loading a rule set: a bad file fails as a whole, naming the file, the rule and the path at fault,
// e.g. `config/rules/x.json: rules[3] (broken_promises).when.all[1].op: expected one of ...`.
import type { z } from 'zod';
import { EVENT_TYPES } from '../history/schema.js';
import { problemsOf, type FieldProblem } from '../history/validate.js';
import { BetweenSchema, CompareSchema, CountSchema, InSchema, RuleSetShape, type Condition, type Rule, type RuleSet } from './schema.js';

export class RuleSetError extends Error {
  readonly source: string;
  readonly problems: readonly FieldProblem[];
  constructor(source: string, problems: readonly FieldProblem[]) {
    const shown = problems.slice(0, 5).map((p) => `${source}: ${p.path}: ${p.message}`);
    if (problems.length > 5) shown.push(`(${problems.length - 5} more)`);
    super(`invalid rule set\n${shown.join('\n')}`);
    this.name = 'RuleSetError';
    this.source = source;
    this.problems = problems;
  }
}

export interface RuleSetOptions {
  /** When given, a comparison naming a fact outside this set fails the load (catches typos early). */
  readonly knownFacts?: ReadonlySet<string>;
}

const MAX_DEPTH = 12;

export function parseRuleSet(raw: unknown, source: string, options: RuleSetOptions = {}): RuleSet {
  const shape = RuleSetShape.safeParse(raw);
  if (!shape.success) throw new RuleSetError(source, labelRules(problemsOf(shape.error), raw));
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  const rules: Rule[] = [];
  shape.data.rules.forEach((r, i) => {
    const at = `rules[${i}] (${r.id})`;
    if (seen.has(r.id)) problems.push({ path: `${at}.id`, message: `duplicate rule id "${r.id}"` });
    seen.add(r.id);
    const when = parseCondition(r.when, `${at}.when`, problems, options, 0);
    if (when === null) return;
    rules.push({ id: r.id, en: r.en, zh: r.zh, severity: r.severity, referralCondition: r.referralCondition, step: r.step, keyFact: r.keyFact, enabled: r.enabled, when });
  });
  if (problems.length > 0) throw new RuleSetError(source, problems);
  return { version: shape.data.version, description: shape.data.description, rules };
}

/** Puts the rule id beside `rules[i]` in zod's paths, so that the message names the rule. */
function labelRules(problems: FieldProblem[], raw: unknown): FieldProblem[] {
  const list = typeof raw === 'object' && raw !== null ? (raw as { rules?: unknown }).rules : undefined;
  return problems.map((p) => {
    const m = /^rules\[(\d+)\]/.exec(p.path);
    if (m === null || !Array.isArray(list)) return p;
    const id = (list[Number(m[1])] as { id?: unknown } | undefined)?.id;
    return typeof id === 'string' ? { path: p.path.replace(m[0], `${m[0]} (${id})`), message: p.message } : p;
  });
}

function sub(path: string, issues: z.ZodError): FieldProblem[] {
  return problemsOf(issues).map((p) => ({ path: p.path === '(root)' ? path : `${path}.${p.path}`.replace('.[', '['), message: p.message }));
}

function parseCondition(raw: unknown, path: string, problems: FieldProblem[], options: RuleSetOptions, depth: number): Condition | null {
  if (depth > MAX_DEPTH) {
    problems.push({ path, message: `conditions nest deeper than ${MAX_DEPTH} levels` });
    return null;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push({ path, message: 'expected a condition object: {"all": [...]}, {"any": [...]}, {"not": {...}}, {"fact", "op", "value"} or {"count", "op", "value"}' });
    return null;
  }
  const keys = Object.keys(raw);
  const obj = raw as Record<string, unknown>;
  for (const group of ['all', 'any'] as const) {
    if (!(group in obj)) continue;
    if (keys.length !== 1) {
      problems.push({ path, message: `"${group}" must be the only key of its object, found ${keys.map((k) => `"${k}"`).join(', ')}` });
      return null;
    }
    const list = obj[group];
    if (!Array.isArray(list) || list.length === 0) {
      problems.push({ path: `${path}.${group}`, message: 'expected a non-empty array of conditions' });
      return null;
    }
    const parts = list.map((c, i) => parseCondition(c, `${path}.${group}[${i}]`, problems, options, depth + 1));
    if (parts.some((p) => p === null)) return null;
    return group === 'all' ? { all: parts as Condition[] } : { any: parts as Condition[] };
  }
  if ('not' in obj) {
    if (keys.length !== 1) {
      problems.push({ path, message: `"not" must be the only key of its object, found ${keys.map((k) => `"${k}"`).join(', ')}` });
      return null;
    }
    const inner = parseCondition(obj.not, `${path}.not`, problems, options, depth + 1);
    return inner === null ? null : { not: inner };
  }
  if ('count' in obj) {
    const parsed = CountSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(...sub(path, parsed.error));
      return null;
    }
    if (!(EVENT_TYPES as readonly string[]).includes(parsed.data.count.type)) {
      problems.push({ path: `${path}.count.type`, message: `unknown event type "${parsed.data.count.type}"; expected one of: ${EVENT_TYPES.join(', ')}` });
      return null;
    }
    return parsed.data;
  }
  if ('fact' in obj) {
    const schema = obj.op === 'between' ? BetweenSchema : obj.op === 'in' ? InSchema : CompareSchema;
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      problems.push(...sub(path, parsed.error));
      return null;
    }
    const cond = parsed.data;
    if (options.knownFacts !== undefined) {
      const known = options.knownFacts;
      if (!known.has(cond.fact)) problems.push({ path: `${path}.fact`, message: `unknown fact "${cond.fact}"` });
      const rhs = cond.value;
      if (typeof rhs === 'object' && !Array.isArray(rhs) && !known.has(rhs.fact)) problems.push({ path: `${path}.value.fact`, message: `unknown fact "${rhs.fact}"` });
    }
    return cond as Condition;
  }
  problems.push({ path, message: `expected one of the keys "all", "any", "not", "fact" or "count", found ${keys.length === 0 ? 'none' : keys.map((k) => `"${k}"`).join(', ')}` });
  return null;
}

