// Maps the UCI "default of credit card clients" CSV (Taiwan, 2005) into labelled snapshots in the
// canonical contract: one revolving account per row, monthly statements (April..September 2005) with
// the reported repayment status, monthly payments, the application columns as declared attributes,
// and the file's label. Nothing Taiwan-specific leaks into features: the feature engine reads these
// statements and payments like any other revolving account.
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { LabelledSnapshot } from '../domain/history/schema.js';
import { describeProblems, parseSnapshot } from '../domain/history/validate.js';

export const TAIWAN_COLUMNS = [
  'ID', 'LIMIT_BAL', 'SEX', 'EDUCATION', 'MARRIAGE', 'AGE',
  'PAY_0', 'PAY_2', 'PAY_3', 'PAY_4', 'PAY_5', 'PAY_6',
  'BILL_AMT1', 'BILL_AMT2', 'BILL_AMT3', 'BILL_AMT4', 'BILL_AMT5', 'BILL_AMT6',
  'PAY_AMT1', 'PAY_AMT2', 'PAY_AMT3', 'PAY_AMT4', 'PAY_AMT5', 'PAY_AMT6',
  'default.payment.next.month',
] as const;

export const TAIWAN_ZONE = 'Asia/Taipei';
/** After the September 2005 statement: the label is default in October 2005. */
export const TAIWAN_AS_OF = '2005-09-30T23:59:59+08:00';
export const TAIWAN_HORIZON_DAYS = 31;
/** Statements are dated the 25th of their month; a month's payment the 10th (it settles the previous statement). */
const STATEMENT_DAY = '25';
const PAYMENT_DAY = '10';
/** Column suffix k = 1 (September) .. 6 (April). */
const STATUS_COLUMN = ['PAY_0', 'PAY_2', 'PAY_3', 'PAY_4', 'PAY_5', 'PAY_6'] as const;

export type TaiwanRow = Record<(typeof TAIWAN_COLUMNS)[number], number>;

export class TaiwanRowError extends Error {}

function statusOf(pay: number): { status: 'no_balance' | 'paid_in_full' | 'minimum_paid' | 'delinquent'; monthsLate: number } {
  if (pay <= -2) return { status: 'no_balance', monthsLate: 0 };
  if (pay === -1) return { status: 'paid_in_full', monthsLate: 0 };
  if (pay === 0) return { status: 'minimum_paid', monthsLate: 0 };
  return { status: 'delinquent', monthsLate: pay };
}

/** One CSV row -> the raw (unparsed) snapshot object. */
export function taiwanRowToSnapshot(row: TaiwanRow): unknown {
  const id = String(row.ID);
  const limit = row.LIMIT_BAL;
  const events: unknown[] = [];
  for (let k = 6; k >= 1; k--) {
    const month = String(10 - k).padStart(2, '0');
    const paid = row[`PAY_AMT${k}` as keyof TaiwanRow];
    if (paid > 0) events.push({ id: `pay-2005-${month}`, type: 'payment', at: `2005-${month}-${PAYMENT_DAY}T12:00:00+08:00`, amount: paid });
    const { status, monthsLate } = statusOf(row[STATUS_COLUMN[k - 1]!]);
    events.push({
      id: `stmt-2005-${month}`,
      type: 'statement',
      at: `2005-${month}-${STATEMENT_DAY}T00:00:00+08:00`,
      balance: row[`BILL_AMT${k}` as keyof TaiwanRow],
      // The source has no minimum due; 0 means "not reported", not "nothing due".
      minimumDue: 0,
      reportedDpd: monthsLate * 30,
      monthsLate,
      status,
      creditLimit: limit,
    });
  }
  return {
    asOf: TAIWAN_AS_OF,
    label: row['default.payment.next.month'] === 1 ? 1 : 0,
    horizonDays: TAIWAN_HORIZON_DAYS,
    history: {
      loanId: `uci-tw-${id}`,
      borrowerId: `uci-tw-b${id}`,
      timeZone: TAIWAN_ZONE,
      currency: 'TWD',
      contract: { product: 'credit_card', kind: 'revolving', originationDate: '2005-04-01', principal: limit, instalmentCount: 1, creditLimit: limit },
      borrower: {
        occupation: 'unknown',
        age: row.AGE,
        attributes: { LIMIT_BAL: limit, AGE: row.AGE, SEX: String(row.SEX), EDUCATION: String(row.EDUCATION), MARRIAGE: String(row.MARRIAGE) },
      },
      schedule: [],
      events,
      meta: { source: 'uci-taiwan', id: row.ID },
    },
  };
}

/** Parses one data line against the header; throws a TaiwanRowError naming the column. */
export function parseTaiwanLine(header: readonly string[], line: string): TaiwanRow {
  const cells = line.split(',');
  if (cells.length !== header.length) throw new TaiwanRowError(`expected ${header.length} columns, got ${cells.length}`);
  const row: Partial<TaiwanRow> = {};
  header.forEach((name, i) => {
    const raw = cells[i]!.trim().replace(/^"|"$/g, '');
    const v = Number(raw);
    if (raw === '' || !Number.isFinite(v)) throw new TaiwanRowError(`${name}: expected a number, got "${raw}"`);
    row[name as keyof TaiwanRow] = v;
  });
  return row as TaiwanRow;
}

export interface ImportSummary {
  readonly rows: number;
  readonly written: number;
  readonly positives: number;
  readonly problems: ReadonlyArray<{ line: number; message: string }>;
}

/** Streams the CSV into NDJSON snapshots; a bad row is reported and skipped, the rest goes on. */
export async function importUciTaiwan(csvPath: string, outPath: string): Promise<ImportSummary> {
  const lines = createInterface({ input: createReadStream(csvPath), crlfDelay: Infinity });
  const out = createWriteStream(outPath);
  let header: string[] | undefined;
  let lineNo = 0;
  let rows = 0, written = 0, positives = 0;
  const problems: { line: number; message: string }[] = [];
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    if (header === undefined) {
      header = line.split(',').map((h) => h.trim().replace(/^"|"$/g, ''));
      const missing = TAIWAN_COLUMNS.filter((c) => !header!.includes(c));
      if (missing.length > 0) throw new Error(`${csvPath}: not the UCI Taiwan file; missing column(s) ${missing.join(', ')}`);
      continue;
    }
    rows++;
    let snapshot: LabelledSnapshot;
    try {
      const parsed = parseSnapshot(taiwanRowToSnapshot(parseTaiwanLine(header, line)));
      if (!parsed.ok) throw new TaiwanRowError(describeProblems(parsed.problems));
      snapshot = parsed.value;
    } catch (error) {
      if (!(error instanceof TaiwanRowError)) throw error;
      problems.push({ line: lineNo, message: error.message });
      continue;
    }
    if (!out.write(`${JSON.stringify(snapshot)}\n`)) await once(out, 'drain');
    written++;
    positives += snapshot.label ?? 0;
  }
  out.end();
  await once(out, 'finish');
  return { rows, written, positives, problems };
}
