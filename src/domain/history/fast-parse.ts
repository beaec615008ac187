// A validator compiled from zod schema objects, so zod stays the one source of the contract.
// zod 4 spends ~1.5-2 µs per small strict object: ~40-70 µs for a typical history. This walks
// `schema._zod.def` once and generates one JavaScript function per object schema (as zod's own JIT does
// with `new Function`) that either returns exactly what `schema.safeParse` would
// return as `data`, or `undefined`, meaning "not sure": the caller then asks zod, which gives every error
// message and path. So the fast path may be conservative (reject what zod would accept, e.g. a record key
// `__proto__`) but never accept what zod rejects or return a different value.
// Anything the compiler does not know (a transform, a pipe, a check kind, a string format) throws at compile
// time, naming where it is, so a schema change cannot silently diverge.
// Output values are fresh objects and arrays like zod's (defaults applied, keys in shape order, absent optional
// keys absent); like zod, values under z.unknown() (e.g. inside `meta`) are the caller's own references.
import { z } from 'zod';
import { util } from 'zod/v4/core';

export type FastParse<T> = (input: unknown) => T | undefined;

export class UnsupportedSchemaError extends Error {
  constructor(where: string, what: string) {
    super(`cannot compile a fast validator at ${where}: ${what}`);
    this.name = 'UnsupportedSchemaError';
  }
}

export type Schema = z.core.$ZodType;
type Check = z.core.$ZodCheck;
interface AnyDef {
  type: string;
  checks?: Check[];
  [key: string]: unknown;
}

export const defOf = (s: Schema): AnyDef => s._zod.def as unknown as AnyDef;
const checkDef = (c: Check): AnyDef & { check?: string; when?: unknown } => c._zod.def as unknown as AnyDef & { check?: string; when?: unknown };

// zod's default `when` of length checks (run on values that have a length): any other `when` is the user's.
const LENGTH_WHEN = checkDef(z.string().max(1)._zod.def.checks![0]!).when;

/** A zod check (refine, superRefine) called the way zod's runChecks calls it: true when it added no issue. */
function passesCheck(check: Check, value: unknown): boolean {
  const payload: z.core.ParsePayload = { value, issues: [] };
  const when = check._zod.def.when;
  if (when !== undefined && !when(payload)) return true;
  const result: unknown = (check._zod.check as (p: z.core.ParsePayload) => unknown)(payload);
  return result === undefined && payload.issues.length === 0;
}

export const HELPERS = {
  passesCheck,
  codePoints: util.codePointLength,
  isPlainObject: util.isPlainObject,
};

// A hand-written ISO date-time checker was measured at twice the regex's cost (V8 compiles the regex to
// machine code: ~35 ns a date-time), so the regex is used, which also makes the semantics zod's own.
const PATTERN_FORMATS = new Set(['date', 'datetime', 'regex']);

export const isPrimitiveLiteral = (v: unknown): v is string | number | boolean | null =>
  typeof v === 'string' || typeof v === 'boolean' || v === null || (typeof v === 'number' && !Number.isNaN(v));

export const literalSource = (v: string | number | boolean | null): string => (typeof v === 'number' && Object.is(v, -0) ? '-0' : JSON.stringify(v));

/** Exported for the text reader (text-read.ts), which generates code with the same conditions and checks. */
export class Compiler {
  readonly refs: unknown[] = [];
  private readonly functions: string[] = [];
  private readonly functionOf = new Map<Schema, string>();
  private counter = 0;

  /** A name in the generated scope for a value from here (a Set, a check, a regex, a default getter). */
  ref(value: unknown): string {
    let i = this.refs.indexOf(value);
    if (i < 0) i = this.refs.push(value) - 1;
    return `R${i}`;
  }

  fresh(prefix: string): string {
    return `${prefix}${this.counter++}`;
  }

