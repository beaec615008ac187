// Parquet output: the run appends CSV in the staging dialect (csv.ts; resumable byte by byte), DuckDB
// converts it once at the end.
import { DuckDBInstance } from '@duckdb/node-api';
import { STAGING_QUOTE } from './csv.js';
import { DECISION_COLUMNS } from './decision-row.js';

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

// The CSV reader's buffer defaults to 16 x max_line_size (here 256 MB, more than the memory limit; a
// 1M-loan run failed on it): 32 MB buffers hold any decision line and fit twice in 512 MB.
// One DuckDB thread: the same file byte for byte as with two, for about half the CPU (70,200 decisions,
// 87 MB of staging text: 1.5-1.7 s against 2.7-3.3 s, four passes alternating, load 4-5; a second
// thread mostly waits for the one writer, spinning).
export async function csvToParquet(csvPath: string, parquetPath: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1', memory_limit: '512MB' });
  const connection = await instance.connect();
  try {
    const columns = `{${DECISION_COLUMNS.map(([name, type]) => `${quote(name)}: ${quote(type)}`).join(', ')}}`;
    await connection.run(
      `COPY (SELECT * FROM read_csv(${quote(csvPath)}, header = true, columns = ${columns}, quote = ${quote(STAGING_QUOTE)}, escape = ${quote(STAGING_QUOTE)}, allow_quoted_nulls = false, max_line_size = 16777216, buffer_size = 33554432))
       TO ${quote(parquetPath)} (FORMAT parquet, COMPRESSION zstd)`,
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
