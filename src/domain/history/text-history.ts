// The loan-history text reader (text-read.ts) compiled once, on first use, from the contract: from
// JSON text straight to a validated LoanHistory, or undefined ("not sure"), when callers take
// JSON.parse + parseHistory, which give every error message. Should the contract not compile (a
// construct the reader does not follow, or code generation disallowed), every call answers undefined.
import { UnsupportedSchemaError } from './fast-parse.js';
import { LoanHistory } from './schema.js';
import { compileTextReader, type TextReader } from './text-read.js';

/**
 * A history as three texts (the flat tables' reader): the loan without schedule and events, and the
 * two arrays' items, comma-joined without brackets (null: none).
 */
export interface HistoryTexts {
  readonly loan: string;
  readonly schedule: string | null;
  readonly events: string | null;
}

let reader: TextReader<LoanHistory> | null | undefined;

/** The compiled reader, or undefined when the contract did not compile. */
export function historyTextReader(): TextReader<LoanHistory> | undefined {
  if (reader === undefined) {
    try {
      // The byte mode remembers the events' instants for the feature scan (instant-memo.ts).
      reader = compileTextReader(LoanHistory, ['schedule', 'events'], { array: 'events', key: 'at' });
    } catch (error) {
      if (!(error instanceof UnsupportedSchemaError || error instanceof EvalError)) throw error;
      reader = null;
    }
  }
  return reader ?? undefined;
}

/** What parseHistory(JSON.parse(text.slice(from, to))).value is, or undefined: invalid or not sure. */
export function readHistoryText(text: string, from = 0, to = text.length): LoanHistory | undefined {
  return historyTextReader()?.read(text, from, to);
}

/**
 * The history that starts at `from` in a text holding no backslash, validated, with `cursor.at`
 * (text-scan.ts) where it ends; undefined: invalid or not sure (a batch's items read in place).
 * `bytes`, the text's UTF-8 bytes, are scanned instead when the text is ASCII (about twice as fast).
 */
export function readHistoryAt(text: string, from: number, bytes?: Uint8Array): LoanHistory | undefined {
  return historyTextReader()?.readAt(text, from, bytes);
}

/** readHistoryText(text), scanning `bytes`, the text's UTF-8 bytes, when they are given and the text is ASCII. */
export function readHistoryAscii(text: string, bytes: Uint8Array | undefined): LoanHistory | undefined {
  return bytes === undefined ? readHistoryText(text) : historyTextReader()?.readAscii(text, bytes);
}

/**
 * What parseHistory(historyFromParts(parts)).value is (batch/history-sql.ts), or undefined: invalid or not sure.
 * `bytes`, the three texts' UTF-8 bytes (loan, schedule, events; empty for null), are scanned when the
 * texts are ASCII; without them, ASCII texts are encoded into scratch memory first (11 KB cost 0.8-1 µs).
 */
export function readHistoryParts(parts: HistoryTexts, bytes?: readonly Uint8Array[]): LoanHistory | undefined {
  const r = historyTextReader();
  if (r === undefined) return undefined;
  // Scratch arrays, not literals per call: V8 pretenured such literals (text-read.ts, emitArray).
  PARTS[0] = parts.schedule;
  PARTS[1] = parts.events;
  try {
    return r.readParts(parts.loan, PARTS, bytes ?? (encodeAscii(parts.loan, parts.schedule, parts.events) ? VIEWS : undefined));
  } finally {
    PARTS[0] = PARTS[1] = null;
    VIEWS.fill(NO_BYTES);
  }
}

const PARTS: (string | null)[] = [null, null];
const NO_BYTES = new Uint8Array(0);
const VIEWS: Uint8Array[] = [NO_BYTES, NO_BYTES, NO_BYTES];
const encoder = new TextEncoder();
/** Texts longer than this in all are read as text: the scratch memory stays small. */
const MAX_SCRATCH = 8 << 20;
let scratch = new Uint8Array(1 << 16);

/** The texts' UTF-8 bytes side by side in scratch memory, their views in VIEWS; false when one is not ASCII. */
function encodeAscii(...texts: (string | null)[]): boolean {
  let total = 0;
  for (const t of texts) total += t?.length ?? 0;
  if (total > MAX_SCRATCH) return false;
  if (scratch.length < total) scratch = new Uint8Array(Math.min(MAX_SCRATCH, Math.max(total, 2 * scratch.length)));
  let at = 0;
  for (let i = 0; i < texts.length; i++) {
    const t = texts[i] ?? '';
    // Non-ASCII text writes more bytes than chars, or runs out of room first (read falls short).
    const { read, written } = encoder.encodeInto(t, scratch.subarray(at));
    if (read !== t.length || written !== t.length) return false;
    VIEWS[i] = scratch.subarray(at, at + written);
    at += written;
  }
  return true;
}
