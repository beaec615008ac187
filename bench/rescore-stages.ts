// Where the CPU of a Parquet rescore goes, stage by stage, in one thread: the table reader (DuckDB
// query + one JSON string per active loan; the DuckDB query alone is timed again on a connection of
// its own, so read - query is the JavaScript side: fetching the strings, sorting, records), JSON.parse, validation (parseHistory), the
// active check, scoreMany (features, model, rules, policy, decision), encoding the decision (CSV).
// CPU µs per input loan and per scored loan, from process.cpuUsage (DuckDB's own thread included in
// the reader stage: it runs while this thread waits). Run on a quiet machine for clean figures.
//   npm run bench:rescore-stages -- [--loans 50000] [--warmup-ranges 4] [--ranges 8] [--chunk-size 4096]
import { writeFileSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isActive, knownInactive } from '../src/batch/active.js';
import { writeDecisionLine } from '../src/batch/decision-row.js';
import { Utf8Writer } from '../src/domain/decision/utf8-writer.js';
import { DuckDBInstance } from '@duckdb/node-api';
import { quote, rangeQuery } from '../src/batch/history-sql.js';
import type { IdRange } from '../src/batch/source.js';
import { localDates, TablesReader } from '../src/batch/read-tables.js';
import { tablesSource } from '../src/batch/tables-source.js';
import { buildScorer } from '../src/batch/scorer-factory.js';
import { parseHistory } from '../src/domain/history/validate.js';
import { readHistoryText } from '../src/domain/history/text-history.js';
import { readPartBytes } from '../src/batch/part-bytes.js';
import { rawValue, type RawRecord } from '../src/batch/chunk.js';
import type { LoanHistory } from '../src/domain/history/schema.js';
import { ensurePortfolio, parseLayout } from './support/write-portfolio.js';

const ROOT = process.cwd();
const { values } = parseArgs({
  options: {
    loans: { type: 'string', default: '50000' },
    ranges: { type: 'string', default: '8' },
    // Ranges run through every stage first and not counted: the scoring code needs ~20k loans before
    // V8 has optimised it (a cold scoreMany costs 3x its steady state), which a 1M-loan run amortises.
    'warmup-ranges': { type: 'string', default: '4' },
    'chunk-size': { type: 'string', default: '4096' },
    'as-of': { type: 'string', default: '2025-12-31' },
    /** Which bench portfolio (bench/support/write-portfolio.ts): origination (generated, ids in origination order), replicated or ordered (replicas). */
    layout: { type: 'string', default: 'origination' },
  },
});
const asOf = Date.parse(`${values['as-of']}T00:00:00Z`);
const files = await ensurePortfolio(join(ROOT, 'data', 'bench'), Number(values.loans), 10_000, (s) => console.log(s), parseLayout(values.layout));
const input = { format: 'parquet' as const, loans: join(files.tables, 'loans.parquet'), schedule: join(files.tables, 'schedule.parquet'), events: join(files.tables, 'events.parquet') };
const scorer = await buildScorer({ kind: 'engine', modelDir: join(ROOT, 'models', 'default'), rulesFile: join(ROOT, 'config', 'rules', 'default.json'), policyFile: join(ROOT, 'config', 'policy', 'default.json') });
const reader = await TablesReader.open(input, { asOf });
const source = await tablesSource(input, Number(values['chunk-size']), asOf);

