// Where the CPU of an end-to-end `ews rescore` goes, by phase and by thread: the process is sampled
// every --sample-ms from /proc/<pid>/task/*/stat (user + system per thread) while it runs, and its
// threads are told apart by bench/support/thread-tag.ts (preloaded with --import, so any build can be
// measured: main's too, for a paired A/B):
//   main     the main thread: planning (JavaScript side), the ordered commit, writing the files
//   workers  the scoring worker threads: reading a range's texts, parse, validate, score, encode
//   v8       the other threads that exist before any application code runs: V8's garbage collection
//            and compiler helpers, for all threads
//   pool     libuv's pool, where @duckdb/node-api runs every query (the planner's, each range read,
//            the Parquet conversion); the tag's probe of it (~0.1-0.2 s) is left out
//   duckdb   native threads started later: DuckDB instances' own threads (an instance with
//            threads = N starts N - 1), e.g. the planner's and the conversion's
// Phases, from the run's own files: `start` (process start to the first committed chunk: node, the
// model, the first planner segment, the first ranges), `chunks` (first to last committed chunk),
// `finish` (last commit to exit: e.g. the Parquet conversion). The bands file grows with every
// commit, in any build.
//   npm run bench:rescore-phases -- [--loans 200000] [--code main=../e2e-base/bin/ews.js --code branch=bin/ews.js]
//     [--rounds 2] [--input parquet] [--workers 2] [--out-format parquet] [--sample-ms 50] [--out-dir DIR] [--extra "--chunk-size 4096"]
//     [--node "branch=--single-threaded-gc" --node "main="]   (node's own options per code; default: what bin/ews.js relaunches rescore with)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { jemallocLibrary, withPreload } from '../src/cli/allocator.js';
import { NODE_OPTIONS_BY_COMMAND, RELAUNCH_ENV } from '../src/cli/relaunch.js';
import { ensurePortfolio, parseLayout } from './support/write-portfolio.js';

const ROOT = process.cwd();
const { values } = parseArgs({
  options: {
    loans: { type: 'string', default: '200000' },
    /** label=path of a build's bin/ews.js; repeat for an A/B (runs alternate, in the order given). */
    code: { type: 'string', multiple: true },
    /**
     * label=options for node itself for that code's runs (space-separated; "label=" for none). Default: the
     * options `bin/ews.js` relaunches rescore with (src/cli/relaunch.ts). Every run gets EWS_RELAUNCH=0 and
     * its options directly, so the process sampled is the one that rescores; and jemalloc preloaded as
     * the launcher would (only with EWS_JEMALLOC=1 or a path).
     */
    node: { type: 'string', multiple: true },
    rounds: { type: 'string', default: '1' },
    input: { type: 'string', default: 'parquet' },
    workers: { type: 'string', default: '2' },
    'out-format': { type: 'string', default: 'parquet' },
    'as-of': { type: 'string', default: '2025-12-31' },
    layout: { type: 'string', default: 'origination' },
    'sample-ms': { type: 'string', default: '50' },
    'out-dir': { type: 'string' },
    /** Extra `ews rescore` arguments for every run (space-separated). */
    extra: { type: 'string', default: '' },
    /** Where the report goes (default bench/results/rescore-phases.json; runs are appended). */
    report: { type: 'string' },
  },
});

const TICK_US = 10_000; // USER_HZ = 100 on Linux
const GROUPS = ['main', 'workers', 'v8', 'pool', 'duckdb'] as const;
type Group = (typeof GROUPS)[number];
const PHASES = ['start', 'chunks', 'finish'] as const;
type Phase = (typeof PHASES)[number];

const loans = Number(values.loans);
const files = await ensurePortfolio(join(ROOT, 'data', 'bench'), loans, 10_000, (s) => console.log(s), parseLayout(values.layout));
// A folder of its own per invocation by default: two invocations at once must not share output files.
const outDir = resolve(values['out-dir'] ?? join(ROOT, 'data', 'bench', 'out-phases', String(process.pid)));
mkdirSync(outDir, { recursive: true });
const codes = (values.code ?? [`this=${join(ROOT, 'bin', 'ews.js')}`]).map((c) => {
  const eq = c.indexOf('=');
  if (eq <= 0) throw new Error(`--code: expected label=path/to/bin/ews.js, got "${c}"`);
  return { label: c.slice(0, eq), cli: resolve(c.slice(eq + 1)) };
});
const nodeOptions = new Map<string, string[]>(
  (values.node ?? []).map((n) => {
    const eq = n.indexOf('=');
    if (eq <= 0) throw new Error(`--node: expected label=options, got "${n}"`);
    return [n.slice(0, eq), n.slice(eq + 1).split(' ').filter((o) => o !== '')];
  }),
);
const optionsOf = (label: string): readonly string[] => nodeOptions.get(label) ?? NODE_OPTIONS_BY_COMMAND['rescore'] ?? [];
const tagModule = join(dirname(fileURLToPath(import.meta.url)), 'support', 'thread-tag.js');
const sampleMs = Number(values['sample-ms']);

