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
      reader = compileTextReader(LoanHistory, ['schedule', 'events']);
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

/** readHistoryText(text), scanning `bytes`, the text's UTF-8 bytes, when the text is ASCII. */
export function readHistoryAscii(text: string, bytes: Uint8Array): LoanHistory | undefined {
  return historyTextReader()?.readAscii(text, bytes);
}

/** What parseHistory(historyFromParts(parts)).value is (batch/history-sql.ts), or undefined: invalid or not sure. */
export function readHistoryParts(parts: HistoryTexts): LoanHistory | undefined {
  const r = historyTextReader();
  if (r === undefined) return undefined;
  // A scratch array, not a literal per call: V8 pretenured such literals (text-read.ts, emitArray).
  PARTS[0] = parts.schedule;
  PARTS[1] = parts.events;
  try {
    return r.readParts(parts.loan, PARTS);
  } finally {
    PARTS[0] = PARTS[1] = null;
  }
}

const PARTS: (string | null)[] = [null, null];
