// The rescore's range query (history-sql.ts) against what DuckDB needs just to read the same bytes, in one
// run and one DuckDB thread: CPU µs per input loan of the query at several range sizes (a fixed cost per
// query plus a cost per loan: the fit of the two), and the floor, one scan of every column the query reads
// from the three files (each column's max: every value decoded, nothing built). The ratio query/floor is what building the
// histories' texts costs on top of reading them: what a faster read path has to beat (docs/batch.md).
// Sizes run by turns, ROUNDS times, medians reported.
//   npm run bench:range-query -- [--loans 1000000] [--sizes 2000,8000,32000] [--span 64000] [--rounds 3]
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { quote, rangeQuery } from '../src/batch/history-sql.js';
import { TABLES, type TableName } from '../src/domain/history/flat.js';
import { localDates, openDuckDB } from '../src/batch/read-tables.js';
import { ensurePortfolio, parseLayout } from './support/write-portfolio.js';
import { median } from './support/median.js';

const ROOT = process.cwd();
const { values } = parseArgs({
  options: {
    loans: { type: 'string', default: '1000000' },
    sizes: { type: 'string', default: '2000,8000,32000' },
    /** Loans measured at each size: the same span of ids, cut into ranges of that size. */
    span: { type: 'string', default: '64000' },
    rounds: { type: 'string', default: '3' },
    'as-of': { type: 'string', default: '2025-12-31' },
    layout: { type: 'string', default: 'origination' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const span = Number(values.span);
const rounds = Number(values.rounds);
const asOf = Date.parse(`${values['as-of']}T00:00:00Z`);
const load1Before = loadavg()[0]!;
const files = await ensurePortfolio(join(ROOT, 'data', 'bench'), Number(values.loans), 10_000, (s) => process.stderr.write(`${s}\n`), parseLayout(values.layout));
const input = { format: 'parquet' as const, loans: join(files.tables, 'loans.parquet'), schedule: join(files.tables, 'schedule.parquet'), events: join(files.tables, 'events.parquet') };
// As the rescore's reader opens it (read-tables.ts), with more memory for the largest ranges.
const { connection } = await openDuckDB(1, '512MB');
await connection.run('SET parquet_metadata_cache = true');
const zones = await localDates(connection, input, asOf);
const ids = (await connection.runAndReadAll(`SELECT loan_id FROM read_parquet(${quote(input.loans)}) ORDER BY loan_id`)).getColumns()[0] as string[];
const start = Math.max(0, Math.floor(ids.length / 2 - span / 2));
if (start + span >= ids.length) throw new Error(`--span ${span} needs more than the ${ids.length} loans of the portfolio`);
const from = ids[start]!;
const to = ids[start + span]!;

const cpuMicros = async (sql: string): Promise<number> => {
  const t = process.cpuUsage();
  await connection.runAndReadAll(sql);
  const u = process.cpuUsage(t);
  return u.user + u.system;
};
const where = (a: string, b: string): string => `WHERE loan_id >= ${quote(a)} AND loan_id < ${quote(b)}`;
/** The span read as ranges of `size` loans: CPU µs per input loan. */
async function query(size: number): Promise<number> {
  let total = 0;
  for (let a = start; a < start + span; a += size) total += await cpuMicros(rangeQuery({ ...input, where: where(ids[a]!, ids[Math.min(a + size, start + span)]!), asOf, localDates: zones }));
  return total / span;
}
/** Every column the range query reads, over the same span, one query a table, nothing built: CPU µs per input loan. */
async function floor(): Promise<number> {
  const w = where(from, to);
  // The max of each column of the contract's tables (the query casts them all): every value decoded and
  // compared, nothing converted or built.
  const maxOf = (t: TableName): string => TABLES[t].map((c) => `max("${c.name}")`).join(', ');
  let total = 0;
  for (const t of ['loans', 'schedule', 'events'] as const) total += await cpuMicros(`SELECT ${maxOf(t)} FROM read_parquet(${quote(input[t])}) ${w}`);
  return total / span;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
await query(sizes[0]!); // warm: footers cached, code paths loaded
const runs: Record<string, number[]> = { floor: [] };
for (const s of sizes) runs[`query ${s}`] = [];
for (let r = 0; r < rounds; r++) {
  runs.floor!.push(await floor());
  for (const s of sizes) runs[`query ${s}`]!.push(await query(s));
}
const medians = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, round1(median(v))]));
// cost(size) = perLoan + perQuery / size, fitted to the smallest and largest size.
const small = Math.min(...sizes);
const large = Math.max(...sizes);
const perQueryMs = ((medians[`query ${small}`]! - medians[`query ${large}`]!) / (1 / small - 1 / large)) / 1000;
const perLoan = medians[`query ${large}`]! - (perQueryMs * 1000) / large;
const result = {
  benchmark: 'rescore range query against a scan of the same columns, one DuckDB thread (bench/range-query.ts)',
  when: new Date().toISOString(),
  load1: { before: load1Before, after: loadavg()[0]! },
  portfolio: relative(ROOT, files.tables),
  asOf: new Date(asOf).toISOString(),
  span: { loans: span, from, to },
  rounds,
  cpuMicrosPerInputLoan: medians,
  runs: Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, v.map(round1)])),
  fit: { perQueryMs: round1(perQueryMs), perInputLoanMicros: round1(perLoan) },
  ratioToFloor: Object.fromEntries(sizes.map((s) => [`query ${s}`, round1(medians[`query ${s}`]! / medians.floor!)])),
};
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(join(ROOT, 'bench', 'results', 'range-query.json'), `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
