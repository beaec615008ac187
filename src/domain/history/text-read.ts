// A reader compiled from the zod schema that goes from JSON text straight to the validated value, in
// one pass: what `schema.safeParse(JSON.parse(text)).data` is, without JSON.parse's generic objects and
// key strings and without the validator's copy. Keys are matched in place, code by code,
// objects are built in their final shape (zod's key order, defaults applied), enum values are the
// schema's own constant strings, and each value is checked as it is read with fast-parse's conditions
// (zod's regexes, bounds, refinements called through zod's check functions).
// It answers a value or undefined, "not sure": the caller then takes JSON.parse + the validator, which
// gives every error message. It gives up on anything unusual (an escape in a string, a duplicate or
// unknown key, a `__proto__` key), never accepting what JSON.parse or zod reject nor returning a
// different value. Anything the compiler does not know throws UnsupportedSchemaError (fast-parse.ts).
import { z } from 'zod';
import { acceptsUndefined, Compiler, defOf, HELPERS, isPrimitiveLiteral, literalSource, type Schema, UnsupportedSchemaError } from './fast-parse.js';
import { rememberInstants } from './instant-memo.js';
import { isoDateBytes, isoDateTimeOffsetBytes, isoInstantOffsetBytes } from './iso-bytes.js';
import { cursor, keyValueAt, quoteEnd, quoteEndB, readAny, readNumber, readNumberB, stringEnd, stringEndB, ws, wsB } from './text-scan.js';

export interface TextReader<T> {
  /** The value of text[from, to) as JSON, validated; undefined: invalid or not sure (ask JSON.parse and zod). */
  read(text: string, from?: number, to?: number): T | undefined;
  /**
   * The value of an object whose `injected` fields (the compile option, in order) come as texts of
   * their own, each an array's items without its brackets (null: none): what
   * `{...JSON.parse(main), [k]: JSON.parse('[' + (parts[i] ?? '') + ']')}` would give validated.
   * A main text holding an injected key gives up. With `bytes` (the main text's UTF-8 bytes, then each
   * part's; an empty array for a null part), those are scanned when every text is ASCII (as readAt).
   */
  readParts(main: string, parts: readonly (string | null)[], bytes?: readonly Uint8Array[]): T | undefined;
  /**
   * The value that starts at `from` (after whitespace) in a text the caller has made sure holds no
   * backslash, validated, with `cursor.at` (text-scan.ts) where it ends; undefined: invalid or not sure.
   * What follows the value is the caller's (a batch's items are read one after another in place).
   * With `bytes`, the text's UTF-8 bytes, it scans those when they are as many as the text's chars (the
   * text is ASCII: byte i is char code i; the answer is the same, found sooner), else the text.
   */
  readAt(text: string, from: number, bytes?: Uint8Array): T | undefined;
  /**
   * read(text), scanning `bytes`, the text's UTF-8 bytes, when they are as many as its chars (then it
   * is ASCII: byte i is char code i), else the text.
   */
  readAscii(text: string, bytes: Uint8Array): T | undefined;
}

/** The byte module's entry points (the text's bytes alongside, as many as its chars). */
interface ByteReader {
  read(text: string, bytes: Uint8Array): unknown;
  readParts(main: string, parts: readonly (string | null)[], bytes: readonly Uint8Array[]): unknown;
  readAt(text: string, from: number, bytes: Uint8Array): unknown;
}

const SCAN = { cursor, isoDateBytes, isoDateTimeOffsetBytes, isoInstantOffsetBytes, keyValueAt, quoteEnd, quoteEndB, readAny, readNumber, readNumberB, rememberInstants, stringEnd, stringEndB, ws, wsB };
type IsoFormat = 'isoDateBytes' | 'isoDateTimeOffsetBytes';
/** zod's own patterns (compared by source and flags) that iso-bytes.ts checks over bytes. */
const ISO_PATTERNS: readonly [RegExp | undefined, IsoFormat][] = [
  [z.iso.date()._zod.def.pattern, 'isoDateBytes'],
  [z.iso.datetime({ offset: true })._zod.def.pattern, 'isoDateTimeOffsetBytes'],
];

/** The byte check for a plain string schema whose whole check is one of zod's ISO patterns, else undefined. */
function isoFormatOf(def: ReturnType<typeof defOf>): IsoFormat | undefined {
  const pattern = def.pattern;
  if (!(pattern instanceof RegExp) || (def.checks ?? []).length > 0 || (def.format !== 'date' && def.format !== 'datetime')) return undefined;
  return ISO_PATTERNS.find(([p]) => p !== undefined && p.source === pattern.source && p.flags === pattern.flags)?.[1];
}

