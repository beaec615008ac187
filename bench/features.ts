// Feature engine throughput on one thread: loans/s and events/s for the per-loan form
// (computeFeatures) and the batch form (computeFeaturesInto a reused row-major matrix), against a
// baseline loop that only reads every event once, with the fields every feature vector needs from it
// (`at` parsed with the same parser, recordedAt checked, id, type and amount touched), and the issue's
// first baseline (`at`, type, amount) for comparison. The sample is replicated to N loans (default 1M).
//
//   npm run bench:features [-- --loans 1000000 --input data/sample/histories.ndjson.gz]
//
// Without --input it uses data/sample/histories.ndjson(.gz) when present, else a seeded synthetic sample
// of typical histories (12 monthly instalments, about 25 events).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { computeFeatures, computeFeaturesInto, featureCount, featureSetVersion } from '../src/domain/features/index.js';
import { parseInstant } from '../src/domain/history/calendar.js';
import { LoanHistory } from '../src/domain/history/schema.js';
import { baseline, baselineAtTypeAmount, baselinePointInTime } from './support/event-baselines.js';
import { synthesiseHistories } from './support/typical-histories.js';

interface Args {
  loans: number;
  input: string | undefined;
  out: string;
  rounds: number;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { loans: 1_000_000, input: undefined, out: 'bench/results/features.json', rounds: 5 };
  for (let i = 0; i + 1 < argv.length; i += 2) {
    const flag = argv[i];
    const v = argv[i + 1]!;
    if (flag === '--loans') args.loans = Number(v);
    else if (flag === '--input') args.input = v;
    else if (flag === '--out') args.out = v;
    else if (flag === '--rounds') args.rounds = Number(v);
    else throw new Error(`unknown option ${flag}; expected --loans, --input, --out or --rounds`);
  }
  return args;
}

function loadSample(path: string): LoanHistory[] {
  const out: LoanHistory[] = [];
  const bytes = readFileSync(path);
  const text = path.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const raw = JSON.parse(line) as Record<string, unknown>;
    // Accept plain histories or labelled snapshots ({asOf, history}).
    out.push(LoanHistory.parse('history' in raw ? raw.history : raw));
  }
  return out;
}

function perLoan(loans: readonly LoanHistory[], n: number, asOf: number): number {
  let sink = 0;
  for (let i = 0; i < n; i++) sink += computeFeatures(loans[i % loans.length]!, asOf)[0]!;
  return sink;
}

const CHUNK = 8192;
function batch(loans: readonly LoanHistory[], n: number, asOf: number): number {
  const d = featureCount();
  const matrix = new Float32Array(CHUNK * d);
  let sink = 0;
  for (let start = 0; start < n; start += CHUNK) {
    const rows = Math.min(CHUNK, n - start);
    for (let r = 0; r < rows; r++) computeFeaturesInto(matrix, r * d, loans[(start + r) % loans.length]!, asOf);
    sink += matrix[0]!;
  }
  return sink;
}

/**
 * Best-of-rounds timing with the contenders interleaved round by round, so that a load change on a
 * shared machine hits every contender alike instead of skewing the ratios.
 */
interface Timings {
  /** Best wall-clock seconds per contender. */
  best: Record<string, number>;
  /** Per round: CPU seconds (user + system) per contender; a paired ratio within a round resists load changes. */
  cpu: Array<Record<string, number>>;
}

function timeInterleaved(fns: Record<string, () => number>, rounds: number): Timings {
  const best: Record<string, number> = {};
  const cpu: Array<Record<string, number>> = [];
  let sink = 0;
  for (let r = 0; r < rounds; r++) {
    const round: Record<string, number> = {};
    // Alternate the order so that neither end of a round is always the same contender.
    const order = r % 2 === 0 ? Object.entries(fns) : Object.entries(fns).reverse();
    for (const [name, fn] of order) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      sink += fn();
      const seconds = (performance.now() - t0) / 1000;
      const c = process.cpuUsage(c0);
      round[name] = (c.user + c.system) / 1e6;
      best[name] = Math.min(best[name] ?? Number.POSITIVE_INFINITY, seconds);
    }
    cpu.push(round);
  }
  if (Number.isNaN(sink)) throw new Error('benchmark produced NaN');
  return { best, cpu };
}

/** Median over rounds of one contender's CPU time, in µs per loan. */
function cpuMicros(t: Timings, name: string, loans: number): number {
  const v = t.cpu.map((r) => r[name]!).sort((x, y) => x - y);
  return Number(((v[v.length >> 1]! / loans) * 1e6).toFixed(3));
}

