// Writes the synthetic portfolio once per size as NDJSON and as flat tables (CSV, then Parquet via
// DuckDB), under data/bench/<n>/ (git-ignored); later runs reuse the files.
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { csvLine } from '../../src/batch/decision-row.js';
import { readColumns } from '../../src/batch/flat-columns.js';
import { rowsOf } from '../../test/batch/support/tables.js';
import { syntheticHistory } from './portfolio.js';

async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
}

async function close(stream: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

export interface PortfolioFiles {
  readonly dir: string;
  readonly ndjson: string;
  readonly tables: string;
}

export async function ensurePortfolio(root: string, loans: number, log: (s: string) => void): Promise<PortfolioFiles> {
  const dir = join(root, String(loans));
  const files = { dir, ndjson: join(dir, 'histories.ndjson'), tables: join(dir, 'tables') };
  if (existsSync(join(dir, 'READY'))) return files;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(files.tables, { recursive: true });
  log(`writing a ${loans.toLocaleString('en-US')}-loan synthetic portfolio to ${dir} ...`);
  const names = { loans: readColumns('loans'), schedule: readColumns('schedule'), events: readColumns('events') };
  const ndjson = createWriteStream(files.ndjson);
  const csv = Object.fromEntries(Object.entries(names).map(([t, cols]) => {
    const s = createWriteStream(join(files.tables, `${t}.csv`));
    s.write(`${cols.map(([n]) => n).join(',')}\n`);
    return [t, s];
  })) as Record<keyof typeof names, WriteStream>;
  const cell = (x: unknown) => (typeof x === 'boolean' ? String(x) : (x as string | number | null) ?? null);
  for (let i = 0; i < loans; i++) {
    const h = syntheticHistory(i);
    await write(ndjson, `${JSON.stringify(h)}\n`);
    const rows = rowsOf(h);
    await write(csv.loans, csvLine(names.loans.map(([n]) => cell(rows.loan[n]))));
    let s = '';
    for (const r of rows.schedule) s += csvLine(names.schedule.map(([n]) => cell(r[n])));
    await write(csv.schedule, s);
    let e = '';
    for (const r of rows.events) e += csvLine(names.events.map(([n]) => cell(r[n])));
    await write(csv.events, e);
    if (i > 0 && i % 200_000 === 0) log(`  ${i.toLocaleString('en-US')} loans`);
  }
  await Promise.all([close(ndjson), ...Object.values(csv).map(close)]);
  log('converting the tables to Parquet with DuckDB ...');
  const instance = await DuckDBInstance.create(':memory:', { memory_limit: '1GB' });
  const connection = await instance.connect();
  for (const [t, cols] of Object.entries(names)) {
    const types = `{${cols.map(([n, ty]) => `'${n}': '${ty}'`).join(', ')}}`;
    const src = join(files.tables, `${t}.csv`);
    await connection.run(`COPY (SELECT * FROM read_csv('${src}', header = true, columns = ${types}, allow_quoted_nulls = false)) TO '${join(files.tables, `${t}.parquet`)}' (FORMAT parquet, COMPRESSION zstd)`);
    // Keep the CSV beside for `--format csv` runs.
  }
  connection.closeSync();
  instance.closeSync();
  const ready = join(dir, 'READY.tmp');
  createWriteStream(ready).end(new Date().toISOString());
  await new Promise((r) => setTimeout(r, 50));
  renameSync(ready, join(dir, 'READY'));
  return files;
}