const duck = await DuckDBInstance.create(':memory:', { threads: '1', memory_limit: '128MB', preserve_insertion_order: 'false' });
const duckConnection = await duck.connect();
const zones = await localDates(duckConnection, input, asOf);
/** CPU of the range query alone (DuckDB's thread; this one waits), its result read but not converted. */
let queryMicros = 0;
const cpu = { read: 0, parse: 0, validate: 0, active: 0, score: 0, encode: 0 };
/** The text reader's path over the same records (chunk.ts: reader first, JSON.parse + parseHistory when it is not sure), in place of parse + validate. */
let textReadMicros = 0;
let textReadMismatch = 0;
/** Records the reader answered, and those it left to JSON.parse + parseHistory (counted ranges only). */
const textReadCounts = { answered: 0, fellBack: 0 };
let countReads = false;
const byReader = (records: readonly RawRecord[]): LoanHistory[] => {
  const out: LoanHistory[] = [];
  for (const r of records) {
    if (r.text === undefined && r.partBytes === undefined) continue;
    const read = r.partBytes !== undefined ? readPartBytes(r.partBytes) : readHistoryText(r.text!);
    if (countReads) textReadCounts[read !== undefined ? 'answered' : 'fellBack']++;
    if (read !== undefined) {
      out.push(read);
      continue;
    }
    const raw = rawValue(r);
    if (knownInactive(raw, asOf)) continue;
    const parsed = parseHistory(raw);
    if (parsed.ok) out.push(parsed.value);
  }
  return out;
};
const cpuNow = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
let loans = 0;
let scored = 0;
let encodedBytes = 0;
/** The staging lines of a range, written as the chunk writes them (bytes); reset per range. */
const encoded = new Utf8Writer(1 << 22);
const load1Before = loadavg()[0]!;
const whereOf = (range: IdRange): string => {
  const parts = [range.from === null ? null : `loan_id >= ${quote(range.from)}`, range.to === null ? null : `loan_id < ${quote(range.to)}`].filter((x) => x !== null);
  return parts.length === 0 ? '' : `WHERE ${parts.join(' AND ')}`;
};
const queryAlone = async (range: IdRange): Promise<void> => {
  const result = await duckConnection.run(rangeQuery({ ...input, where: whereOf(range), asOf, localDates: zones }));
  for (let k = 0; k < result.chunkCount; k++) result.getChunk(k);
};
// Warm up: the first ranges go through every stage uncounted (files opened, footers cached, code
// optimised); the measured ranges follow them.
const warmup = Number(values['warmup-ranges']);
const all: IdRange[] = [];
for await (const chunk of source.chunks(0)) all.push(chunk.range!);
const measured = Number(values.ranges);
if (all.length < warmup + measured) throw new Error(`only ${all.length} chunks: lower --warmup-ranges / --ranges or use more --loans`);
// Spread over the whole portfolio (in an origination-ordered file, old ids are mostly closed loans and
// new ones mostly active): warm-up ranges evenly spaced, measured ones evenly spaced between them.
const spread = (n: number, offset: number): IdRange[] => Array.from({ length: n }, (_, j) => all[Math.min(all.length - 1, Math.floor(((j + offset) * all.length) / n))]!);
const ranges: IdRange[] = [...spread(warmup, 0.25), ...spread(measured, 0.5)];
for (const [k, range] of ranges.entries()) {
  const counted = k >= warmup;
  let t = cpuNow();
  const lap = (stage: keyof typeof cpu) => {
    const now = cpuNow();
    if (counted) cpu[stage] += now - t;
    t = now;
  };
  const records = await reader.readRange(range);
  lap('read');
  const q0 = cpuNow();
  await queryAlone(range);
  if (counted) queryMicros += cpuNow() - q0;
  t = cpuNow();
  if (counted) loans += records.length;
  // The reader's path on the same records, before or after the old one by turns (caches warm either way).
  const readerFirst = k % 2 === 1;
  let viaReader: LoanHistory[] = [];
  const timeReader = () => {
    countReads = counted;
    const r0 = cpuNow();
    viaReader = byReader(records);
    if (counted) textReadMicros += cpuNow() - r0;
  };
  if (readerFirst) timeReader();
  t = cpuNow();
  const raws = records.filter((r) => r.text !== undefined || r.partBytes !== undefined).map(rawValue);
  lap('parse');
  const histories: LoanHistory[] = [];
  for (const raw of raws) {
    if (knownInactive(raw, asOf)) continue;
    const parsed = parseHistory(raw);
    if (parsed.ok) histories.push(parsed.value);
  }
  lap('validate');
  if (!readerFirst) timeReader();
  // The reader may also return loans knownInactive skipped: the same once isActive has decided.
  const activeByReader = viaReader.filter((h) => isActive(h, asOf));
  t = cpuNow();
  const active = histories.filter((h) => isActive(h, asOf));
  lap('active');
  // Outside the laps: the reader's path gives the same active histories (values, keys, order).
  if (counted && JSON.stringify(activeByReader) !== JSON.stringify(active)) textReadMismatch++;
  t = cpuNow();
  const decisions = await scorer.scoreMany(active, asOf);
  lap('score');
  encoded.reset();
  for (const d of decisions) writeDecisionLine(encoded, d, 'parquet');
  const bytes = encoded.length;
  lap('encode');
  if (counted) {
    encodedBytes += bytes;
    scored += decisions.length;
  }
}
reader.close();
duckConnection.closeSync();
duck.closeSync();