/** String formats whose zod pattern admits digits and separators only: no control character to look for. */
const DIGIT_FORMATS = new Set(['date', 'datetime']);

/** An expression: text[at + from..] holds `text`'s characters from `from` on (compared code by code, inlined by V8). */
function matches(text: string, at: string, from = 0): string {
  const parts: string[] = [];
  for (let i = from; i < text.length; i++) parts.push(`s.charCodeAt(${at} + ${i}) === ${text.charCodeAt(i)}`);
  return parts.join(' && ');
}

/** A JS string literal for a key or constant that JSON writes without escapes (else null). */
function plainQuoted(value: string): string | null {
  return JSON.stringify(value) === `"${value}"` ? JSON.stringify(`"${value}"`) : null;
}

/**
 * An array of objects whose `key` date-times the byte mode remembers with their instants
 * (instant-memo.ts): `events` and `at` for a history, for the feature scan.
 */
export interface InstantSite {
  readonly array: string;
  readonly key: string;
}

class TextCompiler {
  readonly c = new Compiler();
  constructor(private readonly instants?: InstantSite) {}
  private readonly functions: string[] = [];
  private readonly functionOf = new Map<Schema, string>();
  private readonly continuationOf = new Map<Schema, string>();

  /** Statements that read the value at p (whitespace skipped) into `out` and move p past it, or `return;`. */
  emit(schema: Schema, out: string, where: string): string {
    const def = defOf(schema);
    switch (def.type) {
      case 'optional':
      case 'default':
        // A key present in JSON has a value (never undefined): the inner schema reads it.
        this.c.noChecks(schema, where);
        if (def.type === 'optional' && (def.innerType as Schema)._zod.optin === 'defaulted') throw new UnsupportedSchemaError(where, 'an optional around a default');
        return this.emit(def.innerType as Schema, out, where);
      case 'string': {
        const iso = isoFormatOf(def);
        if (iso !== undefined) return this.emitIso(out, iso, def.pattern as RegExp, where);
        return this.emitString(out, this.c.condition(schema, out, where)!, DIGIT_FORMATS.has(String(def.format)) ? 'quoteEnd' : 'stringEnd');
      }
      case 'enum':
      case 'literal':
        return this.emitConstants(schema, out, where);
      case 'number':
        return `${out} = readNumber(s, p);\nif (${out} === undefined) return;\np = cursor.at;\nif (!(${this.c.condition(schema, out, where)!})) return;`;
      case 'boolean':
        return `if (${matches('true', 'p')}) { ${out} = true; p += 4; } else if (${matches('false', 'p')}) { ${out} = false; p += 5; } else return;\nif (!(${this.c.condition(schema, out, where)!})) return;`;
      case 'unknown':
      case 'any':
        this.c.noChecks(schema, where);
        return this.emitAny(out);
      case 'array':
        return this.emitArray(schema, out, where);
      case 'object':
        return `P = p;\n${out} = ${this.objectFunction(schema, where, [])}();\nif (${out} === undefined) return;\np = P;`;
      case 'record':
        return this.emitRecord(schema, out, where);
      case 'union': {
        if (def.discriminator !== undefined) return this.emitDiscriminated(schema, out, where);
        const cond = this.c.condition(schema, out, where);
        if (cond === undefined) throw new UnsupportedSchemaError(where, 'a union of non-primitive options (only unions of primitives are compiled)');
        return `${this.emitAny(out)}\nif (!(${cond})) return;`;
      }
      default: {
        // Anything else (transform, pipe, lazy...): the compiled validator refuses it the same way.
        const cond = this.c.condition(schema, out, where);
        if (cond === undefined) throw new UnsupportedSchemaError(where, `zod type '${def.type}' is not supported`);
        return `${this.emitAny(out)}\nif (!(${cond})) return;`;
      }
    }
  }

  emitAny(out: string): string {
    return `${out} = readAny(s, p);\nif (${out} === undefined) return;\np = cursor.at;`;
  }

  emitString(out: string, cond: string, end: 'quoteEnd' | 'stringEnd'): string {
    const q = this.c.fresh('q');
    return `if (s.charCodeAt(p) !== 34) return;\nconst ${q} = ${end}(s, p);\nif (${q} < 0) return;\n${out} = s.slice(p + 1, ${q});\np = ${q} + 1;\nif (!(${cond})) return;`;
  }

