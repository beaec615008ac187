// Streaming writers for a generated (or exported) portfolio: histories.ndjson, tables/*.csv, then
// tables/*.parquet converted from the CSVs by DuckDB, and optionally ground-truth.ndjson.
// Constant memory: each loan is written as it comes and nothing is kept.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TABLES, type TableName } from '../domain/history/flat.js';
import type { LoanHistory } from '../domain/history/schema.js';
import { csvLine, csvText } from './csv.js';
import { eventCsvLine, loanCsvLine, scheduleCsvLine } from './history-csv.js';
import { LineSink } from './line-sink.js';
import { csvToParquet } from './parquet.js';

export interface PortfolioWriterOptions {
  readonly dir: string;
  readonly gzip: boolean;
  /** Also write ground-truth.ndjson (kept apart from the histories and tables). */
  readonly groundTruth: boolean;
  readonly parquet: boolean;
}

const TABLE_NAMES = Object.keys(TABLES) as TableName[];

/**
 * Rows per Parquet row group, per table: 32,768 for the loans, DuckDB's default (122,880) for the others.
 * Every range query of the rescore binds and scans each file again, at a cost that grows with the row
 * groups times the columns read: a query for one loan's 25 loans columns cost ~22-31 ms of CPU with
 * 4,096-row groups (237 of them), 7-9 ms with 32,768 (16,384 the same) and 12-15 ms with 122,880, which
 * decodes more rows than a range needs; the schedule's scan 4.5 ms with 122,880 against 6-8 with 40,960
 * (docs/batch.md, "Twentieth session").
 */
export const ROW_GROUP_ROWS: Readonly<Record<TableName, number>> = { loans: 32_768, schedule: 122_880, events: 122_880 };

export class PortfolioWriter {
  private readonly histories: LineSink;
  private readonly truth: LineSink | null;
  private readonly tables: Record<TableName, LineSink>;
  private readonly opts: PortfolioWriterOptions;
  private readonly sinks: LineSink[];

  private constructor(opts: PortfolioWriterOptions, ext: string) {
    this.opts = opts;
    this.histories = new LineSink(join(opts.dir, `histories.ndjson${ext}`), opts.gzip);
    this.truth = opts.groundTruth ? new LineSink(join(opts.dir, `ground-truth.ndjson${ext}`), opts.gzip) : null;
    this.tables = {
      loans: new LineSink(join(opts.dir, 'tables', `loans.csv${ext}`), opts.gzip),
      schedule: new LineSink(join(opts.dir, 'tables', `schedule.csv${ext}`), opts.gzip),
      events: new LineSink(join(opts.dir, 'tables', `events.csv${ext}`), opts.gzip),
    };
    this.sinks = [this.histories, this.tables.loans, this.tables.schedule, this.tables.events, ...(this.truth === null ? [] : [this.truth])];
  }

  static async open(opts: PortfolioWriterOptions): Promise<PortfolioWriter> {
    await mkdir(join(opts.dir, 'tables'), { recursive: true });
    const ext = opts.gzip ? '.gz' : '';
    // A stale file from an earlier run with other flags would mislead; remove every variant.
    for (const name of ['histories.ndjson', 'ground-truth.ndjson']) for (const e of ['', '.gz']) await rm(join(opts.dir, name + e), { force: true });
    for (const t of TABLE_NAMES) for (const e of ['.csv', '.csv.gz', '.parquet']) await rm(join(opts.dir, 'tables', t + e), { force: true });
    const w = new PortfolioWriter(opts, ext);
    for (const t of TABLE_NAMES) await w.tables[t].line(csvLine(TABLES[t].map((c) => c.name)));
    return w;
  }

  async write(history: LoanHistory, truth: unknown): Promise<void> {
    this.histories.push(JSON.stringify(history));
    const loanId = csvText(history.loanId);
    this.tables.loans.push(loanCsvLine(history));
    for (const s of history.schedule) this.tables.schedule.push(scheduleCsvLine(loanId, s));
    for (const e of history.events) this.tables.events.push(eventCsvLine(loanId, e));
    if (this.truth !== null && truth !== null && truth !== undefined) this.truth.push(JSON.stringify(truth));
    for (const sink of this.sinks) if (sink.full()) await sink.flush();
  }

  /** Finish every file; then convert the CSVs to Parquet. Returns the paths written. */
  async close(): Promise<string[]> {
    const sinks = this.sinks;
    for (const s of sinks) await s.close();
    const files = sinks.map((s) => s.path);
    if (this.opts.parquet) {
      const jobs = TABLE_NAMES.map((t) => ({ csv: this.tables[t].path, parquet: join(this.opts.dir, 'tables', `${t}.parquet`), columns: TABLES[t], rowGroupSize: ROW_GROUP_ROWS[t] }));
      await csvToParquet(jobs);
      files.push(...jobs.map((j) => j.parquet));
    }
    return files;
  }
}
