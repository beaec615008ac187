// Parquet output: the run appends CSV in the staging dialect (csv.ts; resumable byte by byte), DuckDB
// converts it once at the end.
import { DuckDBInstance } from '@duckdb/node-api';
import { STAGING_QUOTE } from './csv.js';
import { DECISION_COLUMNS } from './decision-row.js';

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * Decisions a row group of the output (~20 MB of them). DuckDB's default of 122,880 rows made its writer
 * take about twice the CPU on these wide rows (~1.25 KB, mostly the reasons' JSON): the 1M run's 351,896
 * decisions, one thread, by turns, 2.4 against 4.8 s for the write alone, 3.4-4.0 against 4.4-5.5 s with
 * the CSV read (tmp/probe/finish4.mjs, finish2.mjs); the file 6 % larger (30.2 against 28.5 MB).
 */
export const DECISION_ROW_GROUP = 16_384;

// The CSV reader's buffer defaults to 16 x max_line_size (here 256 MB, more than the memory limit; a
// 1M-loan run failed on it): 32 MB buffers hold any decision line and fit twice in 512 MB.
// One DuckDB thread: the same file byte for byte as with two, for about half the CPU (70,200 decisions,
// 87 MB of staging text: 1.5-1.7 s against 2.7-3.3 s, four passes alternating, load 4-5; a second
// thread mostly waits for the one writer, spinning), and it keeps the rows in the staging file's order.
// DuckDB cuts row groups at whole vectors (2,048 rows), so rowGroupSize is rounded up to one.
export async function csvToParquet(csvPath: string, parquetPath: string, rowGroupSize = DECISION_ROW_GROUP): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1', memory_limit: '512MB' });
  const connection = await instance.connect();
  try {
    const columns = `{${DECISION_COLUMNS.map(([name, type]) => `${quote(name)}: ${quote(type)}`).join(', ')}}`;
    await connection.run(
      `COPY (SELECT * FROM read_csv(${quote(csvPath)}, header = true, columns = ${columns}, quote = ${quote(STAGING_QUOTE)}, escape = ${quote(STAGING_QUOTE)}, allow_quoted_nulls = false, max_line_size = 16777216, buffer_size = 33554432))
       TO ${quote(parquetPath)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${Math.max(1, Math.floor(rowGroupSize))})`,
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
