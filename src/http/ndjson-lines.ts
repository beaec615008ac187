// NDJSON scoring's lines, the same in process (ndjson.ts) and in a score worker (a block of lines at a
// time): each line read as a history (the text reader, else JSON.parse and the validator, which word
// every error), and each answer line written as the bytes JSON.stringify would give.
import { writeDecision } from '../domain/decision/json.js';
import type { Decision } from '../domain/decision/schema.js';
import type { Utf8Writer } from '../domain/decision/utf8-writer.js';
import type { LoanHistory } from '../domain/history/schema.js';
import { readHistoryAscii } from '../domain/history/text-history.js';
import { type FieldProblem, parseHistory } from '../domain/history/validate.js';
import type { Scorer } from '../scoring/scorer.js';

/** A non-blank line read: its history, or why it is not one. */
export type ReadLine = { readonly history: LoanHistory; readonly errors?: undefined } | { readonly history?: undefined; readonly errors: FieldProblem[] };

/** `bytes`: the text's UTF-8 bytes, which the text reader scans when the text is ASCII. */
export function readLine(text: string, bytes?: Uint8Array): ReadLine {
  const read = readHistoryAscii(text, bytes);
  if (read !== undefined) return { history: read };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { errors: [{ path: '(root)', message: `not JSON: ${(error as Error).message}` }] };
  }
  const parsed = parseHistory(raw);
  return parsed.ok ? { history: parsed.value } : { errors: parsed.problems };
}

/**
 * One answer line: what JSON.stringify({ line, ok: true, decision }) or ({ line, ok: false, errors })
 * writes, and a newline. slots: where the line number was written and its value are noted there
 * (a worker's numbers are relative to its block; the main thread renumbers them).
 */
export function writeAnswer(out: Utf8Writer, line: number, read: ReadLine, decision: Decision | undefined, slots?: number[]): void {
  out.ascii('{"line":');
  slots?.push(out.written, line);
  out.ascii(String(line));
  if (decision !== undefined) {
    // writeDecision writes what JSON.stringify would; the envelope's keys come first, as JSON.stringify orders them.
    out.ascii(',"ok":true,"decision":');
    writeDecision(out, decision);
    out.ascii('}\n');
  } else {
    out.ascii(',"ok":false,"errors":');
    out.text(JSON.stringify(read.errors));
    out.ascii('}\n');
  }
}

/**
 * The lines of `bytes` (UTF-8) as node's readline gives them once decoded: ended by \n, \r\n or a lone
 * \r (ASCII bytes, never inside a multi-byte character); a last line without an ending counts when it
 * is not empty. fn(from, to) for each, in byte offsets, in order. Native byte searches: indexOf with a
 * position on a multi-megabyte string ran ~700x slower once V8 had optimised the loop (every call
 * seemed to scan the whole string).
 */
export function eachLine(bytes: Buffer, fn: (from: number, to: number) => void): void {
  const n = bytes.byteLength;
  // A \r is looked for again only once passed.
  let cr = bytes.indexOf(13);
  let i = 0;
  while (i < n) {
    let j = bytes.indexOf(10, i);
    if (j < 0) j = n;
    if (cr >= 0 && cr < i) cr = bytes.indexOf(13, i);
    if (cr >= 0 && cr < j) j = cr;
    fn(i, j);
    i = j + (j === cr && bytes[j + 1] === 10 ? 2 : 1);
  }
}

/** A line waiting for its answer: its number and what it read as. */
export interface PendingLine {
  readonly line: number;
  readonly read: ReadLine;
}

/** The pending lines' histories scored in one model call and every line's answer written, in order. */
export async function answerPending(scorer: Pick<Scorer, 'scoreMany'>, pending: readonly PendingLine[], asOf: number, out: Utf8Writer, slots?: number[]): Promise<void> {
  const histories = pending.flatMap((p) => (p.read.history === undefined ? [] : [p.read.history]));
  const decisions = histories.length === 0 ? [] : await scorer.scoreMany(histories, asOf);
  let k = 0;
  for (const p of pending) writeAnswer(out, p.line, p.read, p.read.history === undefined ? undefined : decisions[k++], slots);
}

/** Histories scored per model call in a worker's block (few at a time: they die young, batch-job.ts). */
const SCORE_SLICE = 16;

export interface LinesResult {
  /** Lines in the block, blank ones included (the next block's numbers start after them). */
  readonly lines: number;
  readonly scored: number;
  readonly failed: number;
  /** [byte offset, relative line number] of each answer's line number (numbers from 1 within the block). */
  readonly slots: number[];
}

/**
 * A block of NDJSON lines (whole lines; the last may lack its ending) answered into `out`, numbered from 1.
 * Each line is decoded on its own, as the JSON batch's items are (a slice of one large string is
 * slower for the text reader to read).
 */
export async function answerLines(scorer: Pick<Scorer, 'scoreMany'>, bytes: Buffer, asOf: number, out: Utf8Writer): Promise<LinesResult> {
  const slots: number[] = [];
  let lines = 0;
  let scored = 0;
  let failed = 0;
  let pending: PendingLine[] = [];
  let histories = 0;
  const flush = async () => {
    await answerPending(scorer, pending, asOf, out, slots);
    pending = [];
    histories = 0;
  };
  const ranges: number[] = [];
  eachLine(bytes, (from, to) => ranges.push(from, to));
  for (let r = 0; r < ranges.length; r += 2) {
    lines++;
    const text = bytes.toString('utf8', ranges[r], ranges[r + 1]);
    if (text.trim() === '') continue;
    const read = readLine(text, bytes.subarray(ranges[r], ranges[r + 1]));
    pending.push({ line: lines, read });
    if (read.history === undefined) failed++;
    else {
      scored++;
      if (++histories >= SCORE_SLICE) await flush();
    }
  }
  await flush();
  return { lines, scored, failed, slots };
}
