// Differential tests of the text reader: whenever it answers, its value is exactly what
// parseHistory(JSON.parse(text)) gives (deep equal, same key order, -0 kept); it never answers for text
// that JSON.parse or the contract refuse; and on plain histories it always answers (else it is useless).
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { historyFromParts } from '../../../src/batch/history-sql.js';
import { UnsupportedSchemaError } from '../../../src/domain/history/fast-parse.js';
import { LoanHistory } from '../../../src/domain/history/schema.js';
import { parseInstant } from '../../../src/domain/history/calendar.js';
import { eventInstantsOf } from '../../../src/domain/history/instant-memo.js';
import { compileTextReader } from '../../../src/domain/history/text-read.js';
import { cursor } from '../../../src/domain/history/text-scan.js';
import { historyTextReader, readHistoryAscii, readHistoryAt, readHistoryParts, readHistoryText } from '../../../src/domain/history/text-history.js';
import { parseHistory } from '../../../src/domain/history/validate.js';
import { generatePortfolio } from '../../../src/synth/portfolio.js';
import { historyArb } from '../../support/history-arbitrary.js';
import { EVERY_EVENT, fullHistoryInput, mutate, mutationArb } from '../../support/history-mutation.js';

/** What the reader must give for `text`: the validated value, or null when JSON.parse or the contract refuse it. */
function reference(text: string): unknown {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = parseHistory(raw);
  return parsed.ok ? parsed.value : null;
}

/** The byte mode (the text's UTF-8 bytes scanned, when it is ASCII) answers exactly what the text mode answers. */
function bytesAgree(text: string): void {
  const viaText = readHistoryText(text);
  const viaBytes = readHistoryAscii(text, Buffer.from(text, 'utf8'));
  if (!isDeepStrictEqual(viaBytes, viaText)) expect(viaBytes).toStrictEqual(viaText);
  if (viaText !== undefined) expect(eventInstantsOf(viaText.events)).toBeUndefined();
  if (viaBytes !== undefined && Buffer.byteLength(text) === text.length) instantsRemembered(viaBytes);
}

/**
 * A history the byte mode read: its memo holds every event's own `at` string and parseInstant's instant
 * of it (no events: the array may be the contract's default, not read, and then has none).
 */
function instantsRemembered(h: LoanHistory): void {
  const memo = eventInstantsOf(h.events);
  if (h.events.length === 0 && memo === undefined) return;
  expect(memo).toBeDefined();
  expect(memo!.at.length).toBe(h.events.length);
  expect(memo!.ms.length).toBe(h.events.length);
  h.events.forEach((e, i) => {
    expect(memo!.at[i]).toBe(e.at);
    expect(Object.is(memo!.ms[i], parseInstant(e.at))).toBe(true);
  });
}

/** The reader either gives up or gives the reference exactly. Returns whether it answered. */
function agrees(text: string, value: unknown = readHistoryText(text), expected: unknown = reference(text)): boolean {
  if (text !== '') bytesAgree(text);
  if (value === undefined) return false;
  expect(expected).not.toBeNull();
  if (!isDeepStrictEqual(value, expected)) expect(value).toStrictEqual(expected);
  expect(JSON.stringify(value)).toBe(JSON.stringify(expected));
  return true;
}

/** A small deterministic choice source for the writer, seeded by fast-check. */
function chooser(seed: number): (n: number) => number {
  let x = seed >>> 0 || 1;
  return (n) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

const SPACES = ['', ' ', '\n', '\t', '\r\n  '];

/** JSON text of `value` as another writer might write it: keys shuffled, whitespace, numbers and strings spelt differently. */
function writeJson(value: unknown, pick: (n: number) => number): string {
  const sp = (): string => (pick(4) === 0 ? SPACES[pick(SPACES.length)]! : '');
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return 'null';
    if (Object.is(value, -0)) return '-0';
    switch (pick(6)) {
      case 0:
        return value.toExponential().replace('e+', pick(2) === 0 ? 'e' : 'E+');
      case 1:
        return Number.isInteger(value) && Math.abs(value) < 1e15 ? `${value}.${'0'.repeat(1 + pick(3))}` : String(value);
      case 2:
        return String(value).includes('.') && !String(value).includes('e') ? `${value}0` : String(value);
      default:
        return String(value);
    }
  }
  if (typeof value === 'string') {
    if (pick(40) !== 0 || value.length === 0) return JSON.stringify(value);
    const i = pick(value.length);
    const escaped = pick(2) === 0 ? `\\u${value.charCodeAt(i).toString(16).padStart(4, '0')}` : value[i] === '/' ? '\\/' : JSON.stringify(value[i]).slice(1, -1);
    return `"${JSON.stringify(value.slice(0, i)).slice(1, -1)}${escaped}${JSON.stringify(value.slice(i + 1)).slice(1, -1)}"`;
  }
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${sp()}${value.map((v) => writeJson(v, pick)).join(`${sp()},${sp()}`)}${sp()}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (pick(3) === 0) {
    for (let i = entries.length - 1; i > 0; i--) {
      const j = pick(i + 1);
      [entries[i], entries[j]] = [entries[j]!, entries[i]!];
    }
  }
  return `{${sp()}${entries.map(([k, v]) => `${JSON.stringify(k)}${sp()}:${sp()}${writeJson(v, pick)}`).join(`${sp()},${sp()}`)}${sp()}}`;
}

