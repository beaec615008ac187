// A loan history straight to CSV lines of the flat tables (domain/history/flat.ts), without the
// intermediate row objects: the rows the writer would build and throw away were half the cost of
// writing the tables. Cells are written by column type. test/batch/history-csv.test.ts holds every
// line equal to csvRow(historyToRows(history)).
import { parseInstant } from '../domain/history/calendar.js';
import { EVENT_COLUMN_FIELDS, historyToLoanRow, LOAN_COLUMNS } from '../domain/history/flat.js';
import type { LoanEvent, LoanHistory } from '../domain/history/schema.js';

type ScheduleItem = LoanHistory['schedule'][number];
import { csvNumber, csvRow, csvText } from './csv.js';
import { jsonWithout } from './json-fields.js';

export function loanCsvLine(h: LoanHistory): string {
  return csvRow(historyToLoanRow(h), LOAN_COLUMNS);
}

/** `loanId` is the loan id already as a CSV cell (csvText), shared by the loan's rows. */
export function scheduleCsvLine(loanId: string, s: ScheduleItem): string {
  return `${loanId},${csvNumber(s.seq)},${csvText(s.dueDate)},${csvNumber(s.amountDue)},${s.principalDue === undefined ? '' : csvNumber(s.principalDue)}`;
}

const textOrNull = (v: unknown): string => (typeof v === 'string' ? csvText(v) : '');

export function eventCsvLine(loanId: string, e: LoanEvent): string {
  const fields = e as Readonly<Record<string, unknown>>;
  const recorded = e.recordedAt === undefined ? ',' : `${csvText(e.recordedAt)},${csvNumber(parseInstant(e.recordedAt))}`;
  const amount = typeof fields.amount === 'number' ? csvNumber(fields.amount) : '';
  // JSON always holds quotes, so the cell is always quoted: write it escaped in one pass.
  const detail = jsonWithout(fields, EVENT_COLUMN_FIELDS, '""');
  return `${loanId},${csvText(e.id)},${csvText(e.type)},${csvText(e.at)},${csvNumber(parseInstant(e.at))},${recorded},${amount},${textOrNull(fields.channel)},${textOrNull(fields.outcome)},${textOrNull(fields.reason)},${detail === null ? '' : `"${detail}"`}`;
}
