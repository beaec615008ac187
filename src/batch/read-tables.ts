// The generator's flat tables (loans, schedule, events; CSV or Parquet) read with DuckDB by ranges of
// loan id. The main thread only plans the ranges (every chunkSize-th loan id in sorted order); each
// chunk's reader (a worker thread, or this thread) fetches its range from the three tables, sorted,
// and merges them into one FlatLoan per loans row. Reading thus runs on every core, and memory is one
// range per reader. Sorted files (the generator writes them in loan order) let Parquet skip row
// groups outside the range.
import { statSync } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { RawRecord } from './chunk.js';
import { readColumns, type ColumnType, type FlatLoan, type FlatRow } from './flat-columns.js';
import type { ChunkSource, IdRange, SourceChunk } from './source.js';

export interface TablesInput {
  readonly format: 'csv' | 'parquet';
  readonly loans: string;
  readonly schedule: string;
  readonly events: string;
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

function scan(path: string, format: 'csv' | 'parquet'): string {
  // CSV is read as text and cast below, so that both formats give the same values.
  return format === 'csv' ? `read_csv(${quote(path)}, header = true, all_varchar = true, allow_quoted_nulls = false)` : `read_parquet(${quote(path)})`;
}

function rangeFilter(range: IdRange): string {
  const parts: string[] = [];
  if (range.from !== null) parts.push(`loan_id >= ${quote(range.from)}`);
  if (range.to !== null) parts.push(`loan_id < ${quote(range.to)}`);
  return parts.length === 0 ? '' : `WHERE ${parts.join(' AND ')}`;
}

/** Code-point order, the order DuckDB sorts VARCHAR in (UTF-8 bytes). */
export function compareIds(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && x <= 0xdfff && y >= 0xd800 && y <= 0xdfff) return x - y;
    if (x >= 0xd800 && x <= 0xdfff) return 1; // a surrogate pair encodes a code point above any BMP character
    if (y >= 0xd800 && y <= 0xdfff) return -1;
    return x - y;
  }
  return a.length - b.length;
}

async function open(threads: number, memoryLimit: string): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> {
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads), memory_limit: memoryLimit, preserve_insertion_order: 'false' });
  return { instance, connection: await instance.connect() };
}

/** Reads one id range of the three tables and merges it into loans. */
export class TablesReader {
  private constructor(private readonly input: TablesInput, private readonly connection: DuckDBConnection, private readonly instance: DuckDBInstance) {}

  static async open(input: TablesInput, threads = 1, memoryLimit = '128MB'): Promise<TablesReader> {
    const { instance, connection } = await open(threads, memoryLimit);
    return new TablesReader(input, connection, instance);
  }

  private async rows(columns: ReadonlyArray<readonly [string, ColumnType]>, path: string, range: IdRange, orderBy: string): Promise<FlatRow[]> {
    const list = columns.map(([name, type]) => `CAST("${name}" AS ${type}) AS "${name}"`).join(', ');
    const result = await this.connection.run(`SELECT ${list} FROM ${scan(path, this.input.format)} ${rangeFilter(range)} ORDER BY ${orderBy}`);
    const names = columns.map(([n]) => n);
    const out: FlatRow[] = [];
    // Chunk by chunk: DataChunk.getColumns is several times cheaper than the reader's whole-result getColumns.
    for (let i = 0; i < result.chunkCount; i++) {
      const chunk = result.getChunk(i);
      const data = chunk.getColumns();
      const n = chunk.rowCount;
      for (let r = 0; r < n; r++) {
        const row: FlatRow = {};
        for (let c = 0; c < names.length; c++) row[names[c]!] = data[c]![r] as string | number | boolean | null;
        out.push(row);
      }
    }
    return out;
  }

  async readRange(range: IdRange): Promise<RawRecord[]> {
    const loans = await this.rows(readColumns('loans'), this.input.loans, range, 'loan_id');
    const schedule = await this.rows(readColumns('schedule'), this.input.schedule, range, 'loan_id, seq');
    const events = await this.rows(readColumns('events'), this.input.events, range, 'loan_id, at_ms, event_id');
    const records: RawRecord[] = [];
    let s = 0;
    let e = 0;
    const orphans = new Set<string>();
    /** Rows of `table` from `at` that belong to `loanId`; rows for ids sorting before it have no loans row. */
    const take = (table: FlatRow[], at: number, loanId: string | null, into: FlatRow[]): number => {
      while (at < table.length) {
        const id = String(table[at]!['loan_id']);
        const order = loanId === null ? -1 : compareIds(id, loanId);
        if (order > 0) break;
        if (order < 0) orphans.add(id);
        else into.push(table[at]!);
        at++;
      }
      return at;
    };
    const flush = () => {
      for (const id of orphans) records.push({ position: `schedule/events rows for loan ${id}`, value: { loanId: id }, error: `rows for loan ${id}, which has no row in loans` });
      orphans.clear();
    };
    for (const loan of loans) {
      const loanId = String(loan['loan_id']);
      const flat = { loan, schedule: [] as FlatRow[], events: [] as FlatRow[] };
      s = take(schedule, s, loanId, flat.schedule);
      e = take(events, e, loanId, flat.events);
      flush();
      records.push({ position: `loan ${loanId}`, flat: flat as unknown as FlatLoan });
    }
    take(schedule, s, null, []);
    take(events, e, null, []);
    flush();
    return records;
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** Lower bounds of the chunks: every chunkSize-th loan id in sorted order (the first range is open below). */
async function planRanges(connection: DuckDBConnection, input: TablesInput, chunkSize: number): Promise<{ ranges: IdRange[]; total: number }> {
  const total = Number((await connection.runAndReadAll(`SELECT count(*)::DOUBLE FROM ${scan(input.loans, input.format)}`)).getRows()[0]![0]);
  const reader = await connection.runAndReadAll(
    `SELECT loan_id FROM (SELECT CAST(loan_id AS VARCHAR) AS loan_id, row_number() OVER (ORDER BY loan_id) - 1 AS rn FROM ${scan(input.loans, input.format)}) WHERE rn % ${chunkSize} = 0 ORDER BY loan_id`,
  );
  const starts = reader.getColumns()[0] as string[];
  const ranges: IdRange[] = starts.map((from, i) => ({ from: i === 0 ? null : from, to: starts[i + 1] ?? null }));
  if (ranges.length === 0) ranges.push({ from: null, to: null });
  return { ranges, total };
}

export async function tablesSource(input: TablesInput, chunkSize: number): Promise<ChunkSource> {
  const { instance, connection } = await open(2, '512MB');
  let plan: { ranges: IdRange[]; total: number };
  try {
    plan = await planRanges(connection, input, chunkSize);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  const files = [input.loans, input.schedule, input.events].map((f) => {
    const s = statSync(f);
    return [f, s.size, s.mtimeMs];
  });
  let handedOut = 0;
  return {
    fingerprint: JSON.stringify(files),
    totalRecords: plan.total,
    fractionRead: () => (plan.ranges.length === 0 ? 1 : handedOut / plan.ranges.length),
    async *chunks(fromIndex: number): AsyncGenerator<SourceChunk> {
      for (let index = fromIndex; index < plan.ranges.length; index++) {
        handedOut = index + 1;
        yield { index, records: [], range: plan.ranges[index]! };
      }
    },
    close: async () => {},
  };
}
