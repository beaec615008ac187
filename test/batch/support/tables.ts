// Writes loan histories as the flat tables (COMMON contract) for reader tests: CSV written here,
// Parquet converted from it by DuckDB. Rows are shuffled so readers cannot rely on file order.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { csvLine } from '../../../src/batch/decision-row.js';
import { EVENT_COLUMNS, LOAN_COLUMNS, SCHEDULE_COLUMNS } from '../../../src/batch/flat-columns.js';
import type { LoanHistoryInput } from '../../../src/domain/history/schema.js';

type Row = Record<string, string | number | boolean | null>;

const v = (x: unknown): string | number | boolean | null => (x === undefined ? null : (x as string | number | boolean));

export function rowsOf(h: LoanHistoryInput): { loan: Row; schedule: Row[]; events: Row[] } {
  const c = h.contract;
  const b = h.borrower;
  const loan: Row = {
    loan_id: h.loanId, borrower_id: h.borrowerId, time_zone: v(h.timeZone), currency: v(h.currency), product: v(c.product), kind: v(c.kind),
    origination_date: c.originationDate, principal: c.principal, instalment_count: c.instalmentCount, apr: v(c.apr), fees: v(c.fees),
    credit_limit: v(c.creditLimit), max_overdue_days: v(c.maxOverdueDays), occupation: v(b.occupation), age: v(b.age), monthly_income: v(b.monthlyIncome),
    pay_frequency: v(b.payFrequency), payday: v(b.payday), employer_tenure_months: v(b.employerTenureMonths), migrant: v(b.migrant), dependents: v(b.dependents),
    prior_loans: v(b.priorLoans), prior_worst_dpd: v(b.priorWorstDpd), attributes_json: JSON.stringify(b.attributes ?? {}),
  };
  const schedule = (h.schedule ?? []).map((s) => ({ loan_id: h.loanId, seq: s.seq, due_date: s.dueDate, amount_due: s.amountDue, principal_due: v(s.principalDue) }));
  const events = (h.events ?? []).map((e) => {
    const { id, type, at, recordedAt, ...rest } = e as Record<string, unknown> & { id: string; type: string; at: string; recordedAt?: string };
    const pick = (k: string) => {
      const x = rest[k];
      delete rest[k];
      return v(x);
    };
    return {
      loan_id: h.loanId, event_id: id, type, at, at_ms: Date.parse(at), recorded_at: v(recordedAt), recorded_at_ms: recordedAt === undefined ? null : Date.parse(recordedAt),
      amount: pick('amount'), channel: pick('channel'), outcome: pick('outcome'), reason: pick('reason'), detail_json: Object.keys(rest).length === 0 ? null : JSON.stringify(rest),
    };
  });
  return { loan, schedule, events };
}

function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export interface TableExtras {
  readonly extraEvents?: Row[];
}

export async function writeTables(dir: string, histories: readonly LoanHistoryInput[], format: 'csv' | 'parquet', extras: TableExtras = {}): Promise<void> {
  const all = histories.map(rowsOf);
  const tables = {
    loans: [LOAN_COLUMNS, shuffled(all.map((r) => r.loan), 1)],
    schedule: [SCHEDULE_COLUMNS, shuffled(all.flatMap((r) => r.schedule), 2)],
    events: [EVENT_COLUMNS, shuffled([...all.flatMap((r) => r.events), ...(extras.extraEvents ?? [])], 3)],
  } as const;
  for (const [name, [columns, rows]] of Object.entries(tables)) {
    const names = columns.map(([n]) => n);
    const csv = join(dir, `${name}.csv`);
    writeFileSync(csv, `${names.join(',')}\n${rows.map((r: Row) => csvLine(names.map((n) => { const x = r[n] ?? null; return typeof x === 'boolean' ? String(x) : x; }))).join('')}`);
    if (format === 'parquet') {
      const instance = await DuckDBInstance.create(':memory:');
      const connection = await instance.connect();
      const types = `{${columns.map(([n, t]) => `'${n}': '${t === 'DOUBLE' && (n.endsWith('_ms') ) ? 'BIGINT' : t}'`).join(', ')}}`;
      await connection.run(`COPY (SELECT * FROM read_csv('${csv}', header = true, columns = ${types}, allow_quoted_nulls = false)) TO '${join(dir, `${name}.parquet`)}' (FORMAT parquet)`);
      connection.closeSync();
      instance.closeSync();
    }
  }
}