const DAMAGE = ['', '{', '}', '[', ']', ',', ':', '"', '\\', ' ', '0', '-', '.', 'e', 'n', 't', '\u0001', '"loanId":"x",', '"seq":1,', '"type":"closed",'];

/** Text damaged at one place: truncated, a character replaced, or a token (a duplicate key...) inserted. */
const damageArb = fc.record({ kind: fc.constantFrom('truncate', 'replace', 'insert'), at: fc.nat(), token: fc.nat({ max: DAMAGE.length - 1 }) });
function damage(text: string, d: { kind: string; at: number; token: number }): string {
  const at = d.at % (text.length + 1);
  if (d.kind === 'truncate') return text.slice(0, at);
  if (d.kind === 'replace') return text.slice(0, at) + DAMAGE[d.token]! + text.slice(at + 1);
  return text.slice(0, at) + DAMAGE[d.token]! + text.slice(at);
}

const validInputArb = fc.oneof(
  historyArb({ maxEvents: 12 }),
  fc.tuple(fc.boolean(), fc.subarray([...EVERY_EVENT])).map(([explicit, events]) => ({ ...fullHistoryInput(explicit), events })),
);

const generated = (seed: number, n: number): string[] => [...generatePortfolio({ seed, start: '2024-01-01', months: 18, paths: 0 }, n)].map((l) => JSON.stringify(l.history));