/** Median over rounds of the CPU-time ratio a / b measured in the same round. */
function pairedRatio(t: Timings, a: string, b: string): number {
  const ratios = t.cpu.map((r) => r[a]! / r[b]!).sort((x, y) => x - y);
  return Number(ratios[ratios.length >> 1]!.toFixed(2));
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const defaultInput = ['data/sample/histories.ndjson.gz', 'data/sample/histories.ndjson'].find((p) => existsSync(p));
  // `--input synthetic` forces the synthetic typical histories even when the sample is present.
  const input = args.input === 'synthetic' ? undefined : (args.input ?? defaultInput);
  const sample = input === undefined ? synthesiseHistories(2000, 20260301) : loadSample(input);
  // As-of: the latest event of the sample, so every event is visible (the most work).
  let asOf = 0;
  for (const h of sample) for (const e of h.events) asOf = Math.max(asOf, parseInstant(e.recordedAt ?? e.at));
  const eventsPerLoan = sample.reduce((s, h) => s + h.events.length, 0) / sample.length;
  const instalmentsPerLoan = sample.reduce((s, h) => s + h.schedule.length, 0) / sample.length;
  const n = args.loans;
  // Warm up every path so the JIT has settled before timing.
  const warm = Math.min(n, 100_000);
  baseline(sample, warm, asOf);
  baselineAtTypeAmount(sample, warm, asOf);
  baselinePointInTime(sample, warm, asOf);
  perLoan(sample, warm, asOf);
  batch(sample, warm, asOf);

  // The same loans with their events in reverse order: the scan's sort-and-dedupe fallback path.
  const shuffled = sample.map((h) => ({ ...h, events: [...h.events].reverse() }));
  batch(shuffled, warm, asOf);
  const loadBefore = loadavg()[0]!;
  const timings = timeInterleaved(
    {
      base: () => baseline(sample, n, asOf),
      baseAtTypeAmount: () => baselineAtTypeAmount(sample, n, asOf),
      basePointInTime: () => baselinePointInTime(sample, n, asOf),
      perLoan: () => perLoan(sample, n, asOf),
      batch: () => batch(sample, n, asOf),
      batchUnordered: () => batch(shuffled, n, asOf),
    },
    args.rounds,
  );
  const results = timings.best;
  const rate = (s: number): { loansPerSecond: number; eventsPerSecond: number; microsPerLoan: number } => ({
    loansPerSecond: Math.round(n / s),
    eventsPerSecond: Math.round((n * eventsPerLoan) / s),
    microsPerLoan: Number(((s / n) * 1e6).toFixed(3)),
  });
  const report = {
    when: new Date().toISOString(),
    node: process.version,
    input: input ?? 'synthetic (bench/support/typical-histories.ts, seed 20260301)',
    sampleLoans: sample.length,
    loans: n,
    eventsPerLoan: Number(eventsPerLoan.toFixed(2)),
    instalmentsPerLoan: Number(instalmentsPerLoan.toFixed(2)),
    features: featureCount(),
    featureSetVersion: featureSetVersion(),
    rounds: args.rounds,
    loadAverage1m: { before: Number(loadBefore.toFixed(1)), after: Number(loadavg()[0]!.toFixed(1)), cores: availableParallelism() },
    baselineReadEvents: rate(results.base!),
    baselineAtTypeAmount: rate(results.baseAtTypeAmount!),
    baselinePointInTimeNoId: rate(results.basePointInTime!),
    perLoan: rate(results.perLoan!),
    batch: rate(results.batch!),
    batchEventsOutOfOrder: rate(results.batchUnordered!),
    ratioPerLoanToBaseline: Number((results.perLoan! / results.base!).toFixed(2)),
    ratioBatchToBaseline: Number((results.batch! / results.base!).toFixed(2)),
    ratioBatchToBaselineAtTypeAmount: Number((results.batch! / results.baseAtTypeAmount!).toFixed(2)),
    ratioBatchToBaselinePointInTimeNoId: Number((results.batch! / results.basePointInTime!).toFixed(2)),
    cpuMicrosPerLoanMedian: Object.fromEntries(Object.keys(timings.best).map((k) => [k, cpuMicros(timings, k, n)])),
    // The same ratios from CPU time, median of the per-round pairs: steadier on a loaded machine.
    cpuPairedRatioBatchToBaseline: pairedRatio(timings, 'batch', 'base'),
    cpuPairedRatioBatchToBaselineAtTypeAmount: pairedRatio(timings, 'batch', 'baseAtTypeAmount'),
    cpuPairedRatioBatchToBaselinePointInTimeNoId: pairedRatio(timings, 'batch', 'basePointInTime'),
    cpuPairedRatioPerLoanToBaseline: pairedRatio(timings, 'perLoan', 'base'),
    targets: { loansPerSecond: 100_000, maxRatioToBaseline: 2 },
  };
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(report, null, 2));
}

main();
