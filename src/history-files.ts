// NDJSON loan histories (gzipped when the name ends in .gz), for training and the backtest: every bad line is reported (line number, field, problem) and
// skipped; the rest goes on.
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { LoanHistory } from './domain/history/schema.js';
import { describeProblems, parseHistory } from './domain/history/validate.js';

export interface ReadResult {
  readonly histories: LoanHistory[];
  readonly lines: number;
  readonly bad: Array<{ line: number; message: string }>;
}

export async function readHistories(file: string, keep: (index: number) => boolean = () => true): Promise<ReadResult> {
  const histories: LoanHistory[] = [];
  const bad: Array<{ line: number; message: string }> = [];
  try {
    await access(file);
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  const raw = createReadStream(file);
  const lines = createInterface({ input: file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw, crlfDelay: Infinity });
  let n = 0;
  let record = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    if (!keep(record++)) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (error) {
      bad.push({ line: n, message: `not JSON (${(error as Error).message})` });
      continue;
    }
    // A labelled snapshot carries its history; the backtest needs only the history.
    const candidate = typeof raw === 'object' && raw !== null && 'history' in raw && 'asOf' in raw ? (raw as { history: unknown }).history : raw;
    const parsed = parseHistory(candidate);
    if (parsed.ok) histories.push(parsed.value);
    else bad.push({ line: n, message: describeProblems(parsed.problems) });
  }
  return { histories, lines: n, bad };
}
