// CSV -> Parquet through DuckDB with explicit column types (no sniffing, so an all-null column keeps
// its type). One thread keeps row order and bytes reproducible.
import { DuckDBInstance } from '@duckdb/node-api';
import type { ColumnSpec } from '../domain/history/flat.js';

const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;

export function readCsvSql(csvPath: string, columns: readonly ColumnSpec[]): string {
  const types = columns.map((c) => `${sqlString(c.name)}: ${sqlString(c.type)}`).join(', ');
  return `read_csv(${sqlString(csvPath)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', nullstr = '', allow_quoted_nulls = false, columns = {${types}})`;
}

export async function csvToParquet(jobs: ReadonlyArray<{ csv: string; parquet: string; columns: readonly ColumnSpec[] }>): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await instance.connect();
  try {
    for (const job of jobs) {
      await conn.run(`COPY (SELECT * FROM ${readCsvSql(job.csv, job.columns)}) TO ${sqlString(job.parquet)} (FORMAT parquet, COMPRESSION zstd)`);
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
