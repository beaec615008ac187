// Differential tests: the compiled validator against zod's safeParse, the reference. Whenever the fast path
// answers it must be exactly zod's data (same values, same keys in the same order, defaults applied); the
// wired parsers (fast path, then zod) must always equal zod, errors included.
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileFastParse, fastSafeParse, tryCompileFastParse, UnsupportedSchemaError } from '../../../src/domain/history/fast-parse.js';
import { LabelledSnapshot, LoanEvent, LoanHistory } from '../../../src/domain/history/schema.js';
import { historyValidatorKind, parseEvent, parseHistory, parseSnapshot, parseWithZod } from '../../../src/domain/history/validate.js';
import { historyArb } from '../../support/history-arbitrary.js';
import { EVERY_EVENT, fullHistoryInput, mutate, mutationArb } from '../../support/history-mutation.js';

/** toStrictEqual, with node's much faster comparison first (the diff only when they differ). */
function same(actual: unknown, expected: unknown): void {
  if (!isDeepStrictEqual(actual, expected)) expect(actual).toStrictEqual(expected);
}

const fastHistory = compileFastParse(LoanHistory);
const fastEvent = compileFastParse(LoanEvent);
const fastSnapshot = compileFastParse(LabelledSnapshot);

/**
 * Whenever the fast path answers, it is zod's data exactly (values, keys and their order), and the input is
 * left as it was. Returns whether it answered.
 */
function agrees(fast: (raw: unknown) => unknown, schema: z.ZodType, raw: unknown): boolean {
  const reference = schema.safeParse(raw);
  const before = JSON.stringify(raw);
  const value = fast(raw);
  expect(JSON.stringify(raw)).toBe(before);
  if (value === undefined) return false;
  expect(reference.success).toBe(true);
  same(value, reference.data);
  expect(JSON.stringify(value)).toBe(JSON.stringify(reference.data));
  return true;
}

const validInputArb = fc.oneof(
  historyArb({ maxEvents: 12 }),
  fc.tuple(fc.boolean(), fc.subarray([...EVERY_EVENT])).map(([explicit, events]) => ({ ...fullHistoryInput(explicit), events })),
);