  build(root: Schema): (input: unknown) => unknown {
    const input = 'input';
    const out = 'out';
    const body = this.emit(root, input, out, '(root)');
    const rootFn = `function validate(${input}) {\n  let ${out};\n${body}\n  return ${out};\n}`;
    const scope = this.refs.map((_, i) => `const R${i} = refs[${i}];`).join('\n');
    const helpers = Object.keys(HELPERS).map((k) => `const ${k} = helpers.${k};`).join('\n');
    const source = `'use strict';\n${helpers}\n${scope}\n${this.functions.join('\n')}\n${rootFn}\nreturn validate;`;
    // Generated code, as zod itself does for objects: one straight-line function per shape.
    const factory = new Function('refs', 'helpers', source) as (refs: unknown[], helpers: typeof HELPERS) => (input: unknown) => unknown;
    return factory(this.refs, HELPERS);
  }

  /**
   * Statements that read the identifier `v`, and either assign the parsed value to the (declared) `out`
   * or `return` (undefined) from the enclosing function.
   */
  emit(schema: Schema, v: string, out: string, where: string): string {
    const def = defOf(schema);
    const cond = this.condition(schema, v, where);
    if (cond !== undefined) return `if (!(${cond})) return;\n${out} = ${v};`;
    switch (def.type) {
      case 'unknown':
      case 'any':
        this.noChecks(schema, where);
        return `${out} = ${v};`;
      case 'optional':
        return this.emitOptional(schema, v, out, where);
      case 'default':
        return this.emitDefault(schema, v, out, where);
      case 'array':
        return this.emitArray(schema, v, out, where);
      case 'object':
        return `${out} = ${this.objectFunction(schema, where)}(${v});\nif (${out} === undefined) return;`;
      case 'record':
        return this.emitRecord(schema, v, out, where);
      case 'union':
        if (def.discriminator !== undefined) return this.emitDiscriminated(schema, v, out, where);
        throw new UnsupportedSchemaError(where, 'a union of non-primitive options (only unions of primitives are compiled)');
      default:
        throw new UnsupportedSchemaError(where, `zod type '${def.type}' is not supported`);
    }
  }

  /** A boolean expression for schemas whose output is their input (primitives), else undefined. */
  condition(schema: Schema, v: string, where: string): string | undefined {
    const def = defOf(schema);
    if (def.coerce) throw new UnsupportedSchemaError(where, `coerced ${def.type}`);
    switch (def.type) {
      case 'string':
        return this.stringCondition(schema, v, where);
      case 'number':
        return this.numberCondition(schema, v, where);
      case 'boolean':
        return [`typeof ${v} === 'boolean'`, ...this.customChecks(schema, v, where)].join(' && ');
      case 'literal': {
        const values = def.values as unknown[];
        if (values.length === 0 || !values.every(isPrimitiveLiteral)) throw new UnsupportedSchemaError(where, 'a literal that is not a string, finite number, boolean or null');
        return [`(${values.map((x) => `${v} === ${literalSource(x)}`).join(' || ')})`, ...this.customChecks(schema, v, where)].join(' && ');
      }
      case 'enum': {
        const values = schema._zod.values;
        if (values === undefined) throw new UnsupportedSchemaError(where, 'an enum without values');
        return [`${this.ref(values)}.has(${v})`, ...this.customChecks(schema, v, where)].join(' && ');
      }
      case 'union': {
        if (def.discriminator !== undefined) return undefined;
        if (def.inclusive === false) throw new UnsupportedSchemaError(where, 'an exclusive union (xor)');
        const options = def.options as Schema[];
        const conds = options.map((o, i) => this.condition(o, v, `${where}|${i}`));
        if (conds.some((c) => c === undefined)) return undefined;
        return [`(${conds.map((c) => `(${c})`).join(' || ')})`, ...this.customChecks(schema, v, where)].join(' && ');
      }
      default:
        return undefined;
    }
  }

