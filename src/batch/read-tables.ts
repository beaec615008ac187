// The generator's flat tables (loans, schedule, events; CSV or Parquet) read with DuckDB by ranges of
// loan id. The main thread only plans the ranges (sized by the loans each must read: table-chunks.ts); each
// chunk's reader (a worker thread, or this thread) reads its range itself, so reading runs on every
// core and memory is one range per reader. Sorted files (the generator writes them in loan order)
// let Parquet skip row groups outside the range.
//
// Per range, DuckDB decides which loans are inactive at T (history-sql.ts; from the planner's skip file
// when the range names one) and assembles every other loan's history as three JSON texts, which come
// out as bytes (text-bytes.ts); a loan that DuckDB cannot assemble exactly as rowsToHistory
// would, or whose text then fails to parse or validate, is read again as rows (`readRows`) and goes
// the rowsToHistory way, so its reject line is the same as ever.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { dayToDate, localDayOf } from '../domain/history/calendar.js';
import type { RawRecord } from './chunk.js';
import { readColumns, type ColumnType, type FlatLoan, type FlatRow } from './flat-columns.js';
import { orphansQuery, PART, quote, rangeQuery, scan, segmentCondition, type RangeQuery } from './history-sql.js';
import type { IdRange } from './source.js';
import { TextBytes } from './text-bytes.js';

export interface TablesInput {
  readonly format: 'csv' | 'parquet';
  readonly loans: string;
  readonly schedule: string;
  readonly events: string;
}

/** The range's rows (the planner's segment condition). Never rows without a loan id: the first range reports those (readRange). */
function rangeFilter(range: IdRange): string {
  return `WHERE ${segmentCondition(range.from, range.to)}`;
}

/** Where a loans row without a loan id is reported. */
const NO_ID = 'loans row without a loan_id';

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

export async function openDuckDB(threads: number, memoryLimit: string): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> {
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads), memory_limit: memoryLimit, preserve_insertion_order: 'false' });
  return { instance, connection: await instance.connect() };
}

/** Every valid time zone of the loans table with its local date at the as-of instant. */
export async function localDates(connection: DuckDBConnection, input: TablesInput, asOf: number): Promise<Map<string, string>> {
  const result = await connection.runAndReadAll(`SELECT DISTINCT CAST(time_zone AS VARCHAR) FROM ${scan(input.loans, input.format)} WHERE time_zone IS NOT NULL`);
  const out = new Map<string, string>();
  for (const [zone] of result.getRows()) {
    try {
      out.set(String(zone), dayToDate(localDayOf(asOf, String(zone))));
    } catch {
      // Not a time zone: such loans are never skipped early; validation rejects them.
    }
  }
  return out;
}

export interface TablesReaderOptions {
  /** The as-of instant (epoch ms): loans inactive at it are counted without reading their rows. */
  readonly asOf: number;
  readonly threads?: number;
  readonly memoryLimit?: string;
}

/** Reads one id range of the three tables: inactive loans, active histories as JSON, rejects. */
export class TablesReader {
  private constructor(
    private readonly input: TablesInput,
    private readonly connection: DuckDBConnection,
    private readonly instance: DuckDBInstance,
    private readonly asOf: number,
    private readonly dates: ReadonlyMap<string, string>,
  ) {}

  static async open(input: TablesInput, options: TablesReaderOptions): Promise<TablesReader> {
    const { instance, connection } = await openDuckDB(options.threads ?? 1, options.memoryLimit ?? '128MB');
    // Every range query scans the three files again, and each scan parses the file's footer: for the
    // 1M-loan events file (~250 row groups x 12 columns) that was ~15 µs of CPU per input loan.
    // Cached, it is parsed once per reader (DuckDB checks the file's modification time on each use).
    if (input.format === 'parquet') {
      await connection.run('LOAD parquet');
      await connection.run('SET parquet_metadata_cache = true');
    }
    return new TablesReader(input, connection, instance, options.asOf, await localDates(connection, input, options.asOf));
  }

  private query(where: string): RangeQuery {
    return { ...this.input, where, asOf: this.asOf, localDates: this.dates };
  }