describe('compiled loan-history validator', () => {
  it('compiles the shipped contract (the service warns at start-up when it does not)', () => {
    expect(historyValidatorKind()).toBe('compiled');
  });

  it('answers every committed sample history, exactly as zod does', () => {
    const lines = gunzipSync(readFileSync('data/sample/histories.ndjson.gz')).toString('utf8').split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(1000);
    for (const line of lines) expect(agrees(fastHistory, LoanHistory, JSON.parse(line))).toBe(true);
  });

  it('answers valid histories (every field, defaults given or left out) exactly as zod does', () => {
    expect(agrees(fastHistory, LoanHistory, fullHistoryInput(true))).toBe(true);
    expect(agrees(fastHistory, LoanHistory, fullHistoryInput(false))).toBe(true);
    fc.assert(fc.property(validInputArb, (raw) => agrees(fastHistory, LoanHistory, raw)), { numRuns: 200 });
  });

  it('never accepts what zod rejects, nor returns other data, under mutation at any level', () => {
    fc.assert(
      fc.property(validInputArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (valid, mutations) => {
        const raw = mutations.reduce<unknown>((value, m) => mutate(value, m), valid);
        agrees(fastHistory, LoanHistory, raw);
        const reference = parseWithZod(LoanHistory, raw, ['x']);
        same(parseHistory(raw, ['x']), reference);
      }),
      { numRuns: 1500 },
    );
  });

  it('decides events and labelled snapshots as zod does', () => {
    for (const event of EVERY_EVENT) expect(agrees(fastEvent, LoanEvent, event)).toBe(true);
    const snapshot = { asOf: '2025-06-01T00:00:00+08:00', label: 1, horizonDays: 90, history: fullHistoryInput(false) };
    expect(agrees(fastSnapshot, LabelledSnapshot, snapshot)).toBe(true);
    fc.assert(
      fc.property(fc.constantFrom(...EVERY_EVENT), fc.array(mutationArb, { maxLength: 2 }), (valid, mutations) => {
        const raw = mutations.reduce<unknown>((value, m) => mutate(value, m), valid);
        agrees(fastEvent, LoanEvent, raw);
        same(parseEvent(raw), parseWithZod(LoanEvent, raw));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.array(mutationArb, { maxLength: 2 }), (mutations) => {
        const raw = mutations.reduce<unknown>((value, m) => mutate(value, m), snapshot);
        agrees(fastSnapshot, LabelledSnapshot, raw);
        same(parseSnapshot(raw), parseWithZod(LabelledSnapshot, raw));
      }),
      { numRuns: 300 },
    );
  });

  it('rejects the cases the contract names, leaving the message to zod', () => {
    const base = fullHistoryInput(false);
    const cases: unknown[] = [
      { ...base, timeZone: 'Mars/Olympus' },
      { ...base, schedule: [base.schedule![0], { ...base.schedule![1]!, seq: 2 }] },
      { ...base, events: [{ ...EVERY_EVENT[0]!, at: '2025-02-30T10:00:00Z' }] },
      { ...base, events: [{ ...EVERY_EVENT[0]!, at: '2025-02-05T24:00:00+08:00' }] },
      { ...base, events: [{ ...EVERY_EVENT[0]!, type: 'teleport' }] },
      { ...base, borrower: { ...base.borrower, age: 15 } },
      { ...base, loanId: '😀'.repeat(129) },
      JSON.parse(`{"__proto__": {"loanId": "x"}, ${JSON.stringify(base).slice(1)}`),
    ];
    for (const raw of cases) {
      expect(fastHistory(raw)).toBeUndefined();
      expect(LoanHistory.safeParse(raw).success).toBe(false);
    }
    // Code points, not UTF-16 units, as zod counts: 128 emoji are 256 units and still a valid id.
    expect(agrees(fastHistory, LoanHistory, { ...base, loanId: '😀'.repeat(128) })).toBe(true);
  });

  it('returns fresh objects: the parsed value shares no container with the input except under meta', () => {
    const raw = fullHistoryInput(true);
    const value = fastHistory(raw)!;
    expect(value).not.toBe(raw);
    expect(value.schedule).not.toBe(raw.schedule);
    expect(value.events[0]).not.toBe(raw.events![0]);
    expect(value.borrower.attributes).not.toBe(raw.borrower.attributes);
    // As with zod, what sits under z.unknown() is the input's own.
    expect(value.meta!.tags).toBe(raw.meta!.tags);
    expect(LoanHistory.parse(raw).meta!.tags).toBe(raw.meta!.tags);
    const first = fastHistory(fullHistoryInput(false))!;
    const second = fastHistory(fullHistoryInput(false))!;
    expect(first.borrower.attributes).toEqual({});
    expect(first.borrower.attributes).not.toBe(second.borrower.attributes);
  });
});

describe('the validator compiler', () => {
  it('refuses what it does not understand, naming where', () => {
    const unsupported: [z.ZodType, RegExp][] = [
      [z.object({ a: z.string().trim() }), /\.a: string check 'overwrite'/],
      [z.object({ a: z.string().transform((s) => s.length) }), /\.a: zod type 'pipe'/],
      [z.strictObject({ list: z.array(z.email()) }), /\.list\[\]: string format 'email'/],
      [z.looseObject({ a: z.string() }), /a loose object/],
      [z.object({ n: z.coerce.number() }), /coerced number/],
      [z.object({ n: z.number().multipleOf(5) }), /number check 'multiple_of'/],
      [z.object({ u: z.union([z.object({ a: z.string() }), z.string()]) }), /union of non-primitive/],
      [z.object({ d: z.date() }), /zod type 'date'/],
      [z.object({ l: z.lazy(() => z.string()) }), /zod type 'lazy'/],
      [z.string().optional(), /root schema that can output undefined/],
    ];
    for (const [schema, message] of unsupported) {
      expect(() => compileFastParse(schema)).toThrow(UnsupportedSchemaError);
      expect(() => compileFastParse(schema)).toThrow(message);
      expect(tryCompileFastParse(schema)).toBeUndefined();
    }
  });

  it('compiles what it supports, and refinements run through zod', () => {
    const even = z.strictObject({ n: z.number().int().refine((n) => n % 2 === 0), s: z.string().regex(/^a+$/g).optional(), l: z.literal(['x', 'y']).default('x') });
    const fast = compileFastParse(even);
    for (const raw of [{ n: 2 }, { n: 3 }, { n: 2, s: 'aaa' }, { n: 2, s: 'b' }, { n: 2, s: undefined }, { n: 4, l: 'y' }, { n: 4, l: 'z' }, { n: 2.5 }, { n: 2, extra: 1 }]) {
      const reference = even.safeParse(raw);
      const value = fast(raw);
      if (reference.success) expect(value).toStrictEqual(reference.data);
      else expect(value).toBeUndefined();
    }
  });

  it('calls a function default each time, as zod does', () => {
    let next = 0;
    const counted = z.strictObject({ n: z.number().default(() => next++) });
    const fast = compileFastParse(counted);
    expect([fast({})?.n, counted.parse({}).n, fast({})?.n, fast({ n: 7 })?.n]).toEqual([0, 1, 2, 7]);
  });

  it('gives a safeParse drop-in: compiled answers, zod for rejections and for schemas that do not compile', () => {
    const item = z.strictObject({ loanId: z.string().min(1), event: LoanEvent });
    const parse = fastSafeParse(item);
    const good = { loanId: 'L1', event: EVERY_EVENT[3] };
    expect(parse(good)).toStrictEqual(item.safeParse(good));
    const bad = { loanId: '', event: { ...EVERY_EVENT[3], channel: 'pigeon' } };
    const result = parse(bad);
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual(item.safeParse(bad).error?.issues);
    const trimmed = z.object({ a: z.string().trim() });
    expect(fastSafeParse(trimmed)({ a: ' x ' })).toStrictEqual({ success: true, data: { a: 'x' } });
  });
});
