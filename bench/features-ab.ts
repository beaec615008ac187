// Same-process A/B of the feature engine: an older build against this tree, with the narrow
// baseline (`at` parsed, type and amount touched) interleaved, round by round (order alternating), on
// one thread. Reports the median of the per-round CPU ratios, which resist the load changes of a shared
// machine better than separate runs. Before timing, it checks that both engines give bit-identical
// matrices for the whole sample at two as-of instants (a speed step must not change a value).
//
//   git archive 512dad8 | (mkdir -p tmp/old-src && tar -x -C tmp/old-src)
//   ln -sfn ../../node_modules tmp/old-src/node_modules
//   (cd tmp/old-src && npx tsc -p tsconfig.json --noEmit false --outDir ../old-build)
//   npm run bench:features-ab -- --old tmp/old-build [--loans 150000 --rounds 11 --input data/sample/histories.ndjson.gz]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import * as current from '../src/domain/features/index.js';
import { parseInstant } from '../src/domain/history/calendar.js';
import { LoanHistory } from '../src/domain/history/schema.js';
import { baselineAtTypeAmount } from './support/event-baselines.js';
import { median } from './support/median.js';

interface Engine {
  featureCount(): number;
  computeFeaturesInto(out: Float32Array, offset: number, history: LoanHistory, asOfMs: number): void;
}

interface Args {
  old: string;
  loans: number;
  rounds: number;
  input: string;
  out: string;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { old: '', loans: 150_000, rounds: 11, input: 'data/sample/histories.ndjson.gz', out: 'bench/results/features-ab.json' };
  for (let i = 0; i + 1 < argv.length; i += 2) {
    const flag = argv[i];
    const v = argv[i + 1]!;
    if (flag === '--old') args.old = v;
    else if (flag === '--loans') args.loans = Number(v);
    else if (flag === '--rounds') args.rounds = Number(v);
    else if (flag === '--input') args.input = v;
    else if (flag === '--out') args.out = v;
    else throw new Error(`unknown option ${flag}; expected --old, --loans, --rounds, --input or --out`);
  }
  if (args.old === '') throw new Error('--old <build root> is required: a compiled older tree (see the header of bench/features-ab.ts)');
  return args;
}

function loadSample(path: string): LoanHistory[] {
  const bytes = readFileSync(path);
  const text = path.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const raw = JSON.parse(l) as Record<string, unknown>;
      return LoanHistory.parse('history' in raw ? raw.history : raw);
    });
}

/** Throws at the first value that differs (Object.is: -0 and NaN count). */
function checkIdentical(a: Engine, b: Engine, loans: readonly LoanHistory[], asOf: number): void {
  const d = a.featureCount();
  if (b.featureCount() !== d) throw new Error(`feature counts differ: ${d} and ${b.featureCount()}`);
  const ma = new Float32Array(loans.length * d);
  const mb = new Float32Array(loans.length * d);
  for (let i = 0; i < loans.length; i++) {
    a.computeFeaturesInto(ma, i * d, loans[i]!, asOf);
    b.computeFeaturesInto(mb, i * d, loans[i]!, asOf);
  }
  for (let i = 0; i < ma.length; i++) {
    if (!Object.is(ma[i], mb[i])) throw new Error(`loan ${Math.floor(i / d)}, feature ${i % d}: ${ma[i]} (old) and ${mb[i]} (new)`);
  }
}

function batchOf(engine: Engine, loans: readonly LoanHistory[], n: number, asOf: number): () => number {
  const d = engine.featureCount();
  const chunk = 8192;
  const matrix = new Float32Array(chunk * d);
  return () => {
    let sink = 0;
    for (let start = 0; start < n; start += chunk) {
      const rows = Math.min(chunk, n - start);
      for (let r = 0; r < rows; r++) engine.computeFeaturesInto(matrix, r * d, loans[(start + r) % loans.length]!, asOf);
      sink += matrix[0]!;
    }
    return sink;
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const old = (await import(pathToFileURL(resolve(args.old, 'src/domain/features/index.js')).href)) as Engine;
  const loans = loadSample(args.input);
  let asOf = 0;
  for (const h of loans) for (const e of h.events) asOf = Math.max(asOf, parseInstant(e.recordedAt ?? e.at));
  checkIdentical(old, current, loans, asOf);
  checkIdentical(old, current, loans, asOf - 200 * 86_400_000);
  const n = args.loans;
  const fns: Record<string, () => number> = { narrow: () => baselineAtTypeAmount(loans, n, asOf), old: batchOf(old, loans, n, asOf), current: batchOf(current, loans, n, asOf) };
  let sink = 0;
  for (const f of Object.values(fns)) sink += f();
  const cpu: Record<string, number[]> = { narrow: [], old: [], current: [] };
  const loadBefore = loadavg()[0]!;
  for (let r = 0; r < args.rounds; r++) {
    const names = r % 2 === 0 ? Object.keys(fns) : Object.keys(fns).reverse();
    for (const name of names) {
      const c0 = process.cpuUsage();
      sink += fns[name]!();
      const c = process.cpuUsage(c0);
      cpu[name]!.push(((c.user + c.system) / n));
    }
  }
  if (Number.isNaN(sink)) throw new Error('benchmark produced NaN');
  const paired = (a: string, b: string): number => Number(median(cpu[a]!.map((v, i) => v / cpu[b]![i]!)).toFixed(3));
  const report = {
    when: new Date().toISOString(),
    node: process.version,
    old: args.old,
    input: args.input,
    loansPerRound: n,
    rounds: args.rounds,
    bitIdentical: true,
    loadAverage1m: { before: Number(loadBefore.toFixed(1)), after: Number(loadavg()[0]!.toFixed(1)) },
    cpuMicrosPerLoanMedian: { narrow: Number(median(cpu.narrow!).toFixed(3)), old: Number(median(cpu.old!).toFixed(3)), current: Number(median(cpu.current!).toFixed(3)) },
    cpuPairedRatioCurrentToOld: paired('current', 'old'),
    cpuPairedRatioOldToNarrow: paired('old', 'narrow'),
    cpuPairedRatioCurrentToNarrow: paired('current', 'narrow'),
  };
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(report, null, 2));
}

await main();
