// End-to-end benchmark of `ews rescore`: N synthetic loans from Parquet and from NDJSON, with 1 and
// 2 workers; loans/s and peak RSS (GNU time's maximum resident set size of the whole process, all
// worker threads included). The baseline in the same run is the 1-worker NDJSON run; the machine is
// shared, so the load average is recorded beside each figure, and so is the machine's speed for the scoring
// code just before each run (bench/support/reference-speed.ts, `referenceMicrosPerLoan`).
// `--cli PATH --label NAME` runs another build's ews.js (say main's, from `git archive main` built in
// tmp/) on the same portfolio, for a paired A/B: its results carry the label (and do not replace this
// code's runs in the report).
//   npm run bench:rescore -- [--loans 1000000] [--base 10000] [--scorer engine|fixture] [--model DIR] [--runs parquet:1,parquet:2,ndjson:1,ndjson:2] [--chunk-size N] [--readers N] [--out-dir DIR] [--cli PATH --label NAME]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensurePortfolio, parseLayout } from './support/write-portfolio.js';
import { referenceMicrosPerLoan } from './support/reference-speed.js';
import { NODE_OPTIONS_BY_COMMAND, RELAUNCH_ENV } from '../src/cli/relaunch.js';

const ROOT = process.cwd(); // npm runs scripts from the package root
const { values } = parseArgs({
  options: {
    loans: { type: 'string', default: '1000000' },
    base: { type: 'string', default: '10000' },
    scorer: { type: 'string', default: 'engine' },
    model: { type: 'string' },
    runs: { type: 'string', default: 'parquet:1,parquet:2,ndjson:1,ndjson:2' },
    'as-of': { type: 'string', default: '2025-12-31' },
    /** Which bench portfolio (bench/support/write-portfolio.ts): origination (generated, ids in origination order), replicated or ordered (replicas). */
    layout: { type: 'string', default: 'origination' },
    /** Loans per chunk (ews rescore's --chunk-size); the rescore default when omitted. */
    'chunk-size': { type: 'string' },
    /** Table readers per worker (ews rescore's --readers); the rescore default when omitted. */
    readers: { type: 'string' },
    /** Where the decisions go (default data/bench/out; a private folder keeps concurrent runs apart). */
    'out-dir': { type: 'string' },
    /** Another build's bin/ews.js to run instead of this one's (an A/B against, say, main). */
    cli: { type: 'string' },
    /** The label of the --cli runs in the report. */
    label: { type: 'string' },
  },
});
const cli = values.cli ?? join(ROOT, 'bin', 'ews.js');
const label = values.label ?? (values.cli === undefined ? undefined : values.cli);
const loans = Number(values.loans);
const files = await ensurePortfolio(join(ROOT, 'data', 'bench'), loans, Number(values.base), (s) => console.log(s), parseLayout(values.layout));
const outDir = values['out-dir'] ?? join(ROOT, 'data', 'bench', 'out');
mkdirSync(outDir, { recursive: true });

interface Result {
  input: string;
  /** The bench portfolio's layout (runs before the layout existed were on 'replicated'). */
  layout?: string;
  workers: number;
  loans: number;
  seconds: number;
  loansPerSecond: number;
  peakRssMb: number;
  /** User + system CPU seconds of the whole process (all threads): the load-independent cost. */
  cpuSeconds: number;
  cpuMicrosPerLoan: number;
  scored: number;
  rejected: number;
  /** Loans per chunk (undefined: the rescore default). */
  chunkSize?: number;
  /** Table readers per worker (undefined: the rescore default). */
  readers?: number;
  /** Scored loans per second (only active loans are scored; the rest are counted inactive). */
  scoredPerSecond: number;
  load1Before: number;
  load1After: number;
  /** The machine's speed just before the run: reference-speed.ts's CPU µs a loan (41.8 in the tenth session). */
  referenceMicrosPerLoan?: number;
  when: string;
  data: string;
  /** Which code ran, when not this one (--label / --cli). */
  code?: string;
  /** This build's runs: the options for node that bin/ews.js relaunched rescore with ('' with EWS_RELAUNCH=0). */
  nodeOptions?: string;
  /** From the rescoring process's start log: V8's collector and the malloc it ran on (jemalloc with EWS_JEMALLOC=1). */
  gc?: string;
  allocator?: string;
}

/** The fields of the "rescore starting" log line (an older build's may lack some). */
function startFields(stderr: string): { gc?: string; allocator?: string } {
  const line = stderr.split('\n').find((l) => l.includes('"rescore starting"'));
  if (line === undefined) return {};
  const { gc, allocator } = JSON.parse(line) as { gc?: string; allocator?: string };
  return { ...(gc === undefined ? {} : { gc }), ...(allocator === undefined ? {} : { allocator }) };
}

const REPORT = join(ROOT, 'bench', 'results', 'rescore.json');

/** Runs of earlier invocations (other portfolio sizes) are kept; a run of the same size, input and workers is replaced. */
function earlierRuns(): Result[] {
  if (!existsSync(REPORT)) return [];
  const old = JSON.parse(readFileSync(REPORT, 'utf8')) as { results?: Result[] };
  return (old.results ?? []).filter((r) => r.when !== undefined && !results.some((n) => n.loans === r.loans && n.input === r.input && n.workers === r.workers && n.layout === (r.layout ?? 'replicated') && n.code === r.code));
}

