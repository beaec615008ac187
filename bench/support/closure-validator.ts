// The road not taken, kept to be measured: the same validator as fast-parse.ts, but as a tree of closures
// (one per schema node) instead of generated code. It covers the constructs of the loan-history contract
// only (anything else throws) and is used by bench/validate.ts, which checks it answers as zod does.
import type { z } from 'zod';
import { util } from 'zod/v4/core';

type Schema = z.core.$ZodType;
type Check = z.core.$ZodCheck;
interface AnyDef {
  type: string;
  checks?: Check[];
  [key: string]: unknown;
}

const FAIL: unique symbol = Symbol('fail');
type Node = (v: unknown) => unknown;
type Pred = (v: never) => boolean;

const defOf = (s: Schema): AnyDef => s._zod.def as unknown as AnyDef;
const cdef = (c: Check): AnyDef & { check?: string } => c._zod.def as unknown as AnyDef & { check?: string };

function passes(check: Check, value: unknown): boolean {
  const payload: z.core.ParsePayload = { value, issues: [] };
  const when = check._zod.def.when;
  if (when !== undefined && !when(payload)) return true;
  const r: unknown = (check._zod.check as (p: z.core.ParsePayload) => unknown)(payload);
  return r === undefined && payload.issues.length === 0;
}

function checkPreds(schema: Schema, isString: boolean): Pred[] {
  const def = defOf(schema);
  const checks = schema._zod.traits.has('$ZodCheck') ? [schema as unknown as Check, ...(def.checks ?? [])] : (def.checks ?? []);
  return checks.map((check): Pred => {
    const c = cdef(check);
    switch (c.check) {
      case 'min_length': {
        const m = c.minimum as number;
        return isString ? (v: string) => v.length >= 2 * m || (v.length >= m && util.codePointLength(v) >= m) : (v: unknown[]) => v.length >= m;
      }
      case 'max_length': {
        const m = c.maximum as number;
        return isString ? (v: string) => v.length <= m || util.codePointLength(v) <= m : (v: unknown[]) => v.length <= m;
      }
      case 'string_format': {
        const re = c.pattern as RegExp;
        return (v: string) => re.test(v);
      }
      case 'greater_than': {
        const b = c.value as number;
        return c.inclusive ? (v: number) => v >= b : (v: number) => v > b;
      }
      case 'less_than': {
        const b = c.value as number;
        return c.inclusive ? (v: number) => v <= b : (v: number) => v < b;
      }
      case 'number_format':
        if (c.format === 'safeint') return (v: number) => Number.isSafeInteger(v);
        throw new Error(`format ${String(c.format)}`);
      case 'custom':
        return (v: unknown) => passes(check, v);
      default:
        throw new Error(`check ${String(c.check)}`);
    }
  });
}

const all = (preds: Pred[]) => (v: unknown): boolean => {
  for (let i = 0; i < preds.length; i++) if (!(preds[i] as (v: unknown) => boolean)(v)) return false;
  return true;
};

function build(schema: Schema): Node {
  const def = defOf(schema);
  switch (def.type) {
    case 'string': {
      const ok = all(checkPreds(schema, true));
      return (v) => (typeof v === 'string' && ok(v) ? v : FAIL);
    }
    case 'number': {
      const ok = all(checkPreds(schema, false));
      return (v) => (typeof v === 'number' && Number.isFinite(v) && ok(v) ? v : FAIL);
    }
    case 'boolean':
      return (v) => (typeof v === 'boolean' ? v : FAIL);
    case 'literal':
    case 'enum': {
      const values = schema._zod.values!;
      return (v) => (values.has(v as never) ? v : FAIL);
    }
    case 'unknown':
      return (v) => v;
    case 'optional': {
      const inner = build(def.innerType as Schema);
      return (v) => (v === undefined ? undefined : inner(v));
    }
    case 'default': {
      const inner = build(def.innerType as Schema);
      const holder = def;
      return (v) => {
        if (v === undefined) return holder.defaultValue;
        const r = inner(v);
        return r === undefined ? holder.defaultValue : r;
      };
    }
    case 'array': {
      const element = build(def.element as Schema);
      const ok = all(checkPreds(schema, false));
      return (v) => {
        if (!Array.isArray(v) || !ok(v)) return FAIL;
        const a = new Array(v.length);
        for (let i = 0; i < v.length; i++) {
          const r = element(v[i]);
          if (r === FAIL) return FAIL;
          a[i] = r;
        }
        return a;
      };
    }
    case 'record': {
      const key = all(checkPreds(def.keyType as Schema, true));
      const value = build(def.valueType as Schema);
      return (v) => {
        if (!util.isPlainObject(v) || Object.getOwnPropertySymbols(v).length !== 0) return FAIL;
        const o: Record<string, unknown> = {};
        for (const k of Object.keys(v)) {
          if (k === '__proto__' || !key(k)) return FAIL;
          const r = value((v as Record<string, unknown>)[k]);
          if (r === FAIL) return FAIL;
          o[k] = r;
        }
        return o;
      };
    }
    case 'union': {
      if (def.discriminator !== undefined) {
        const byTag = new Map<unknown, Node>();
        for (const option of def.options as Schema[]) {
          const node = build(option);
          for (const tag of (option._zod as { propValues?: Record<string, Set<unknown>> }).propValues![def.discriminator as string]!) byTag.set(tag, node);
        }
        const disc = def.discriminator as string;
        return (v) => {
          if (typeof v !== 'object' || v === null || Array.isArray(v)) return FAIL;
          const node = byTag.get((v as Record<string, unknown>)[disc]);
          return node === undefined ? FAIL : node(v);
        };
      }
      const options = (def.options as Schema[]).map(build);
      return (v) => (options.some((o) => o(v) !== FAIL) ? v : FAIL);
    }
    case 'object': {
      const shape = def.shape as Record<string, Schema>;
      const keys = Object.keys(shape);
      const known = new Set(keys);
      const fields = keys.map((key) => ({ key, node: build(shape[key]!), optional: shape[key]!._zod.optin === 'optional' }));
      const ok = all(checkPreds(schema, false));
      return (x) => {
        if (typeof x !== 'object' || x === null || Array.isArray(x)) return FAIL;
        for (const k in x) if (!known.has(k)) return FAIL;
        const o: Record<string, unknown> = {};
        for (let i = 0; i < fields.length; i++) {
          const f = fields[i]!;
          const r = f.node((x as Record<string, unknown>)[f.key]);
          if (r === FAIL) return FAIL;
          if (!f.optional || r !== undefined || f.key in x) o[f.key] = r;
        }
        return ok(o as never) ? o : FAIL;
      };
    }
    default:
      throw new Error(`type ${def.type}`);
  }
}

export function closureValidator<S extends z.ZodType>(schema: S): (input: unknown) => z.output<S> | undefined {
  const node = build(schema as unknown as Schema);
  return (input) => {
    const r = node(input);
    return r === FAIL ? undefined : (r as z.output<S>);
  };
}