  /**
   * zod's own ISO date or date-time pattern and no other check: the regex over the text; the byte mode
   * (overBytes) swaps the marked test for a check of the bytes in place (iso-bytes.ts).
   */
  emitIso(out: string, iso: IsoFormat, pattern: RegExp, where: string): string {
    const q = this.c.fresh('q');
    const re = this.c.ref(pattern);
    // At an instant site the byte module checks and notes the instant in one pass (overBytes).
    const mark = iso === 'isoDateTimeOffsetBytes' && this.isInstantSite(where) ? `instant ${out}` : iso;
    return `if (s.charCodeAt(p) !== 34) return;\nconst ${q} = quoteEnd(s, p);\nif (${q} < 0) return;\n${out} = s.slice(p + 1, ${q});\nif (!(${re}.test(${out}) /*${mark} p + 1, ${q}*/)) return;\np = ${q} + 1;`;
  }

  /** The instant site's key in an item: read by the item's own reader, or its union's dispatcher (`|label`). */
  private isInstantSite(where: string): boolean {
    const site = this.instants;
    if (site === undefined) return false;
    const item = `.${site.array}[]`;
    const key = `.${site.key}`;
    if (!where.startsWith(item) || !where.endsWith(key)) return false;
    const between = where.slice(item.length, where.length - key.length);
    return between === '' || /^\|[^.[\]{}<>|]+$/.test(between);
  }

  /** Enums and literals of plain strings: matched in place, the value is the schema's own constant. */
  emitConstants(schema: Schema, out: string, where: string): string {
    const def = defOf(schema);
    const values = def.type === 'enum' ? [...(schema._zod.values ?? [])] : ((def.values as unknown[] | undefined) ?? []);
    if (values.length === 0 || !values.every(isPrimitiveLiteral)) throw new UnsupportedSchemaError(where, 'a literal or enum that is not a string, finite number, boolean or null');
    const cond = this.c.condition(schema, out, where)!;
    const quoted = values.map((v) => (typeof v === 'string' ? plainQuoted(v) : null));
    if (quoted.some((x) => x === null)) return `${this.emitAny(out)}\nif (!(${cond})) return;`;
    const tests = values.map((v) => `if (${matches(`"${v as string}"`, 'p', 1)}) { ${out} = ${literalSource(v as string)}; p += ${(v as string).length + 2}; }`);
    // A value matched in place is one of the constants: only refinements are left to check.
    return `if (s.charCodeAt(p) !== 34) return;\n${tests.join('\nelse ')}\nelse return;${this.c.checkStatements(schema, out, where)}`;
  }

  /** `open`: the items without their brackets, up to the end of the text (readParts' parts). */
  emitArray(schema: Schema, out: string, where: string, open = false): string {
    const def = defOf(schema);
    const { min, max, custom } = this.c.arrayChecks(schema, where);
    const a = this.c.fresh('a');
    const n = this.c.fresh('n');
    // Elements gather in a scratch array of this schema's own (an array schema cannot hold itself
    // without z.lazy, which is refused) and leave as a copy: V8 pretenured a `[]` literal here (its
    // arrays and all they point to then went to old space: 3x the time in GC).
    const scratch = this.c.ref([]);
    const e = this.c.fresh('e');
    const d = this.c.fresh('d');
    const element = this.emit(def.element as Schema, e, `${where}[]`);
    // The instant site's array: each item's index for its instant, and the memo once all are read.
    const site = this.instants !== undefined && where === `.${this.instants.array}`;
    const item = site ? `/*item ${n}*/\n` : '';
    const remember = site ? `\n/*remember ${a} ${n}*/` : '';
    const checks = custom.length === 0 ? '' : `\nif (!(${custom.map((c) => this.c.customCheck(c, a)).join(' && ')})) return;`;
    // Open: no brackets; the items end where the text does.
    const start = open ? `let ${n} = 0;\nif (p < s.length) ` : `if (s.charCodeAt(p) !== 91) return;\np = ws(s, p + 1);\nlet ${n} = 0;\nif (s.charCodeAt(p) === 93) p++;\nelse `;
    const end = open ? `else if (p >= s.length) break;` : `else if (${d} === 93) { p++; break; }`;
    return (
      `${start}for (;;) {\nlet ${e};\n${item}${element}\n${scratch}[${n}++] = ${e};\n` +
      (max === Infinity ? '' : `if (${n} > ${max}) return;\n`) +
      `p = ws(s, p);\nconst ${d} = s.charCodeAt(p);\nif (${d} === 44) p = ws(s, p + 1);\n${end}\nelse return;\n}` +
      (min > 0 ? `\nif (${n} < ${min}) return;` : '') +
      `\nconst ${a} = ${scratch}.slice(0, ${n});${checks}${remember}\n${out} = ${a};`
    );
  }