interface ThreadSeen {
  cpuUs: number;
  /** Of cpuUs, in the kernel. */
  sysUs: number;
  firstMs: number;
  lastMs: number;
}
interface Sample {
  readonly ms: number;
  /** tid -> CPU µs so far */
  readonly cpu: Map<string, number>;
  readonly bandsBytes: number;
}

/** tid -> [user + system, system] CPU µs so far. */
function readThreads(pid: number): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, [(Number(f[11]) + Number(f[12])) * TICK_US, Number(f[12]) * TICK_US]);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

const sizeOf = (path: string): number => (existsSync(path) ? statSync(path).size : 0);

async function childPid(timePid: number): Promise<number> {
  for (let i = 0; i < 400; i++) {
    try {
      const kids = readFileSync(`/proc/${timePid}/task/${timePid}/children`, 'utf8').trim();
      if (kids !== '') return Number(kids.split(' ')[0]);
    } catch {
      // not there yet
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('could not find the node process under /usr/bin/time');
}

interface RunResult {
  label: string;
  cli: string;
  round: number;
  when: string;
  loans: number;
  scored: number;
  seconds: number;
  probeCpuSeconds: number;
  loansPerSecond: number;
  peakRssMb: number;
  cpuSeconds: number;
  cpuMicrosPerLoan: number;
  /** Of cpuMicrosPerLoan, what the samples saw per thread group (a thread's last < sample-ms is lost). */
  groupsMicrosPerLoan: Record<Group, number>;
  /** Of groupsMicrosPerLoan, in the kernel (syscalls, page faults, futex spinning). */
  groupsSystemMicrosPerLoan: Record<Group, number>;
  phases: Record<Phase, { seconds: number; micros: Record<Group | 'all', number> }>;
  threads: { tid: string; group: Group; cpuMs: number; fromS: number; toS: number }[];
  load1Before: number;
  load1After: number;
  extra: string;
  /** The options node itself ran with (relaunch.ts). */
  nodeOptions: string;
}

async function runOnce(label: string, cli: string, round: number): Promise<RunResult> {
  const out = join(outDir, `decisions-${loans}-${values.input}-${label.replace(/[^\w.-]/g, '_')}.${values['out-format']}`);
  for (const f of readdirSync(outDir)) if (f.startsWith(basename(out))) rmSync(join(outDir, f), { recursive: true, force: true });
  const tags = `${out}.threads.txt`;
  const inputArgs = values.input === 'ndjson' ? ['--input', files.ndjson] : ['--input', files.tables, '--format', values.input!];
  const args = [cli, 'rescore', ...inputArgs, '--out', out, '--as-of', values['as-of'], '--workers', values.workers, '--json', ...values.extra.split(' ').filter((s) => s !== '')];
  const jemalloc = jemallocLibrary(process.env, process.platform);
  const preload = jemalloc === null ? null : withPreload(process.env['LD_PRELOAD'], jemalloc);
  const load1Before = loadavg()[0]!;
  const t0 = performance.now();
  const child = spawn('/usr/bin/time', ['-f', 'MAXRSS_KB=%M CPU_S=%U+%S', process.execPath, ...optionsOf(label), '--import', tagModule, ...args], {
    env: { ...process.env, TZ: 'UTC', EWS_LOG_LEVEL: 'warn', EWS_THREAD_TAGS: tags, [RELAUNCH_ENV]: '0', ...(preload === null ? {} : { LD_PRELOAD: preload }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number>((r) => child.on('exit', (code) => r(code ?? -1)));
  const pid = await childPid(child.pid!);
  const samples: Sample[] = [];
  const seen = new Map<string, ThreadSeen>();
  const bandsFile = `${out}.bands.tsv`;
  const sample = (): void => {
    const ms = performance.now() - t0;
    const read = readThreads(pid);
    if (read.size === 0) return;
    const cpu = new Map<string, number>();
    for (const [tid, [us, sys]] of read) {
      cpu.set(tid, us);
      const s = seen.get(tid) ?? { cpuUs: 0, sysUs: 0, firstMs: ms, lastMs: ms };
      s.cpuUs = us;
      s.sysUs = sys;
      s.lastMs = ms;
      seen.set(tid, s);
    }
    samples.push({ ms, cpu, bandsBytes: sizeOf(bandsFile) });
  };
  const timer = setInterval(sample, sampleMs);
  const code = await exited;
  clearInterval(timer);
  const exitMs = performance.now() - t0;
  if (code !== 0 && code !== 3) {
    console.error(stderr.slice(-4000));
    throw new Error(`${label}: rescore exited with ${code}`);
  }
  const summary = JSON.parse(stdout.trim().split('\n').pop()!) as { counts: { records: number; scored: number } };
  const rss = /MAXRSS_KB=(\d+)/.exec(stderr);
  const cpuMatch = /CPU_S=([\d.]+)\+([\d.]+)/.exec(stderr);
  const timeCpuSeconds = cpuMatch === null ? -1 : Number(cpuMatch[1]) + Number(cpuMatch[2]);

  // Who is who.
  const tagLines = existsSync(tags) ? readFileSync(tags, 'utf8').split('\n') : [];
  const main = new Set<string>();
  const workers = new Set<string>();
  const startup = new Set<string>();
  const pool = new Set<string>();
  /** CPU the tag module's probe of the pool used (left out of every figure). */
  let probeUs = 0;
  for (const line of tagLines) {
    const [kind, ...ids] = line.split(' ');
    if (kind === 'probe') probeUs = Number(ids[0]);
    const set = kind === 'main' ? main : kind === 'worker' ? workers : kind === 'startup' ? startup : kind === 'pool' ? pool : null;
    for (const id of ids) if (id !== '') set?.add(id);
  }
  if (main.size === 0) throw new Error(`${label}: no thread tags in ${tags}`);
  const groupOf = (tid: string): Group => {
    if (main.has(tid)) return 'main';
    if (workers.has(tid)) return 'workers';
    if (pool.has(tid)) return 'pool';
    if (startup.has(tid)) return 'v8';
    return 'duckdb';
  };

  // Phase edges: the first sample with a committed chunk, the first with the final bands size.
  const finalBands = samples.at(-1)?.bandsBytes ?? 0;
  const firstCommit = samples.findIndex((s) => s.bandsBytes > 0);
  const lastCommit = samples.findIndex((s) => s.bandsBytes === finalBands && finalBands > 0);
  const edges = [0, firstCommit < 0 ? samples.length - 1 : firstCommit, lastCommit < 0 ? samples.length - 1 : lastCommit, samples.length - 1];
  /** CPU µs of each thread at sample i (a thread not yet seen: 0; one that ended: its last value). */
  const cpuAt = (i: number): Map<string, number> => {
    const at = new Map<string, number>();
    for (const [tid, s] of seen) {
      if (s.firstMs > samples[i]!.ms) continue;
      at.set(tid, samples[i]!.cpu.get(tid) ?? (s.lastMs <= samples[i]!.ms ? s.cpuUs : 0));
    }
    return at;
  };
  const cpuSeconds = timeCpuSeconds - probeUs / 1e6;
  const records = summary.counts.records;
  const per = (us: number): number => Number((us / records).toFixed(1));
  const phases = {} as RunResult['phases'];
  for (const [k, phase] of PHASES.entries()) {
    const from = k === 0 ? new Map<string, number>() : cpuAt(edges[k]!);
    const to = k === PHASES.length - 1 ? new Map([...seen].map(([tid, s]) => [tid, s.cpuUs])) : cpuAt(edges[k + 1]!);
    const micros = { all: k === 0 ? -probeUs : 0, main: 0, workers: 0, v8: 0, pool: k === 0 ? -probeUs : 0, duckdb: 0 };
    for (const [tid, us] of to) {
      const used = us - (from.get(tid) ?? 0);
      micros[groupOf(tid)] += used;
      micros.all += used;
    }
    const fromMs = k === 0 ? 0 : samples[edges[k]!]!.ms;
    const toMs = k === PHASES.length - 1 ? exitMs : samples[edges[k + 1]!]!.ms;
    phases[phase] = { seconds: Number(((toMs - fromMs) / 1000).toFixed(2)), micros: Object.fromEntries(Object.entries(micros).map(([g, us]) => [g, per(us)])) as Record<Group | 'all', number> };
  }
  const groups = Object.fromEntries(GROUPS.map((g) => [g, 0])) as Record<Group, number>;
  for (const [tid, s] of seen) groups[groupOf(tid)] += s.cpuUs;
  groups.pool -= probeUs;
  const sys = Object.fromEntries(GROUPS.map((g) => [g, 0])) as Record<Group, number>;
  for (const [tid, s] of seen) sys[groupOf(tid)] += s.sysUs;
  const threads = [...seen]
    .filter(([, s]) => s.cpuUs > 0)
    .map(([tid, s]) => ({ tid, group: groupOf(tid), cpuMs: Math.round(s.cpuUs / 1000), fromS: Number((s.firstMs / 1000).toFixed(2)), toS: Number((s.lastMs / 1000).toFixed(2)) }))
    .sort((a, b) => b.cpuMs - a.cpuMs);
  rmSync(tags, { force: true });
  return {
    label,
    cli,
    round,
    when: new Date().toISOString(),
    loans: records,
    scored: summary.counts.scored,
    seconds: Number((exitMs / 1000).toFixed(2)),
    /** The tag module's probe of the pool (a few pbkdf2 jobs before the program starts): left out of the CPU figures, not of the wall time. */
    probeCpuSeconds: Number((probeUs / 1e6).toFixed(2)),
    loansPerSecond: Math.round((records * 1000) / exitMs),
    peakRssMb: rss === null ? -1 : Math.round(Number(rss[1]) / 1024),
    cpuSeconds: Number(cpuSeconds.toFixed(2)),
    cpuMicrosPerLoan: per(cpuSeconds * 1e6),
    groupsMicrosPerLoan: Object.fromEntries(Object.entries(groups).map(([g, us]) => [g, per(us)])) as Record<Group, number>,
    groupsSystemMicrosPerLoan: Object.fromEntries(Object.entries(sys).map(([g, us]) => [g, per(us)])) as Record<Group, number>,
    phases,
    threads,
    load1Before: Number(load1Before.toFixed(2)),
    load1After: Number(loadavg()[0]!.toFixed(2)),
    extra: values.extra,
    nodeOptions: optionsOf(label).join(' '),
  };
}

const reportPath = values.report ?? join(ROOT, 'bench', 'results', 'rescore-phases.json');
const earlier = existsSync(reportPath) ? ((JSON.parse(readFileSync(reportPath, 'utf8')) as { runs?: RunResult[] }).runs ?? []) : [];
const runs: RunResult[] = [];
const fmt = (r: Record<string, number>): string => Object.entries(r).map(([k, v]) => `${k} ${v}`).join(', ');
for (let round = 0; round < Number(values.rounds); round++) {
  for (const { label, cli } of codes) {
    const r = await runOnce(label, cli, round);
    runs.push(r);
    console.log(`[${label} #${round}] ${r.seconds} s, ${r.loansPerSecond.toLocaleString('en-US')} loans/s, CPU ${r.cpuSeconds} s = ${r.cpuMicrosPerLoan} µs/loan, peak RSS ${r.peakRssMb} MB, load ${r.load1Before} -> ${r.load1After}`);
    console.log(`   by thread (µs/loan): ${fmt(r.groupsMicrosPerLoan)}; of it in the kernel: ${fmt(r.groupsSystemMicrosPerLoan)}`);
    for (const p of PHASES) console.log(`   ${p.padEnd(6)} ${String(r.phases[p].seconds).padStart(6)} s: ${fmt(r.phases[p].micros)}`);
    mkdirSync(dirname(reportPath), { recursive: true });
    writeFileSync(
      reportPath,
      `${JSON.stringify(
        {
          benchmark: 'rescore end to end, CPU by phase and by thread (bench/rescore-phases.ts); µs of CPU per input loan',
          portfolio: `${files.note} (${files.dir})`,
          input: values.input,
          workers: Number(values.workers),
          outFormat: values['out-format'],
          asOf: values['as-of'],
          runs: [...earlier, ...runs],
        },
        null,
        2,
      )}\n`,
    );
  }
}