  stringCondition(schema: Schema, v: string, where: string): string {
    const def = defOf(schema);
    const parts = [`typeof ${v} === 'string'`];
    // A string format (z.iso.date()) is its own first check.
    if (def.format !== undefined) parts.push(this.formatCondition(def, v, where));
    else if (schema._zod.traits.has('$ZodCheck')) throw new UnsupportedSchemaError(where, 'a string schema that is its own check');
    for (const check of def.checks ?? []) {
      const c = checkDef(check);
      switch (c.check) {
        case 'min_length':
        case 'max_length': {
          if (c.when !== LENGTH_WHEN) throw new UnsupportedSchemaError(where, `a ${c.check} check with its own 'when'`);
          parts.push(this.lengthCondition(c.check, c.check === 'min_length' ? (c.minimum as number) : (c.maximum as number), v, true));
          break;
        }
        case 'string_format':
          if (c.when !== undefined) throw new UnsupportedSchemaError(where, "a string format check with a 'when'");
          parts.push(this.formatCondition(c, v, where));
          break;
        case 'custom':
          parts.push(this.customCheck(check, v));
          break;
        default:
          throw new UnsupportedSchemaError(where, `string check '${String(c.check)}'`);
      }
    }
    return parts.join(' && ');
  }

  /** Formats whose whole check is their pattern (zod's $ZodCheckStringFormat): tested with that very regex. */
  formatCondition(def: AnyDef, v: string, where: string): string {
    const pattern = def.pattern;
    if (!(pattern instanceof RegExp)) throw new UnsupportedSchemaError(where, `string format '${String(def.format)}' without a pattern`);
    // Other formats (email, url, jwt...) may check more than their pattern, or transform.
    if (!PATTERN_FORMATS.has(String(def.format))) throw new UnsupportedSchemaError(where, `string format '${String(def.format)}'`);
    const re = this.ref(pattern);
    return pattern.global || pattern.sticky ? `(${re}.lastIndex = 0, ${re}.test(${v}))` : `${re}.test(${v})`;
  }

  /** Length bounds: zod counts code points, so count them only when UTF-16 units leave it in doubt. */
  lengthCondition(kind: 'min_length' | 'max_length', bound: number, v: string, isString: boolean): string {
    if (!Number.isInteger(bound)) throw new UnsupportedSchemaError('(length)', `a non-integer ${kind}`);
    if (kind === 'max_length') return isString ? `(${v}.length <= ${bound} || codePoints(${v}) <= ${bound})` : `${v}.length <= ${bound}`;
    if (!isString || bound <= 1) return `${v}.length >= ${bound}`;
    return `(${v}.length >= ${2 * bound} || (${v}.length >= ${bound} && codePoints(${v}) >= ${bound}))`;
  }

  numberCondition(schema: Schema, v: string, where: string): string {
    const def = defOf(schema);
    const parts = [`typeof ${v} === 'number'`, `Number.isFinite(${v})`];
    const checks = schema._zod.traits.has('$ZodCheck') ? [schema as unknown as Check, ...(def.checks ?? [])] : (def.checks ?? []);
    for (const check of checks) {
      const c = checkDef(check);
      if (c.when !== undefined && c.check !== 'custom') throw new UnsupportedSchemaError(where, `a ${String(c.check)} check with a 'when'`);
      switch (c.check) {
        case 'greater_than':
        case 'less_than': {
          const bound = c.value;
          if (typeof bound !== 'number') throw new UnsupportedSchemaError(where, `a ${c.check} bound that is not a number`);
          const op = c.check === 'greater_than' ? (c.inclusive ? '>=' : '>') : c.inclusive ? '<=' : '<';
          parts.push(`${v} ${op} ${literalSource(bound)}`);
          break;
        }
        case 'number_format':
          if (c.format === 'safeint') parts.push(`Number.isSafeInteger(${v})`);
          else if (c.format === 'int32') parts.push(`Number.isInteger(${v}) && ${v} >= -2147483648 && ${v} <= 2147483647`);
          else if (c.format === 'uint32') parts.push(`Number.isInteger(${v}) && ${v} >= 0 && ${v} <= 4294967295`);
          else if (c.format !== 'float64') throw new UnsupportedSchemaError(where, `number format '${String(c.format)}'`);
          break;
        case 'custom':
          parts.push(this.customCheck(check, v));
          break;
        default:
          throw new UnsupportedSchemaError(where, `number check '${String(c.check)}'`);
      }
    }
    return parts.join(' && ');
  }

  customCheck(check: Check, v: string): string {
    return `passesCheck(${this.ref(check)}, ${v})`;
  }