  emitRecord(schema: Schema, out: string, where: string): string {
    const def = defOf(schema);
    const keyType = def.keyType as Schema;
    if (def.mode !== undefined && def.mode !== 'strict') throw new UnsupportedSchemaError(where, `a ${String(def.mode)} record`);
    if (def.partial) throw new UnsupportedSchemaError(where, 'a partial record');
    if (defOf(keyType).type !== 'string' || keyType._zod.values !== undefined) throw new UnsupportedSchemaError(where, 'a record whose keys are not plain strings');
    const o = this.c.fresh('o');
    const k = this.c.fresh('k');
    const q = this.c.fresh('q');
    const e = this.c.fresh('e');
    const d = this.c.fresh('d');
    const keyCond = this.c.stringCondition(keyType, k, `${where}<key>`);
    const value = this.emit(def.valueType as Schema, e, `${where}{}`);
    // A key already there (a duplicate, or an inherited name such as `constructor`) and `__proto__` give up.
    return (
      `if (s.charCodeAt(p) !== 123) return;\np = ws(s, p + 1);\nconst ${o} = {};\n` +
      `if (s.charCodeAt(p) === 125) p++;\nelse for (;;) {\nif (s.charCodeAt(p) !== 34) return;\n` +
      `const ${q} = stringEnd(s, p);\nif (${q} < 0) return;\nconst ${k} = s.slice(p + 1, ${q});\n` +
      `if (${k} === '__proto__' || ${o}[${k}] !== undefined || !(${keyCond})) return;\n` +
      `p = ws(s, ${q} + 1);\nif (s.charCodeAt(p) !== 58) return;\np = ws(s, p + 1);\nlet ${e};\n${value}\n${o}[${k}] = ${e};\n` +
      `p = ws(s, p);\nconst ${d} = s.charCodeAt(p);\nif (${d} === 44) p = ws(s, p + 1);\nelse if (${d} === 125) { p++; break; }\nelse return;\n}` +
      `${this.c.checkStatements(schema, o, where)}\n${out} = ${o};`
    );
  }

