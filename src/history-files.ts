// NDJSON loan histories (gzipped when the name ends in .gz), for training and the backtest: every bad line is reported (line number, field, problem) and
// skipped; the rest goes on.
import type { LoanHistory } from './domain/history/schema.js';
import { describeProblems, parseHistory } from './domain/history/validate.js';
import { NdjsonFile } from './ndjson-file.js';

export interface ReadResult {
  readonly histories: LoanHistory[];
  readonly lines: number;
  readonly bad: Array<{ line: number; message: string }>;
}

export async function readHistories(file: string, keep: (index: number) => boolean = () => true): Promise<ReadResult> {
  const histories: LoanHistory[] = [];
  const bad: Array<{ line: number; message: string }> = [];
  const lines = new NdjsonFile(file);
  let record = 0;
  for await (const r of lines) {
    if (!keep(record++)) continue;
    if (!r.ok) {
      bad.push({ line: r.line, message: r.error });
      continue;
    }
    // A labelled snapshot carries its history; the backtest needs only the history.
    const raw = r.value;
    const candidate = typeof raw === 'object' && raw !== null && 'history' in raw && 'asOf' in raw ? (raw as { history: unknown }).history : raw;
    const parsed = parseHistory(candidate);
    if (parsed.ok) histories.push(parsed.value);
    else bad.push({ line: r.line, message: describeProblems(parsed.problems) });
  }
  return { histories, lines: lines.lines, bad };
}