const total = Object.values(cpu).reduce((a, b) => a + b, 0);
const stages = Object.fromEntries(
  Object.entries(cpu).map(([k, us]) => [k, { microsPerInputLoan: Number((us / loans).toFixed(1)), microsPerScoredLoan: Number((us / scored).toFixed(1)), share: Number((us / total).toFixed(3)) }]),
);
const report = {
  benchmark: 'rescore from Parquet, CPU per stage in one thread (bench/rescore-stages.ts)',
  when: new Date().toISOString(),
  data: files.note,
  asOf: values['as-of'],
  loans,
  scored,
  encodedBytes,
  load1Before: Number(load1Before.toFixed(2)),
  load1After: Number(loadavg()[0]!.toFixed(2)),
  totalMicrosPerInputLoan: Number((total / loans).toFixed(1)),
  chunkSize: Number(values['chunk-size']),
  warmupRanges: warmup,
  /** Inside `read`: the DuckDB range query alone (timed again on its own connection); the rest is JavaScript. */
  readQueryMicrosPerInputLoan: Number((queryMicros / loans).toFixed(1)),
  impliedLoansPerSecondOn2Cores: Math.round((2 * 1e6 * loans) / total),
  stages,
  /** The text reader's path (reader, and JSON.parse + parseHistory when it is not sure) in place of parse + validate, same records, same run. */
  textRead: {
    microsPerInputLoan: Number((textReadMicros / loans).toFixed(1)),
    microsPerScoredLoan: Number((textReadMicros / scored).toFixed(1)),
    parseAndValidateMicrosPerInputLoan: Number(((cpu.parse + cpu.validate) / loans).toFixed(1)),
    ratio: Number(((cpu.parse + cpu.validate) / textReadMicros).toFixed(2)),
    totalMicrosPerInputLoanWithReader: Number(((total - cpu.parse - cpu.validate + textReadMicros) / loans).toFixed(1)),
    rangesWhereActiveHistoriesDiffered: textReadMismatch,
    ...textReadCounts,
  },
};
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(join(ROOT, 'bench', 'results', 'rescore-stages.json'), `${JSON.stringify(report, null, 2)}\n`);
for (const [k, v] of Object.entries(stages)) console.log(`${k.padEnd(9)} ${String(v.microsPerInputLoan).padStart(7)} µs/input loan ${String(v.microsPerScoredLoan).padStart(7)} µs/scored loan  ${(v.share * 100).toFixed(0)}%`);
console.log(`  of read: DuckDB query ${report.readQueryMicrosPerInputLoan} µs/input loan (timed alone), JavaScript ~${(report.stages.read!.microsPerInputLoan - report.readQueryMicrosPerInputLoan).toFixed(1)}`);
console.log(`text reader in place of parse + validate: ${report.textRead.microsPerInputLoan} µs/input loan against ${report.textRead.parseAndValidateMicrosPerInputLoan} (${report.textRead.ratio}x); total with it ${report.textRead.totalMicrosPerInputLoanWithReader}; ranges differing: ${textReadMismatch}; answered ${textReadCounts.answered}, fell back ${textReadCounts.fellBack}`);
console.log(`total     ${report.totalMicrosPerInputLoan} µs/input loan over ${loans} loans (${scored} scored); load ${report.load1Before} -> ${report.load1After}`);