  /**
   * A discriminated union of objects. Members usually open with the fields every option shares (the
   * same schema objects: an event's id, at, recordedAt, meta) and then the discriminator: a dispatcher
   * reads those once, matches the discriminator's literal and hands them to that option's reader, which
   * goes on from there. Any other key before the discriminator: a scan of the object's top level finds
   * it (keyValueAt) and the option's reader reads the object from its brace.
   */
  emitDiscriminated(schema: Schema, out: string, where: string): string {
    const def = defOf(schema);
    if (def.unionFallback) throw new UnsupportedSchemaError(where, 'a discriminated union with unionFallback');
    const key = def.discriminator as string;
    const quotedKey = plainQuoted(key);
    if (quotedKey === null) throw new UnsupportedSchemaError(where, `a discriminator '${key}' that JSON escapes`);
    const options = def.options as Schema[];
    const labels: string[][] = [];
    for (const [n, option] of options.entries()) {
      if (defOf(option).type !== 'object') throw new UnsupportedSchemaError(`${where}|${n}`, 'a discriminated-union option that is not an object');
      const values = (option._zod as { propValues?: Record<string, Set<unknown>> }).propValues?.[key];
      if (values === undefined || values.size === 0 || ![...values].every((v) => typeof v === 'string' && plainQuoted(v) !== null)) {
        throw new UnsupportedSchemaError(`${where}|${n}`, `discriminator '${key}' is not a set of plain string literals`);
      }
      labels.push([...values] as string[]);
    }
    const shapes = options.map((o) => defOf(o).shape as Record<string, Schema>);
    const common = Object.keys(shapes[0]!).filter((k) => k !== key && k !== '__proto__' && plainQuoted(k) !== null && shapes.every((sh) => Object.hasOwn(sh, k) && sh[k] === shapes[0]![k]));
    // The discriminator itself is handed over as its literal: only when the field is a bare literal.
    const bare = shapes.every((sh) => defOf(sh[key]!).type === 'literal' && (defOf(sh[key]!).checks ?? []).length === 0);
    const name = this.c.fresh('dispatch');
    const at = 'at';
    const full: string[] = [];
    const rest: string[] = [];
    options.forEach((option, n) => {
      const fn = this.objectFunction(option, `${where}|${labels[n]![0]!}`, []);
      full.push(`if (${labels[n]!.map((v) => `(${matches(`"${v}"`, at)})`).join(' || ')}) return ${fn}();`);
      if (!bare) return;
      const cont = this.objectFunction(option, `${where}|${labels[n]![0]!}`, [], [...common, key]);
      for (const v of labels[n]!) rest.push(`if (${matches(`"${v}"`, 'p', 1)}) { P = p + ${v.length + 2}; return ${cont}(${common.map((_, i) => `c${i}`).join(', ')}${common.length > 0 ? ', ' : ''}${literalSource(v)}); }`);
    });
    const scan = `const ${at} = keyValueAt(s, p0, ${quotedKey});\nif (${at} < 0) return;\nP = p0;\n${full.join('\nelse ')}\nreturn;`;
    let body: string;
    if (!bare) {
      body = `const s = S;\nconst p0 = P;\n${scan}`;
    } else {
      const byFirst = new Map<number, { k: string; n: number }[]>();
      [...common, key].forEach((k, n) => byFirst.set(k.charCodeAt(0), [...(byFirst.get(k.charCodeAt(0)) ?? []), { k, n }]));
      const cases = [...byFirst].map(([first, list]) => `case ${first}:\n${list.map(({ k, n }) => `if (${matches(`"${k}"`, 'p', 2)}) { k = ${n}; p += ${k.length + 2}; }`).join('\nelse ')}\nbreak;`);
      const reads = common.map((k, i) => `case ${i}:\nif (c${i} !== undefined) return;\n${this.emit(shapes[0]![k]!, `c${i}`, `${where}.${k}`)}\nbreak;`);
      body = [
        'const s = S;',
        'const p0 = P;',
        'let p = p0;',
        ...common.map((_, i) => `let c${i};`),
        'if (s.charCodeAt(p) !== 123) return;',
        'p = ws(s, p + 1);',
        'for (;;) {',
        'if (s.charCodeAt(p) !== 34) break;',
        'let k = -1;',
        `switch (s.charCodeAt(p + 1)) {\n${cases.join('\n')}\n}`,
        'if (k < 0) break;',
        'p = ws(s, p);\nif (s.charCodeAt(p) !== 58) return;\np = ws(s, p + 1);',
        `if (k === ${common.length}) {\nif (s.charCodeAt(p) !== 34) return;\n${rest.join('\n')}\nreturn;\n}`,
        `switch (k) {\n${reads.join('\n')}\n}`,
        'p = ws(s, p);\nif (s.charCodeAt(p) !== 44) return;\np = ws(s, p + 1);',
        '}',
        scan,
      ].join('\n');
    }
    this.functions.push(`function ${name}() {\n${body}\n}`);
    return `P = p;\n${out} = ${name}();\nif (${out} === undefined) return;\np = P;${this.c.checkStatements(schema, out, where)}`;
  }