function writeReport(): void {
  if (results.length === 0) return;
  const all = [...earlierRuns(), ...results].sort((a, b) => a.loans - b.loans || a.input.localeCompare(b.input) || a.workers - b.workers);
  const layoutOf = (r: Result): string => r.layout ?? 'replicated';
  const baselineOf = (x: Result) => all.find((r) => r.loans === x.loans && layoutOf(r) === layoutOf(x) && r.input === 'ndjson' && r.workers === 1 && r.code === x.code) ?? x;
  const report = {
    benchmark: 'rescore end to end (process start to exit; decisions written as Parquet)',
    when: new Date().toISOString(),
    machine: { cpus: os.availableParallelism(), node: process.version, note: 'shared with other processes; see the load averages' },
    scorer: values.scorer,
    model: values.model ?? 'EWS_MODEL_DIR (default models/default)',
    asOf: values['as-of'],
    results: all.map((r) => ({ ...r, vsBaseline: Number((r.loansPerSecond / baselineOf(r).loansPerSecond).toFixed(2)) })),
    baseline: 'ndjson with 1 worker, same portfolio size and layout (runs without a layout were on replicated)',
    targets: { loansPerSecondFromParquet: 50_000, peakRssMb: 1536 },
  };
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(REPORT, `${JSON.stringify(report, null, 2)}\n`);
}

const results: Result[] = [];
const os = await import('node:os');

for (const spec of values.runs.split(',').filter((s) => s !== '')) {
  const [input, w] = spec.split(':');
  const workers = Number(w);
  const out = join(outDir, `decisions-${loans}-${input}-${workers}${label === undefined ? '' : `-${label.replace(/[^\w.-]/g, '_')}`}.parquet`);
  for (const f of [out, `${out}.checkpoint.json`, `${out}.bands.tsv`, `${out}.bands.prev.tsv`]) rmSync(f, { force: true });
  // --readers only applies to flat tables.
  const readers = input === 'ndjson' ? undefined : values.readers;
  const inputArgs = input === 'ndjson' ? ['--input', files.ndjson] : ['--input', files.tables, '--format', input!];
  const args = [cli, 'rescore', ...inputArgs, '--out', out, '--as-of', values['as-of'], '--workers', String(workers), '--scorer', values.scorer, ...(values['chunk-size'] === undefined ? [] : ['--chunk-size', values['chunk-size']]), ...(readers === undefined ? [] : ['--readers', readers]), ...(values.model === undefined ? [] : ['--model', values.model]), '--json'];
  const reference = await referenceMicrosPerLoan();
  const load1Before = loadavg()[0]!;
  const started = performance.now();
  const run = spawnSync('/usr/bin/time', ['-f', 'MAXRSS_KB=%M CPU_S=%U+%S', process.execPath, ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC', EWS_LOG_LEVEL: 'info' }, maxBuffer: 1 << 26 });
  const seconds = (performance.now() - started) / 1000;
  const rss = /MAXRSS_KB=(\d+)/.exec(run.stderr);
  const cpu = /CPU_S=([\d.]+)\+([\d.]+)/.exec(run.stderr);
  const cpuSeconds = cpu === null ? -1 : Number(cpu[1]) + Number(cpu[2]);
  if (run.status !== 0 && run.status !== 3) {
    console.error(run.stderr.slice(-4000));
    throw new Error(`run ${spec} failed with exit ${run.status}`);
  }
  const summary = JSON.parse(run.stdout.trim().split('\n').pop()!);
  const r: Result = {
    input: input!,
    layout: values.layout,
    workers,
    loans,
    seconds: Number(seconds.toFixed(2)),
    loansPerSecond: Math.round(loans / seconds),
    peakRssMb: rss === null ? -1 : Math.round(Number(rss[1]) / 1024),
    cpuSeconds: Number(cpuSeconds.toFixed(1)),
    cpuMicrosPerLoan: Math.round((cpuSeconds * 1e6) / loans),
    ...(values['chunk-size'] === undefined ? {} : { chunkSize: Number(values['chunk-size']) }),
    ...(readers === undefined ? {} : { readers: Number(readers) }),
    scored: summary.counts.scored,
    rejected: summary.counts.rejected,
    scoredPerSecond: Math.round(summary.counts.scored / seconds),
    load1Before: Number(load1Before.toFixed(2)),
    load1After: Number(loadavg()[0]!.toFixed(2)),
    referenceMicrosPerLoan: reference,
    when: new Date().toISOString(),
    data: `${files.note} (${files.dir})`,
    ...(label === undefined ? { nodeOptions: process.env[RELAUNCH_ENV] === '0' ? '' : (NODE_OPTIONS_BY_COMMAND['rescore'] ?? []).join(' ') } : { code: label }),
    ...startFields(run.stderr),
  };
  results.push(r);
  writeReport();
  console.log(`${label === undefined ? '' : `[${label}] `}${spec.padEnd(10)} ${r.seconds.toFixed(1).padStart(7)} s  ${r.loansPerSecond.toLocaleString('en-US').padStart(8)} loans/s (${r.scoredPerSecond.toLocaleString('en-US')} scored/s)  peak RSS ${r.peakRssMb} MB  CPU ${r.cpuSeconds} s = ${r.cpuMicrosPerLoan} µs/loan  (${r.allocator ?? 'allocator not logged'}; load ${r.load1Before} -> ${r.load1After}; reference job ${reference} µs a loan)`);
}

console.log(`wrote bench/results/rescore.json (${results.length} runs)`);