  /** Refinements only (called through zod's own check functions); any other check kind is refused. */
  customChecks(schema: Schema, v: string, where: string): string[] {
    return (defOf(schema).checks ?? []).map((check) => {
      if (checkDef(check).check !== 'custom') throw new UnsupportedSchemaError(where, `check '${String(checkDef(check).check)}' on a ${defOf(schema).type}`);
      return this.customCheck(check, v);
    });
  }

  noChecks(schema: Schema, where: string): void {
    if ((defOf(schema).checks ?? []).length > 0) throw new UnsupportedSchemaError(where, `checks on a ${defOf(schema).type}`);
  }

  /** `if (!(refinements)) return;` for schemas built as statements. */
  checkStatements(schema: Schema, v: string, where: string): string {
    const conds = this.customChecks(schema, v, where);
    return conds.length === 0 ? '' : `\nif (!(${conds.join(' && ')})) return;`;
  }

  emitOptional(schema: Schema, v: string, out: string, where: string): string {
    const inner = defOf(schema).innerType as Schema;
    this.noChecks(schema, where);
    if (inner._zod.optin === 'defaulted') throw new UnsupportedSchemaError(where, 'an optional around a default');
    return `if (${v} === undefined) ${out} = undefined;\nelse {\n${this.emit(inner, v, out, where)}\n}`;
  }

  emitDefault(schema: Schema, v: string, out: string, where: string): string {
    const def = defOf(schema);
    this.noChecks(schema, where);
    // Always zod's getter: it clones an object default each time and calls a function default each time
    // (a constant written in would freeze `default(() => ...)` at its first value).
    const value = `${this.ref(def)}.defaultValue`;
    const inner = def.innerType as Schema;
    return `if (${v} === undefined) ${out} = ${value};\nelse {\n${this.emit(inner, v, out, where)}\nif (${out} === undefined) ${out} = ${value};\n}`;
  }

  /** An array schema's checks: its length bounds (zod's length checks merged) and its custom checks; anything else is refused. */
  arrayChecks(schema: Schema, where: string): { min: number; max: number; custom: Check[] } {
    let min = 0;
    let max = Infinity;
    const custom: Check[] = [];
    for (const check of defOf(schema).checks ?? []) {
      const c = checkDef(check);
      if (c.check === 'min_length' || c.check === 'max_length') {
        if (c.when !== LENGTH_WHEN) throw new UnsupportedSchemaError(where, `a ${c.check} check with its own 'when'`);
        const bound = c.check === 'min_length' ? (c.minimum as number) : (c.maximum as number);
        if (!Number.isInteger(bound)) throw new UnsupportedSchemaError(where, `a non-integer ${c.check}`);
        if (c.check === 'min_length') min = Math.max(min, bound);
        else max = Math.min(max, bound);
      } else if (c.check === 'custom') custom.push(check);
      else throw new UnsupportedSchemaError(where, `array check '${String(c.check)}'`);
    }
    return { min, max, custom };
  }

  emitArray(schema: Schema, v: string, out: string, where: string): string {
    const def = defOf(schema);
    const { min, max, custom } = this.arrayChecks(schema, where);
    const parts = [`Array.isArray(${v})`];
    if (min > 0) parts.push(this.lengthCondition('min_length', min, v, false));
    if (max < Infinity) parts.push(this.lengthCondition('max_length', max, v, false));
    const a = this.fresh('a');
    const i = this.fresh('i');
    const e = this.fresh('e');
    const r = this.fresh('r');
    const element = this.emit(def.element as Schema, e, r, `${where}[]`);
    const checks = custom.length === 0 ? '' : `\nif (!(${custom.map((c) => this.customCheck(c, a)).join(' && ')})) return;`;
    return (
      `if (!(${parts.join(' && ')})) return;\n` +
      `const ${a} = new Array(${v}.length);\n` +
      `for (let ${i} = 0; ${i} < ${v}.length; ${i}++) {\nconst ${e} = ${v}[${i}];\nlet ${r};\n${element}\n${a}[${i}] = ${r};\n}` +
      `${checks}\n${out} = ${a};`
    );
  }