  /**
   * One generated function per object schema, reading the object at p. `injected` fields (root only)
   * come from the function's argument instead of the text.
   */
  objectFunction(schema: Schema, where: string, injected: readonly string[], preset: readonly string[] = []): string {
    const cache = preset.length === 0 ? this.functionOf : this.continuationOf;
    const known = injected.length === 0 ? cache.get(schema) : undefined;
    if (known !== undefined) return known;
    const name = this.c.fresh(preset.length === 0 ? 'object' : 'rest');
    if (injected.length === 0) cache.set(schema, name);
    const def = defOf(schema);
    const shape = def.shape as Record<string, Schema>;
    if (Object.getOwnPropertySymbols(shape).length > 0) throw new UnsupportedSchemaError(where, 'symbol keys');
    const keys = Object.keys(shape);
    const catchall = def.catchall as Schema | undefined;
    // Stripping objects drop unknown keys; reading them would need a skip: only strict objects are compiled.
    if (catchall === undefined || defOf(catchall).type !== 'never') throw new UnsupportedSchemaError(where, 'an object that is not strict');
    for (const key of injected) if (!keys.includes(key)) throw new UnsupportedSchemaError(where, `injected field '${key}' is not in the shape`);
    const lines: string[] = [];
    const decl: string[] = [];
    const byFirst = new Map<number, { key: string; n: number }[]>();
    const reads: string[] = [];
    const build: string[] = [];
    keys.forEach((key, n) => {
      if (key === '__proto__') throw new UnsupportedSchemaError(where, "a '__proto__' key");
      const quoted = plainQuoted(key);
      if (quoted === null) throw new UnsupportedSchemaError(where, `a key '${key}' that JSON escapes`);
      const field = shape[key]!;
      const at = `${where === '(root)' ? '' : where}.${key}`;
      const r = `r${n}`;
      const f = `f${n}`;
      const j = injected.indexOf(key);
      const pre = preset.indexOf(key);
      decl.push(j >= 0 ? `const ${r} = injected[${j}], ${f} = true;` : pre >= 0 ? `let ${r} = pv${pre}, ${f} = ${r} !== undefined;` : `let ${r}, ${f} = false;`);
      if (j < 0) {
        const first = key.charCodeAt(0);
        byFirst.set(first, [...(byFirst.get(first) ?? []), { key, n }]);
        reads.push(`case ${n}:\nif (${f}) return;\n${f} = true;\n${this.emit(field, r, at)}\nbreak;`);
      }
      const optin = field._zod.optin;
      const optout = field._zod.optout;
      if (optin === undefined) {
        build.push(`if (!${f}) return;\no[${JSON.stringify(key)}] = ${r};`);
      } else if (optin === 'optional' && optout === 'optional') {
        build.push(`if (${f}) o[${JSON.stringify(key)}] = ${r};`);
      } else if (optin === 'defaulted' && optout === undefined) {
        build.push(`o[${JSON.stringify(key)}] = ${f} ? ${r} : ${this.c.ref(defOf(field))}.defaultValue;`);
      } else {
        throw new UnsupportedSchemaError(at, `a field that is optional-in '${String(optin)}' and optional-out '${String(optout)}'`);
      }
    });
    const cases = [...byFirst].map(([first, list]) => {
      const tests = list.map(({ key, n }) => `if (${matches(`"${key}"`, 'p', 2)}) { k = ${n}; p += ${key.length + 2}; }`);
      return `case ${first}:\n${tests.join('\nelse ')}\nelse return;\nbreak;`;
    });
    const member = [
      `if (s.charCodeAt(p) !== 34) return;`,
      `let k = -1;`,
      `switch (s.charCodeAt(p + 1)) {\n${cases.join('\n')}\ndefault: return;\n}`,
      `p = ws(s, p);\nif (s.charCodeAt(p) !== 58) return;\np = ws(s, p + 1);`,
      `switch (k) {\n${reads.join('\n')}\ndefault: return;\n}`,
    ];
    const separator = `p = ws(s, p);\nconst c = s.charCodeAt(p);\nif (c === 44) p = ws(s, p + 1);\nelse if (c === 125) { p++; break; }\nelse return;`;
    lines.push(
      'const s = S;',
      'let p = P;',
      ...decl,
      // A continuation starts after a value its caller read (the preset ones); else at the opening brace.
      ...(preset.length > 0
        ? ['for (;;) {', separator, ...member, '}']
        : [`if (s.charCodeAt(p) !== 123) return;`, `p = ws(s, p + 1);`, `if (s.charCodeAt(p) === 125) p++;`, `else for (;;) {`, ...member, separator, '}']),
      // Keys written one by one in shape order, as zod writes them (see fast-parse on object literals).
      'const o = {};',
      ...build,
      `${this.c.checkStatements(schema, 'o', where)}\nP = p;\nreturn o;`,
    );
    // Preset values come as arguments: an array literal here was pretenured by V8 (see emitArray).
    const params = injected.length > 0 ? 'injected' : preset.map((_, i) => `pv${i}`).join(', ');
    this.functions.push(`function ${name}(${params}) {\n${lines.join('\n')}\n}`);
    return name;
  }

