// Writes loan histories as the flat tables (domain/history/flat.ts) for reader tests: CSV written
// here, Parquet converted from it by DuckDB with the declared column types. Rows are shuffled so
// readers cannot rely on file order.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { csvLine } from '../../../src/batch/csv.js';
import { RFC4180 } from '../../../src/batch/history-sql.js';
import { historyToRows, TABLES, type Cell, type FlatHistory } from '../../../src/domain/history/flat.js';
import { LoanHistory, type LoanHistoryInput } from '../../../src/domain/history/schema.js';

type Row = Record<string, Cell>;

export function rowsOf(h: LoanHistoryInput): FlatHistory {
  return historyToRows(LoanHistory.parse(h));
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
  readonly extraLoans?: Row[];
  /** Rewrites rows before they are written (to plant malformed cells). */
  readonly edit?: (table: keyof typeof TABLES, row: Row) => Row;
}

export async function writeTables(dir: string, histories: readonly LoanHistoryInput[], format: 'csv' | 'parquet', extras: TableExtras = {}): Promise<void> {
  const all = histories.map(rowsOf);
  const edit = (table: keyof typeof TABLES) => (row: Row) => (extras.edit === undefined ? row : extras.edit(table, { ...row }));
  const rows: Record<keyof typeof TABLES, Row[]> = {
    loans: shuffled([...all.map((r) => r.loan as Row).map(edit('loans')), ...(extras.extraLoans ?? [])], 1),
    schedule: shuffled(all.flatMap((r) => r.schedule as Row[]).map(edit('schedule')), 2),
    events: shuffled([...all.flatMap((r) => r.events as Row[]).map(edit('events')), ...(extras.extraEvents ?? [])], 3),
  };
  for (const name of Object.keys(TABLES) as (keyof typeof TABLES)[]) {
    const names = TABLES[name].map((c) => c.name);
    const csv = join(dir, `${name}.csv`);
    writeFileSync(csv, `${names.join(',')}\n${rows[name].map((r) => `${csvLine(names.map((n) => r[n] ?? null))}\n`).join('')}`);
    if (format === 'parquet') {
      const instance = await DuckDBInstance.create(':memory:');
      const connection = await instance.connect();
      const types = `{${TABLES[name].map((c) => `'${c.name}': '${c.type}'`).join(', ')}}`;
      await connection.run(`COPY (SELECT * FROM read_csv('${csv}', ${RFC4180}, header = true, columns = ${types}, allow_quoted_nulls = false)) TO '${join(dir, `${name}.parquet`)}' (FORMAT parquet)`);
      connection.closeSync();
      instance.closeSync();
    }
  }
}