  emitRecord(schema: Schema, v: string, out: string, where: string): string {
    const def = defOf(schema);
    const keyType = def.keyType as Schema;
    if (def.mode !== undefined && def.mode !== 'strict') throw new UnsupportedSchemaError(where, `a ${String(def.mode)} record`);
    if (def.partial) throw new UnsupportedSchemaError(where, 'a partial record');
    if (defOf(keyType).type !== 'string' || keyType._zod.values !== undefined) throw new UnsupportedSchemaError(where, 'a record whose keys are not plain strings');
    const o = this.fresh('o');
    const ks = this.fresh('ks');
    const i = this.fresh('i');
    const k = this.fresh('k');
    const e = this.fresh('e');
    const r = this.fresh('r');
    const keyCond = this.stringCondition(keyType, k, `${where}<key>`);
    const value = this.emit(def.valueType as Schema, e, r, `${where}{}`);
    // zod reads every own enumerable key, symbols too (which then fail a string key), and silently drops a
    // key "__proto__": both are left to zod.
    return (
      `if (!isPlainObject(${v}) || Object.getOwnPropertySymbols(${v}).length !== 0) return;\n` +
      `const ${o} = {};\nconst ${ks} = Object.keys(${v});\n` +
      `for (let ${i} = 0; ${i} < ${ks}.length; ${i}++) {\nconst ${k} = ${ks}[${i}];\n` +
      `if (${k} === '__proto__' || !(${keyCond})) return;\nconst ${e} = ${v}[${k}];\nlet ${r};\n${value}\n${o}[${k}] = ${r};\n}` +
      `${this.checkStatements(schema, o, where)}\n${out} = ${o};`
    );
  }

  emitDiscriminated(schema: Schema, v: string, out: string, where: string): string {
    const def = defOf(schema);
    if (def.unionFallback) throw new UnsupportedSchemaError(where, 'a discriminated union with unionFallback');
    const key = def.discriminator as string;
    const cases: string[] = [];
    for (const [n, option] of (def.options as Schema[]).entries()) {
      if (defOf(option).type !== 'object') throw new UnsupportedSchemaError(`${where}|${n}`, 'a discriminated-union option that is not an object');
      const values = (option._zod as { propValues?: Record<string, Set<unknown>> }).propValues?.[key];
      if (values === undefined || values.size === 0 || ![...values].every(isPrimitiveLiteral)) {
        throw new UnsupportedSchemaError(`${where}|${n}`, `discriminator '${key}' is not a set of literals`);
      }
      const labels = [...values].map((x) => `case ${literalSource(x as string | number | boolean | null)}:`).join(' ');
      cases.push(`${labels} ${out} = ${this.objectFunction(option, `${where}|${String([...values][0])}`)}(${v}); break;`);
    }
    return (
      `if (typeof ${v} !== 'object' || ${v} === null || Array.isArray(${v})) return;\n` +
      `switch (${v}[${JSON.stringify(key)}]) {\n${cases.join('\n')}\ndefault: return;\n}\nif (${out} === undefined) return;` +
      this.checkStatements(schema, out, where)
    );
  }