  /** A function reading the items of the array `schema` from p to the end of the text, without brackets, or undefined. */
  itemsFunction(schema: Schema, where: string): string {
    const def = defOf(schema);
    if (def.type === 'optional' || def.type === 'default') {
      this.c.noChecks(schema, where);
      return this.itemsFunction(def.innerType as Schema, where);
    }
    if (def.type !== 'array') throw new UnsupportedSchemaError(where, 'an injected field that is not an array');
    const name = this.c.fresh('items');
    this.functions.push(`function ${name}() {\nconst s = S;\nlet p = P;\nlet out;\n${this.emitArray(schema, 'out', where, true)}\nP = p;\nreturn out;\n}`);
    return name;
  }

  build(root: Schema, injected: readonly string[]): TextReader<unknown> {
    const def = defOf(root);
    if (def.type !== 'object') throw new UnsupportedSchemaError('(root)', 'a root that is not an object');
    const rootFn = this.objectFunction(root, '(root)', []);
    const shape = def.shape as Record<string, Schema>;
    const partFns = injected.map((k) => {
      if (shape[k] === undefined) throw new UnsupportedSchemaError('(root)', `injected field '${k}' is not in the shape`);
      return this.itemsFunction(shape[k], `.${k}`);
    });
    const partsFn = injected.length > 0 ? this.objectFunction(root, '(root)', injected) : 'undefined';
    // Whitespace is rare between tokens: a call only when there is some.
    const functions = this.functions.join('\n').replace(/p = ws\(s, ([^;]+)\);/g, '{ p = $1; if (s.charCodeAt(p) <= 32) p = ws(s, p); }');
    const text = this.module(functions, rootFn, partsFn, partFns, false) as TextReader<unknown>;
    const bytes = this.module(overBytes(functions), rootFn, partsFn, partFns, true) as ByteReader;
    return {
      read: text.read,
      readParts: (main, parts, b) => (b !== undefined && sameLengths(main, parts, b) ? bytes.readParts(main, parts, b) : text.readParts(main, parts)),
      readAt: (s, from, b) => (b !== undefined && b.length === s.length ? bytes.readAt(s, from, b) : text.readAt(s, from)),
      readAscii: (s, b) => (b.length === s.length ? bytes.read(s, b) : text.read(s)),
    };
  }

  /** The generated module: the functions and the entry points, scanning the text or (`bytes`) its bytes. */
  private module(functions: string, rootFn: string, partsFn: string, partFns: string[], bytes: boolean): unknown {
    const scope = this.c.refs.map((_, i) => `const R${i} = refs[${i}];`).join('\n');
    const helpers = Object.keys(HELPERS).map((k) => `const ${k} = helpers.${k};`).join('\n');
    const scan = Object.keys(SCAN).map((k) => `const ${k} = scan.${k};`).join('\n');
    // The byte module's entry points take the bytes too, and let them go afterwards.
    const setB = bytes ? ' B = b;' : '';
    const resetB = bytes ? ' B = NO_BYTES;' : '';
    const entries = bytes
      ? `read(text, b) {
    B = b;
    try {
      return whole(text, ${rootFn});
    } finally {
      B = NO_BYTES;
    }
  },
  readParts(main, parts, b) {
    try {
      for (let i = 0; i < partReaders.length; i++) {
        B = b[i + 1];
        const v = whole(parts[i] ?? '', partReaders[i]);
        if (v === undefined) return undefined;
        injected[i] = v;
      }
      B = b[0];
      return whole(main, ${partsFn}, injected);
    } finally {
      injected.fill(undefined);
      B = NO_BYTES;
    }
  },`
      : `read(text, from = 0, to = text.length) {
    return whole(from === 0 && to === text.length ? text : text.slice(from, to), ${rootFn});
  },
  readParts(main, parts) {
    // A scratch array, not a literal: V8 pretenured the literal (see emitArray).
    try {
      for (let i = 0; i < partReaders.length; i++) {
        const v = whole(parts[i] ?? '', partReaders[i]);
        if (v === undefined) return undefined;
        injected[i] = v;
      }
      return whole(main, ${partsFn}, injected);
    } finally {
      injected.fill(undefined);
    }
  },`;
    const source = `'use strict';
${helpers}
${scan}
${scope}
// The text and the position between generated functions; each works on local copies.
let S = '';
let P = 0;
${bytes ? BYTE_SCOPE : ''}
${functions}
const partReaders = [${partFns.join(', ')}];
const injected = new Array(partReaders.length).fill(undefined);
/** The whole of t read by fn, or undefined; t is let go afterwards. */
function whole(t, fn, arg) {
  if (t.indexOf('\\\\') >= 0) return undefined; // an escape: JSON.parse decodes it
  S = t;
  try {
    P = ws(t, 0);
    const out = fn(arg);
    return out !== undefined && ws(t, P) === t.length ? out : undefined;
  } catch {
    return undefined; // e.g. nesting deeper than the stack: JSON.parse and zod answer
  } finally {
    S = '';
  }
}
return {
  ${entries}
  readAt(text, from${bytes ? ', b' : ''}) {
    S = text;${setB}
    try {
      P = ws(text, from);
      const out = ${rootFn}();
      if (out !== undefined) cursor.at = P;
      return out;
    } catch {
      return undefined;
    } finally {
      S = '';${resetB}
    }
  },
};`;
    const factory = new Function('refs', 'helpers', 'scan', source) as (refs: unknown[], helpers: typeof HELPERS, scan: typeof SCAN) => unknown;
    return factory(this.c.refs, HELPERS, SCAN);
  }
}

