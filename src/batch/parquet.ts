// CSV -> Parquet through DuckDB with explicit column types (no sniffing, so an all-null column keeps
// its type). One thread keeps row order and bytes reproducible.
import { DuckDBInstance } from '@duckdb/node-api';
import type { ColumnSpec } from '../domain/history/flat.js';

const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;

export function readCsvSql(csvPath: string, columns: readonly ColumnSpec[]): string {
  const types = columns.map((c) => `${sqlString(c.name)}: ${sqlString(c.type)}`).join(', ');
  return `read_csv(${sqlString(csvPath)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', nullstr = '', allow_quoted_nulls = false, columns = {${types}})`;
}

export interface ParquetJob {
  readonly csv: string;
  readonly parquet: string;
  readonly columns: readonly ColumnSpec[];
  /** Rows per row group (DuckDB's default, ~122,880, when omitted). */
  readonly rowGroupSize?: number;
}

export async function csvToParquet(jobs: readonly ParquetJob[]): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await instance.connect();
  try {
    for (const job of jobs) {
      await conn.run(`COPY (SELECT * FROM ${readCsvSql(job.csv, job.columns)}) TO ${sqlString(job.parquet)} (FORMAT parquet, COMPRESSION zstd${job.rowGroupSize === undefined ? '' : `, ROW_GROUP_SIZE ${job.rowGroupSize}`})`);
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
