// The generator's flat tables (loans, schedule, events; CSV or Parquet) read with DuckDB as three
// streams ordered by loan id and merged here into one FlatLoan per loans row. DuckDB sorts out of
// core under a memory limit, so the input size does not bound memory; the merge holds one chunk.
import { DuckDBInstance, type DuckDBConnection, type DuckDBResult } from '@duckdb/node-api';
import type { RawRecord } from './chunk.js';
import { EVENT_COLUMNS, LOAN_COLUMNS, SCHEDULE_COLUMNS, type ColumnType, type FlatLoan, type FlatRow } from './flat-columns.js';
import type { ChunkSource, SourceChunk } from './source.js';
import { statSync } from 'node:fs';

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

function select(columns: ReadonlyArray<readonly [string, ColumnType]>, path: string, format: 'csv' | 'parquet', orderBy: string): string {
  const list = columns.map(([name, type]) => `CAST("${name}" AS ${type}) AS "${name}"`).join(', ');
  return `SELECT ${list} FROM ${scan(path, format)} ORDER BY ${orderBy}`;
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

/** Rows of one streaming query, one DuckDB data chunk at a time. */
class RowCursor {
  private rows: FlatRow[] = [];
  private at = 0;
  private finished = false;

  constructor(private readonly result: DuckDBResult, private readonly names: readonly string[]) {}

  async peek(): Promise<FlatRow | null> {
    while (this.at >= this.rows.length) {
      if (this.finished) return null;
      const chunk = await this.result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) {
        this.finished = true;
        return null;
      }
      const columns = chunk.getColumns();
      const rows: FlatRow[] = new Array(chunk.rowCount);
      for (let r = 0; r < chunk.rowCount; r++) {
        const row: FlatRow = {};
        for (let c = 0; c < this.names.length; c++) row[this.names[c]!] = columns[c]![r] as string | number | boolean | null;
        rows[r] = row;
      }
      this.rows = rows;
      this.at = 0;
    }
    return this.rows[this.at]!;
  }

  take(): void {
    this.at++;
  }
}

async function count(connection: DuckDBConnection, path: string, format: 'csv' | 'parquet'): Promise<number> {
  const reader = await connection.runAndReadAll(`SELECT count(*)::DOUBLE AS n FROM ${scan(path, format)}`);
  return Number(reader.getRows()[0]![0]);
}

export interface TablesSourceOptions {
  /** DuckDB's memory limit (it spills to a temp directory beyond it). */
  readonly memoryLimit?: string;
  readonly threads?: number;
}

export async function tablesSource(input: TablesInput, chunkSize: number, options: TablesSourceOptions = {}): Promise<ChunkSource> {
  const instance = await DuckDBInstance.create(':memory:', {
    threads: String(options.threads ?? 2),
    memory_limit: options.memoryLimit ?? '768MB',
    preserve_insertion_order: 'false',
  });
  const connections: DuckDBConnection[] = [];
  const connect = async () => {
    const c = await instance.connect();
    connections.push(c);
    return c;
  };
  const total = await count(await connect(), input.loans, input.format);
  let loansRead = 0;
  const files = [input.loans, input.schedule, input.events].map((f) => {
    const s = statSync(f);
    return [f, s.size, s.mtimeMs];
  });
  return {
    fingerprint: JSON.stringify(files),
    totalRecords: total,
    fractionRead: () => (total === 0 ? 1 : loansRead / total),
    async *chunks(fromIndex: number): AsyncGenerator<SourceChunk> {
      const open = async (columns: ReadonlyArray<readonly [string, ColumnType]>, path: string, orderBy: string) =>
        new RowCursor(await (await connect()).stream(select(columns, path, input.format, orderBy)), columns.map(([n]) => n));
      const loans = await open(LOAN_COLUMNS, input.loans, 'loan_id');
      const schedule = await open(SCHEDULE_COLUMNS, input.schedule, 'loan_id, seq');
      const events = await open(EVENT_COLUMNS, input.events, 'loan_id, at_ms, event_id');

      /** Rows of `cursor` for `loanId`; rows for ids that sort before it have no loans row. */
      const rowsFor = async (cursor: RowCursor, loanId: string, orphans: Set<string>): Promise<FlatRow[]> => {
        const out: FlatRow[] = [];
        for (let row = await cursor.peek(); row !== null; row = await cursor.peek()) {
          const id = String(row['loan_id']);
          const order = compareIds(id, loanId);
          if (order > 0) break;
          if (order < 0) orphans.add(id);
          else out.push(row);
          cursor.take();
        }
        return out;
      };

      let index = 0;
      let records: RawRecord[] = [];
      let row = 0;
      for (let loan = await loans.peek(); loan !== null; loan = await loans.peek()) {
        loans.take();
        row++;
        loansRead++;
        const loanId = String(loan['loan_id']);
        const orphans = new Set<string>();
        const flat: FlatLoan = { loan, schedule: await rowsFor(schedule, loanId, orphans), events: await rowsFor(events, loanId, orphans) };
        if (index >= fromIndex) {
          for (const id of orphans) records.push({ position: `schedule/events rows for loan ${id}`, value: { loanId: id }, error: `rows for loan ${id}, which has no row in loans` });
          records.push({ position: `loans row ${row}`, flat });
        }
        if (row % chunkSize === 0) {
          if (index >= fromIndex) yield { index, records };
          index++;
          records = [];
        }
      }
      if (records.length > 0) yield { index, records };
    },
    close: async () => {
      for (const c of connections) c.closeSync();
      instance.closeSync();
    },
  };
}