/**
 * The byte module's own state: the bytes, and the instant site's scratch (the item being read, and each
 * item's `at` and instant; a slot an item leaves unwritten keeps an earlier pair, which still agree).
 */
const BYTE_SCOPE = `// The text's bytes (byte mode): B[i] is S.charCodeAt(i).
const NO_BYTES = new Uint8Array(0);
let B = NO_BYTES;
let TI = 0;
const TAT = [];
const TMS = [];
/** Notes an item's date-time and its instant; false when it does not match (NaN). */
function noteInstant(at, ms) {
  TAT[TI] = at;
  TMS[TI] = ms;
  return ms === ms;
}`;

/** Each text has as many bytes as chars (bytes[0]: main's, then each part's; a null part is empty). */
function sameLengths(main: string, parts: readonly (string | null)[], bytes: readonly Uint8Array[]): boolean {
  if (bytes.length !== parts.length + 1 || bytes[0]!.length !== main.length) return false;
  for (let i = 0; i < parts.length; i++) if (bytes[i + 1]!.length !== (parts[i]?.length ?? 0)) return false;
  return true;
}

/**
 * The generated functions rewritten to scan the bytes: every char read becomes a byte read and every
 * token reader its byte twin (readAny and keyValueAt, for rare values, keep reading the text: the same
 * positions). Throws when a char read is left, so a new construct in the generator cannot slip by.
 */
function overBytes(functions: string): string {
  const out = functions
    .replace(/const s = S;/g, 'const s = S;\nconst b = B;')
    .replace(/\bs\.charCodeAt\(([^()]*)\)/g, 'b[$1]')
    .replace(/\bws\(s, /g, 'wsB(b, ')
    .replace(/\bstringEnd\(s, /g, 'stringEndB(b, ')
    .replace(/\bquoteEnd\(s, /g, 'quoteEndB(b, ')
    .replace(/\breadNumber\(s, /g, 'readNumberB(b, s, ')
    .replace(/\bR\d+\.test\(\w+\) \/\*(isoDateBytes|isoDateTimeOffsetBytes) ([^*]+)\*\//g, '$1(b, $2)')
    .replace(/\bR\d+\.test\(\w+\) \/\*instant (\w+) ([^*]+)\*\//g, 'noteInstant($1, isoInstantOffsetBytes(b, $2))')
    .replace(/\/\*item (\w+)\*\//g, 'TI = $1;')
    .replace(/\/\*remember (\w+) (\w+)\*\//g, 'rememberInstants($1, TAT, TMS, $2);');
  if (/charCodeAt|\b(ws|stringEnd|quoteEnd|readNumber)\(|\/\*(iso|instant|item|remember)/.test(out)) throw new UnsupportedSchemaError('(root)', 'generated code the byte mode does not rewrite');
  return out;
}

/**
 * Compile `schema` (a strict object) into a text reader; `injected` names fields that readParts takes
 * as texts of their own; `instants`, an array whose items' date-times the byte mode remembers
 * (instant-memo.ts). Throws UnsupportedSchemaError for constructs it does not understand.
 */
export function compileTextReader<S extends z.ZodType>(schema: S, injected: readonly string[] = [], instants?: InstantSite): TextReader<z.output<S>> {
  const root = schema as unknown as Schema;
  if (root._zod.optin !== undefined || acceptsUndefined(root)) throw new UnsupportedSchemaError('(root)', 'a root schema that can output undefined');
  return new TextCompiler(instants).build(root, injected) as TextReader<z.output<S>>;
}
