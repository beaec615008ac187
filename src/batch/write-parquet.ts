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

/** How DuckDB reads the staging file: the longest line it accepts, and its read buffer (which must be larger). */
export interface StagingRead {
  readonly maxLineSize: number;
  readonly bufferSize: number;
}

/**
 * Tried in order; the next only when a line is longer than the last allowed. A decision line is a few KB
 * (2,862 bytes the longest of the 1M run's 351,896): 8 MB buffers hold it with room to spare, and glibc
 * serves them from its heap once the first is freed, where each 32 MB buffer (over its 32 MB mmap
 * threshold) was a fresh mapping faulted in page by page. The 1M run's conversion, one thread: 2.2-2.5 s
 * against 3.2-3.3 s, minor faults 34-57k against 82-93k (tmp/probe/conv-opts.mjs, by turns). The last
 * entry is the old setting; the buffer's default, 16 x the line size, overran the 512 MB memory limit.
 */
export const STAGING_READS: readonly StagingRead[] = [
  { maxLineSize: 4 << 20, bufferSize: 8 << 20 },
  { maxLineSize: 16 << 20, bufferSize: 32 << 20 },
];

const LINE_TOO_LONG = /Maximum line size of \d+ bytes exceeded/;

// One DuckDB thread: the same file byte for byte as with two, for about half the CPU (70,200 decisions,
// 87 MB of staging text: 1.5-1.7 s against 2.7-3.3 s, four passes alternating, load 4-5; a second
// thread mostly waits for the one writer, spinning), and it keeps the rows in the staging file's order.
// DuckDB cuts row groups at whole vectors (2,048 rows), so rowGroupSize is rounded up to one.
export async function csvToParquet(csvPath: string, parquetPath: string, rowGroupSize = DECISION_ROW_GROUP, reads: readonly StagingRead[] = STAGING_READS): Promise<void> {
  if (reads.length === 0) throw new Error('csvToParquet: no read settings');
  const instance = await DuckDBInstance.create(':memory:', { threads: '1', memory_limit: '512MB' });
  const connection = await instance.connect();
  try {
    const columns = `{${DECISION_COLUMNS.map(([name, type]) => `${quote(name)}: ${quote(type)}`).join(', ')}}`;
    for (const [i, read] of reads.entries()) {
      try {
        await connection.run(
          `COPY (SELECT * FROM read_csv(${quote(csvPath)}, header = true, columns = ${columns}, quote = ${quote(STAGING_QUOTE)}, escape = ${quote(STAGING_QUOTE)}, allow_quoted_nulls = false, max_line_size = ${read.maxLineSize}, buffer_size = ${read.bufferSize}))
           TO ${quote(parquetPath)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${Math.max(1, Math.floor(rowGroupSize))})`,
        );
        return;
      } catch (error) {
        const message = (error as Error).message;
        if (LINE_TOO_LONG.test(message) && i < reads.length - 1) continue;
        // DuckDB's CSV errors quote the whole line: a decision, so not for the logs (nor as a cause a logger
        // would print). Its first line says what failed.
        // eslint-disable-next-line preserve-caught-error
        throw new Error(`converting the decisions to Parquet failed: ${LINE_TOO_LONG.exec(message)?.[0] ?? message.split('\n')[0]}`);
      }
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