  /** One generated function per object schema (shared schemas share it). */
  objectFunction(schema: Schema, where: string): string {
    const known = this.functionOf.get(schema);
    if (known !== undefined) return known;
    const name = this.fresh('object');
    this.functionOf.set(schema, name);
    const def = defOf(schema);
    const shape = def.shape as Record<string, Schema>;
    if (Object.getOwnPropertySymbols(shape).length > 0) throw new UnsupportedSchemaError(where, 'symbol keys');
    const keys = Object.keys(shape);
    const catchall = def.catchall as Schema | undefined;
    const strict = catchall !== undefined && defOf(catchall).type === 'never';
    if (catchall !== undefined && !strict) throw new UnsupportedSchemaError(where, 'a loose object or a catchall');
    const x = 'x';
    const lines: string[] = [`if (typeof ${x} !== 'object' || ${x} === null || Array.isArray(${x})) return;`];
    if (strict) {
      // zod's strict objects report every enumerable key (own or inherited) outside the shape, __proto__ included.
      const labels = keys.map((k) => `case ${JSON.stringify(k)}:`).join(' ');
      lines.push(`for (const k in ${x}) {\nswitch (k) {\n${labels} break;\ndefault: return;\n}\n}`);
    }
    const fields: { key: string; r: string; always: boolean }[] = [];
    for (const key of keys) {
      if (key === '__proto__') throw new UnsupportedSchemaError(where, "a '__proto__' key");
      const field = shape[key]!;
      const optin = field._zod.optin;
      const optout = field._zod.optout;
      const v = this.fresh('v');
      const r = this.fresh('r');
      const prop = JSON.stringify(key);
      const at = `${where === '(root)' ? '' : where}.${key}`;
      lines.push(`const ${v} = ${x}[${prop}];\nlet ${r};\n${this.emit(field, v, r, at)}`);
      if (optin === undefined) {
        // A required key must be present even when its schema accepts undefined (z.unknown()).
        if (acceptsUndefined(field)) lines.push(`if (!(${prop} in ${x})) return;`);
        fields.push({ key, r, always: true });
      } else if (optin === 'optional' && optout === 'optional') {
        fields.push({ key, r, always: false });
      } else if (optin === 'defaulted' && optout === undefined) {
        fields.push({ key, r, always: true });
      } else {
        throw new UnsupportedSchemaError(at, `a field that is optional-in '${String(optin)}' and optional-out '${String(optout)}'`);
      }
    }
    // Keys written one by one in shape order, as zod writes them. Not an object literal: V8 pretenures
    // literal allocation sites here (old-space allocation, 3x slower in bench:validate); `{}` it does not.
    lines.push('const o = {};');
    for (const f of fields) {
      const prop = JSON.stringify(f.key);
      lines.push(f.always ? `o[${prop}] = ${f.r};` : `if (${f.r} !== undefined || ${prop} in ${x}) o[${prop}] = ${f.r};`);
    }
    lines.push(`${this.checkStatements(schema, 'o', where)}\nreturn o;`);
    this.functions.push(`function ${name}(${x}) {\n${lines.join('\n')}\n}`);
    return name;
  }
}

export function acceptsUndefined(schema: Schema): boolean {
  const type = defOf(schema).type;
  return type === 'unknown' || type === 'any' || type === 'undefined' || type === 'void';
}

/**
 * Compile `schema` into a function that returns what `schema.safeParse(input).data` would be, or undefined
 * when the input is invalid or unusual (then ask zod). Throws UnsupportedSchemaError for constructs it does
 * not understand. The schema's own output must never be undefined (it would read as "ask zod").
 */
export function compileFastParse<S extends z.ZodType>(schema: S): FastParse<z.output<S>> {
  const root = schema as unknown as Schema;
  if (root._zod.optin !== undefined || acceptsUndefined(root)) throw new UnsupportedSchemaError('(root)', 'a root schema that can output undefined');
  return new Compiler().build(root) as FastParse<z.output<S>>;
}

// One compilation per schema object, shared by parseHistory & co. and the HTTP validators.
const compiledBySchema = new WeakMap<object, FastParse<unknown> | null>();

/**
 * The compiled validator of `schema`, compiled once; undefined when it cannot compile (an unsupported
 * construct, or code generation disallowed): callers then use zod alone, slower but never wrong.
 */
export function tryCompileFastParse<S extends z.ZodType>(schema: S): FastParse<z.output<S>> | undefined {
  let fast = compiledBySchema.get(schema);
  if (fast === undefined) {
    try {
      fast = compileFastParse(schema);
    } catch (error) {
      if (!(error instanceof UnsupportedSchemaError || error instanceof EvalError)) throw error;
      fast = null;
    }
    compiledBySchema.set(schema, fast);
  }
  return (fast ?? undefined) as FastParse<z.output<S>> | undefined;
}

/**
 * A drop-in for `schema.safeParse` (e.g. in a fastify validator compiler): the compiled validator answers
 * what it can, zod answers the rest (every rejection, with zod's issues). Schemas that do not compile get
 * plain zod.
 */
export function fastSafeParse<S extends z.ZodType>(schema: S): (raw: unknown) => z.ZodSafeParseResult<z.output<S>> {
  const fast = tryCompileFastParse(schema);
  if (fast === undefined) return (raw) => schema.safeParse(raw);
  return (raw) => {
    const data = fast(raw);
    return data !== undefined ? { success: true, data } : schema.safeParse(raw);
  };
}