  async readRange(range: IdRange): Promise<RawRecord[]> {
    const where = rangeFilter(range);
    const result = await this.connection.run(rangeQuery({ ...this.query(where), ...(range.skipFile === undefined ? {} : { skipFile: range.skipFile }) }));
    /** Per loan id: how, and for 'json' where its three texts are in `texts` (text-bytes.ts). */
    const byId = new Map<string, { how: string; at: number[] }>();
    const chunks = Array.from({ length: result.chunkCount }, (_, i) => result.getChunk(i));
    // Sized first, so the range's texts (~10-16 MB) are one allocation, not a doubling series of copies.
    const texts = new TextBytes(chunks.reduce((n, chunk) => n + TextBytes.columnBytes(chunk, 3), 0));
    let bounds = new Int32Array(0);
    for (const chunk of chunks) {
      const rows = chunk.rowCount;
      const ids = chunk.getColumnVector(0);
      const parts = chunk.getColumnVector(1);
      const hows = chunk.getColumnVector(2);
      if (bounds.length < 2 * rows) bounds = new Int32Array(2 * rows);
      texts.appendColumn(chunk, 3, bounds, 0);
      for (let r = 0; r < rows; r++) {
        const loanId = ids.getItem(r) as string;
        let entry = byId.get(loanId);
        if (entry === undefined) {
          entry = { how: 'json', at: [-1, -1, -1, -1, -1, -1] };
          byId.set(loanId, entry);
        }
        const part = parts.getItem(r) as number;
        const how = hows.getItem(r) as string;
        entry.at[2 * part] = bounds[2 * r]!;
        entry.at[2 * part + 1] = bounds[2 * r + 1]!;
        if (part === PART.loan) {
          if (how !== 'json') entry.how = how;
        } else if (how !== 'json') {
          // A schedule or events part only exists for a 'json' loan; 'rows' there sends it the rows way.
          entry.how = 'rows';
        }
      }
    }
    const bytes = texts.done();
    const lines = [...byId].map(([loanId, e]) => ({ loanId, how: e.how, at: e.at }));
    lines.sort((a, b) => compareIds(a.loanId, b.loanId));
    /** Six bounds per 'json' loan, in id order (PartBytes.at). */
    const at = new Int32Array(6 * lines.length);
    let json = 0;
    /** In id order; record null = read as rows. */
    const loans: { readonly loanId: string; readonly record: RawRecord | null }[] = [];
    const asRows: string[] = [];
    for (const { loanId, how, at: entry } of lines) {
      const position = `loan ${loanId}`;
      if (how === 'inactive') loans.push({ loanId, record: { position, loanId, inactive: true } });
      else if (how === 'json' && entry[0]! >= 0) {
        at.set(entry, 6 * json);
        // Read when the chunk gets to it (parsed histories are several times their text).
        loans.push({ loanId, record: { position, loanId, partBytes: { bytes, at, k: json++ }, recover: () => this.readRows(`WHERE loan_id = ${quote(loanId)}`) } });
      } else {
        asRows.push(loanId);
        loans.push({ loanId, record: null });
      }
    }
    const orphanIds = range.orphans ?? (((await this.connection.runAndReadAll(orphansQuery(this.query(where)))).getColumns()[0] ?? []) as string[]);
    const byRows = new Map<string, RawRecord[]>();
    if (asRows.length > 0) {
      for (const record of await this.readRows(`WHERE loan_id IN (${asRows.map(quote).join(', ')})`)) {
        const id = String(record.flat?.loan['loan_id']);
        byRows.set(id, [...(byRows.get(id) ?? []), record]);
      }
    }
    // Loans rows without an id belong to no range: the first range (the one open below) reads them as
    // rows, which rejects them naming the field. Before, every range's id filter left them out unreported.
    const out: RawRecord[] = range.from === null ? (await this.readRows('WHERE loan_id IS NULL')).map((r) => ({ ...r, position: NO_ID })) : [];
    // Orphan rejects go where the row-by-row merge reported them: before the next loan in id order.
    let o = 0;
    for (const loan of loans) {
      while (o < orphanIds.length && compareIds(orphanIds[o]!, loan.loanId) < 0) out.push(orphan(orphanIds[o++]!));
      if (loan.record === null) out.push(...(byRows.get(loan.loanId) ?? []));
      else out.push(loan.record);
    }
    while (o < orphanIds.length) out.push(orphan(orphanIds[o++]!));
    return out;
  }

  private async rows(columns: ReadonlyArray<readonly [string, ColumnType]>, path: string, where: string, orderBy: string): Promise<FlatRow[]> {
    const list = columns.map(([name, type]) => `CAST("${name}" AS ${type}) AS "${name}"`).join(', ');
    const result = await this.connection.run(`SELECT ${list} FROM ${scan(path, this.input.format)} ${where} ORDER BY ${orderBy}`);
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

  /** The loans matching `where` as rows merged per loans row (rowsToHistory's input), without orphans. */
  async readRows(where: string): Promise<RawRecord[]> {
    const loans = await this.rows(readColumns('loans'), this.input.loans, where, 'loan_id');
    const schedule = await this.rows(readColumns('schedule'), this.input.schedule, where, 'loan_id, seq');
    const events = await this.rows(readColumns('events'), this.input.events, where, 'loan_id, at_ms, event_id');
    const records: RawRecord[] = [];
    let s = 0;
    let e = 0;
    /** Rows of `table` from `at` that belong to `loanId` (rows of ids without a loans row are skipped). */
    const take = (table: FlatRow[], at: number, loanId: string, into: FlatRow[]): number => {
      while (at < table.length) {
        const order = compareIds(String(table[at]!['loan_id']), loanId);
        if (order > 0) break;
        if (order === 0) into.push(table[at]!);
        at++;
      }
      return at;
    };
    for (const loan of loans) {
      const loanId = String(loan['loan_id']);
      const flat = { loan, schedule: [] as FlatRow[], events: [] as FlatRow[] };
      s = take(schedule, s, loanId, flat.schedule);
      e = take(events, e, loanId, flat.events);
      records.push({ position: `loan ${loanId}`, flat: flat as unknown as FlatLoan });
    }
    return records;
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

const orphan = (id: string): RawRecord => ({ position: `schedule/events rows for loan ${id}`, value: { loanId: id }, error: `rows for loan ${id}, which has no row in loans` });