describe('text reader of loan histories', () => {
  it('answers every committed sample history, as JSON.parse + parseHistory do', () => {
    const lines = gunzipSync(readFileSync('data/sample/histories.ndjson.gz')).toString('utf8').split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(1000);
    for (const line of lines) expect(agrees(line)).toBe(true);
  });

  it('answers every generated history (random seeds) and histories using every field', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (seed) => {
        for (const text of generated(seed, 20)) expect(agrees(text)).toBe(true);
      }),
      { numRuns: 10 },
    );
    expect(agrees(JSON.stringify(fullHistoryInput(true)))).toBe(true);
    expect(agrees(JSON.stringify(fullHistoryInput(false)))).toBe(true);
    fc.assert(fc.property(validInputArb, (raw) => agrees(JSON.stringify(raw))), { numRuns: 200 });
  });

  it('gives the reference or gives up on histories written differently (keys shuffled, whitespace, 1e2, 1.50, -0, escapes)', () => {
    let answered = 0;
    fc.assert(
      fc.property(validInputArb, fc.integer(), (raw, seed) => {
        if (agrees(writeJson(raw, chooser(seed)))) answered++;
      }),
      { numRuns: 400 },
    );
    // Only escapes make it give up: most of these must be answered.
    expect(answered).toBeGreaterThan(200);
  });

  it('keeps -0 and numbers bit for bit', () => {
    const text = JSON.stringify(fullHistoryInput(true)).replace('"balance":-12', '"balance":-0').replace('"apr":0.24', '"apr":2.4e-1').replace('"principal":5000', '"principal":5000.000');
    const value = readHistoryText(text) as { events: { balance?: number }[]; contract: { apr: number; principal: number } };
    expect(agrees(text, value)).toBe(true);
    expect(Object.is(value.events.find((e) => e.balance !== undefined)!.balance, -0)).toBe(true);
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), (x, seed) => {
        const h = fullHistoryInput(true) as { borrower: { attributes: Record<string, unknown> } };
        h.borrower.attributes = { x };
        const v = readHistoryText(writeJson(h, chooser(seed)));
        if (v !== undefined) expect(Object.is(v.borrower.attributes['x'], x)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('never answers for invalid histories: mutated values, unknown or __proto__ keys, damaged text', () => {
    fc.assert(
      fc.property(validInputArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 }), fc.integer(), (raw, mutations, seed) => {
        let value: unknown = raw;
        for (const m of mutations) value = mutate(value, m);
        agrees(writeJson(value, chooser(seed)));
        agrees(JSON.stringify(value));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(validInputArb, damageArb, (raw, d) => {
        agrees(damage(JSON.stringify(raw), d));
      }),
      { numRuns: 1000 },
    );
  });

  it('answers at the contract edges and never past them: array and string lengths, number bounds', () => {
    const base = fullHistoryInput(true) as unknown as Record<string, unknown> & { borrower: Record<string, unknown>; events: Record<string, unknown>[] };
    const withSchedule = (n: number) => ({ ...base, schedule: Array.from({ length: n }, (_, i) => ({ seq: i + 1, dueDate: '2025-02-05', amountDue: 1 })) });
    const withPlan = (n: number) => ({ ...base, events: [{ id: 'ao', type: 'arrangement_offered', at: '2025-03-06T09:00:00Z', arrangementId: 'A1', kind: 'plan', plan: Array.from({ length: n }, () => ({ dueDate: '2025-04-01', amount: 1 })) }] });
    const edges: [unknown, boolean][] = [
      [withSchedule(600), true],
      [withSchedule(601), false],
      [withPlan(120), true],
      [withPlan(121), false],
      [{ ...base, loanId: 'x'.repeat(128) }, true],
      [{ ...base, loanId: 'x'.repeat(129) }, false],
      [{ ...base, loanId: '😀'.repeat(128) }, true],
      [{ ...base, loanId: '😀'.repeat(129) }, false],
      [{ ...base, loanId: '' }, false],
      [{ ...base, borrower: { ...base.borrower, age: 16 } }, true],
      [{ ...base, borrower: { ...base.borrower, age: 15 } }, false],
      [{ ...base, borrower: { ...base.borrower, age: 16.5 } }, false],
      [{ ...base, borrower: { ...base.borrower, dependents: 21 } }, false],
    ];
    for (const [raw, valid] of edges) {
      const text = JSON.stringify(raw);
      expect(agrees(text)).toBe(valid);
      expect(reference(text) !== null).toBe(valid);
    }
  });

  it('gives up on duplicate keys (JSON.parse keeps the last) and reads a slice of a larger text', () => {
    const text = JSON.stringify(fullHistoryInput(true));
    expect(readHistoryText(text.replace('{"schemaVersion":1,', '{"schemaVersion":1,"loanId":"first",'))).toBeUndefined();
    expect(readHistoryText(text.replace('"bureau":612', '"bureau":612,"bureau":613'))).toBeUndefined();
    const body = `[${text},${text}]`;
    expect(agrees(text, readHistoryText(body, 1, 1 + text.length))).toBe(true);
    expect(readHistoryText(body, 1, 2 + text.length)).toBeUndefined();
  });

  it('reads the three texts of the flat tables (loan, schedule, events) as historyFromParts + parseHistory', () => {
    const split = (raw: Record<string, unknown>, pick: (n: number) => number) => {
      const { schedule, events, ...loan } = raw;
      // An array's items without its brackets, as the range query writes them (anything else: one item).
      const items = (v: unknown): string => {
        const text = writeJson(v, pick);
        return Array.isArray(v) ? text.slice(text.indexOf('[') + 1, text.lastIndexOf(']')) : text;
      };
      const part = (v: unknown): string | null => (v === undefined || (Array.isArray(v) && v.length === 0 && pick(2) === 0) ? null : items(v));
      return { loan: writeJson(loan, pick), schedule: part(schedule), events: part(events) };
    };
    const check = (parts: { loan: string; schedule: string | null; events: string | null }): boolean => {
      let expected: unknown;
      try {
        const parsed = parseHistory(historyFromParts(parts));
        expected = parsed.ok ? parsed.value : null;
      } catch {
        expected = null;
      }
      // readHistoryParts scans the texts' bytes when they are ASCII: the text mode answers the same.
      const viaBytes = readHistoryParts(parts);
      const viaText = historyTextReader()!.readParts(parts.loan, [parts.schedule, parts.events]);
      if (!isDeepStrictEqual(viaBytes, viaText)) expect(viaBytes).toStrictEqual(viaText);
      const ascii = [parts.loan, parts.schedule ?? '', parts.events ?? ''].every((t) => Buffer.byteLength(t) === t.length);
      if (viaBytes !== undefined && ascii) instantsRemembered(viaBytes);
      return agrees('', viaBytes, expected);
    };
    for (const text of generated(7, 50)) expect(check(split(JSON.parse(text) as Record<string, unknown>, () => 1))).toBe(true);
    fc.assert(
      fc.property(validInputArb, fc.array(mutationArb, { maxLength: 2 }), fc.integer(), (raw, mutations, seed) => {
        let value: unknown = raw;
        for (const m of mutations) value = mutate(value, m);
        check(split(value as Record<string, unknown>, chooser(seed)));
      }),
      { numRuns: 400 },
    );
    // A loan text holding an injected key gives up (historyFromParts would overwrite it).
    const parts = split(JSON.parse(generated(7, 1)[0]!) as Record<string, unknown>, () => 1);
    expect(historyTextReader()).toBeDefined();
    expect(readHistoryParts({ ...parts, loan: parts.loan.replace(/}$/, ',"events":[]}') })).toBeUndefined();
    // Not ASCII: read as text, the same answer.
    const wide = { ...parts, loan: parts.loan.replace(/"borrowerId":"[^"]*"/, '"borrowerId":"借款人"') };
    expect(readHistoryParts(wide)?.borrowerId).toBe('借款人');
    // Bytes that differ from the texts where a brace is: the byte mode reads them, so it gives up.
    const reader = historyTextReader()!;
    const bytesOf = (t: string | null) => new TextEncoder().encode(t ?? '');
    const good = [bytesOf(parts.loan), bytesOf(parts.schedule), bytesOf(parts.events)];
    expect(reader.readParts(parts.loan, [parts.schedule, parts.events], good)).toStrictEqual(readHistoryParts(parts));
    const broken = [Uint8Array.from(good[0]!, (c, i) => (i === 0 ? 32 : c)), good[1]!, good[2]!];
    expect(reader.readParts(parts.loan, [parts.schedule, parts.events], broken)).toBeUndefined();
  });

  it('scans the bytes when they are the text\'s (ASCII), the text otherwise; items read in place either way', () => {
    const text = JSON.stringify(fullHistoryInput(true));
    const bytes = Buffer.from(text, 'utf8');
    expect(bytes.length).toBe(text.length);
    expect(agrees(text, readHistoryAscii(text, bytes))).toBe(true);
    // Bytes that differ from the text at one brace: the byte mode reads them, so it gives up.
    const broken = Buffer.from(bytes);
    broken[0] = 32;
    expect(readHistoryAscii(text, broken)).toBeUndefined();
    expect(readHistoryAt(text, 0, broken)).toBeUndefined();
    // Not ASCII (more bytes than chars): the text is read, whatever the bytes hold.
    const wide = JSON.stringify({ ...fullHistoryInput(true), loanId: '贷款-1' });
    expect(agrees(wide, readHistoryAscii(wide, Buffer.alloc(Buffer.byteLength(wide), 32)))).toBe(true);
    // Items of a body, one after another, with and without the bytes.
    const items = generated(11, 30);
    const body = items.join(' ,\n');
    const bodyBytes = Buffer.from(body, 'utf8');
    for (const b of [undefined, bodyBytes]) {
      let p = 0;
      for (const item of items) {
        const h = readHistoryAt(body, p, b);
        expect(h).toStrictEqual(reference(item));
        p = body.indexOf(',', cursor.at) + 1;
      }
    }
  });

  it('refuses at compile time what it does not know, naming the place', () => {
    expect(() => compileTextReader(z.strictObject({ a: z.string().transform((s) => s.length) }))).toThrow(UnsupportedSchemaError);
    expect(() => compileTextReader(z.object({ a: z.string() }))).toThrow(/not strict/);
    expect(() => compileTextReader(z.strictObject({ a: z.string().email() }))).toThrow(/at \.a: string format 'email'/);
    expect(() => compileTextReader(z.strictObject({ a: z.lazy(() => z.string()) }))).toThrow(UnsupportedSchemaError);
    expect(() => compileTextReader(LoanHistory, ['nope'])).toThrow(/injected field 'nope'/);
    expect(() => compileTextReader(z.strictObject({ a: z.string() }), ['a'])).toThrow(/at \.a: an injected field that is not an array/);
  });

  it('reads injected items to the end of the text: none, one, several, never a trailing comma or a bracket', () => {
    const reader = compileTextReader(z.strictObject({ n: z.number(), xs: z.array(z.number()).max(2).default([]) }), ['xs']);
    expect(reader.readParts('{"n":1}', [null])).toEqual({ n: 1, xs: [] });
    expect(reader.readParts('{"n":1}', [' '])).toEqual({ n: 1, xs: [] });
    expect(reader.readParts('{"n":1}', ['7'])).toEqual({ n: 1, xs: [7] });
    expect(reader.readParts('{"n":1}', ['7, 8 '])).toEqual({ n: 1, xs: [7, 8] });
    for (const bad of ['7,', ',7', '7 8', '[7]', '7]', '7,8,9']) expect(reader.readParts('{"n":1}', [bad])).toBeUndefined();
  });
});
