// Same-process A/B of the whole scoring path: an older build's scorer against this tree's, on the
// score-stages sets (typical synthetic histories at late 2026; the bench portfolio's active loans at
// 2025-12-31), rounds interleaved with the order alternating, CPU time. Besides scoring: each side's
// text reader (byte mode) over the histories' JSON, and one score worker's batch job over them (read,
// score, reply bytes: the batch route's worker side). Reports per stage the best
// µs per loan of each side and the median of the per-round ratios (new / old), which resist the load
// changes of a shared machine better than separate runs. Before timing it checks that both give
// byte-identical decision JSON for every loan of both sets (a speed step must not change a decision).
//
//   git archive main | (mkdir -p tmp/old-src && tar -x -C tmp/old-src)
//   ln -sfn ../../node_modules tmp/old-src/node_modules
//   (cd tmp/old-src && npx tsc -p tsconfig.json --noEmit false --outDir ../old-build) && ln -sfn ../old-src/config tmp/old-build/config
//   npm run bench:score-ab -- --old tmp/old-build [--n 2000 --rounds 15]
//   npm run bench:score-alloc -- --old tmp/old-build      (bytes allocated per scoreOne, each side)
import { readFile } from 'node:fs/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { isActive } from '../src/batch/active.js';
import { decisionJson } from '../src/domain/decision/json.js';
import { readHistoryAscii } from '../src/domain/history/text-history.js';
import { JOB_SLICE, runBatchJob } from '../src/http/batch-job.js';
import type { ItemsJob, ScoreJobResult } from '../src/http/score-worker-protocol.js';
import type { Decision } from '../src/domain/decision/schema.js';
import type { LoanHistory } from '../src/domain/history/schema.js';
import { parseHistory } from '../src/domain/history/validate.js';
import { loadEngine } from '../src/engine-files.js';
import type { Scorer } from '../src/scoring/scorer.js';
import { synthesiseHistories } from './support/typical-histories.js';
import { itemsBatchJobs } from './support/batch-jobs.js';
import { ensurePortfolio } from './support/write-portfolio.js';

const { values } = parseArgs({
  options: { old: { type: 'string' }, n: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '15' }, out: { type: 'string', default: 'bench/results/score-ab.json' }, alloc: { type: 'boolean', default: false } },
});
if (values.old === undefined) throw new Error('--old <build root> is required: a compiled older tree (see the header of bench/score-ab.ts)');
const N = Number(values.n);
const ROUNDS = Number(values.rounds);

interface Side {
  readonly scorer: Scorer;
  readonly json: (d: Decision) => string;
  readonly readText: typeof readHistoryAscii;
  readonly runJob: (job: ItemsJob) => Promise<ScoreJobResult>;
}

async function side(root: string): Promise<Side> {
  const url = (p: string) => pathToFileURL(join(root, p)).href;
  const engine = (await import(url('src/engine-files.js'))) as typeof import('../src/engine-files.js');
  const json = (await import(url('src/domain/decision/json.js'))) as typeof import('../src/domain/decision/json.js');
  const text = (await import(url('src/domain/history/text-history.js'))) as typeof import('../src/domain/history/text-history.js');
  const job = (await import(url('src/http/batch-job.js'))) as typeof import('../src/http/batch-job.js');
  const { scorer } = await engine.loadEngine({ modelDir: 'models/default' });
  return { scorer, json: json.decisionJson, readText: text.readHistoryAscii, runJob: (j) => job.runBatchJob(scorer, j, job.JOB_SLICE) };
}

function parse(raw: unknown): LoanHistory {
  const p = parseHistory(raw);
  if (!p.ok) throw new Error(JSON.stringify(p.problems));
  return p.value;
}

async function longSet(): Promise<LoanHistory[]> {
  const files = await ensurePortfolio(join(process.cwd(), 'data', 'bench'), 50_000, 10_000, (s) => console.log(s));
  const asOf = Date.parse('2025-12-31T00:00:00Z');
  const out: LoanHistory[] = [];
  for (const line of (await readFile(files.ndjson, 'utf8')).split('\n')) {
    if (out.length >= N) break;
    if (line === '') continue;
    const h = parse(JSON.parse(line));
    if (isActive(h, asOf)) out.push(h);
  }
  return out;
}

const oldSide = await side(resolve(values.old));
const newScorer = (await loadEngine({ modelDir: 'models/default' })).scorer;
const newSide: Side = { scorer: newScorer, json: decisionJson, readText: readHistoryAscii, runJob: (j) => runBatchJob(newScorer, j, JOB_SLICE) };

/** The histories as the batch route's workers get them: JSON texts (with their bytes) and jobs of 256 items. */
function withTexts(name: string, histories: LoanHistory[], asOf: number) {
  const texts = histories.map((h) => {
    const text = JSON.stringify(h);
    return { text, bytes: Buffer.from(text) };
  });
  return { name, histories, asOf, texts, jobs: itemsBatchJobs(texts.map((t) => t.text), asOf, 256) };
}
type TestSet = ReturnType<typeof withTexts>;

const sets: TestSet[] = [
  withTexts('typical', synthesiseHistories(N, 7).map((h) => parse(JSON.parse(JSON.stringify(h)))), Date.parse('2026-11-29T09:00:00Z')),
  withTexts('long', await longSet(), Date.parse('2025-12-31T00:00:00Z')),
];

for (const set of sets) {
  const [a, b] = await Promise.all([oldSide.scorer.scoreMany(set.histories, set.asOf), newSide.scorer.scoreMany(set.histories, set.asOf)]);
  // scoreOne's PD is the float64 one, scoreMany's the float32 a batch gives: compared side to side.
  set.histories.forEach((h, i) => {
    const many = [oldSide.json(a[i]!), newSide.json(b[i]!)];
    const one = [oldSide.json(oldSide.scorer.scoreOne(h, set.asOf)), newSide.json(newSide.scorer.scoreOne(h, set.asOf))];
    if (many[0] !== many[1] || one[0] !== one[1]) throw new Error(`${set.name}: loan ${h.loanId} decides differently:\nold ${many[0]}\nnew ${many[1]}\nold ${one[0]}\nnew ${one[1]}`);
  });
  console.log(`${set.name}: ${set.histories.length} decisions byte-identical, old and new (scoreMany and scoreOne)`);
}

// --alloc: bytes allocated per scoreOne instead of time (deterministic where CPU time on a shared
// machine is not). Needs node --expose-gc and a young generation that holds a whole pass without a
// collection (--max-semi-space-size=128): the heap's growth over the pass is then what it allocated.
if (values.alloc) {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('--alloc needs node --expose-gc --max-semi-space-size=128 (npm run bench:score-alloc)');
  const allocs: Record<string, Record<string, number>> = {};
  for (const set of sets) {
    const n = Math.min(1000, set.histories.length);
    const bytes = (s: Side): number => {
      let least = Infinity;
      for (let r = 0; r < 5; r++) {
        gc();
        const before = process.memoryUsage().heapUsed;
        for (let i = 0; i < n; i++) s.scorer.scoreOne(set.histories[i]!, set.asOf);
        least = Math.min(least, (process.memoryUsage().heapUsed - before) / n);
      }
      return Math.round(least);
    };
    bytes(oldSide);
    bytes(newSide);
    allocs[set.name] = { old: bytes(oldSide), new: bytes(newSide) };
    console.log(`${set.name.padEnd(8)} bytes allocated per scoreOne: old ${allocs[set.name]!.old}, new ${allocs[set.name]!.new}`);
  }
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(values.out.replace(/\.json$/, '-alloc.json'), `${JSON.stringify({ benchmark: 'bytes allocated per scoreOne (bench/score-ab.ts --alloc)', old: values.old, node: process.version, results: allocs }, null, 2)}\n`);
  process.exit(0);
}

type Stage = (s: Side, set: TestSet) => Promise<unknown> | unknown;
const stages: Record<string, Stage> = {
  scoreOne: (s, { histories, asOf }) => {
    for (const h of histories) s.scorer.scoreOne(h, asOf);
  },
  scoreMany: (s, { histories, asOf }) => s.scorer.scoreMany(histories, asOf),
  'scoreMany + decisionJson': async (s, { histories, asOf }) => (await s.scorer.scoreMany(histories, asOf)).map(s.json),
  'text reader (byte mode)': (s, { texts }) => {
    for (const t of texts) if (s.readText(t.text, t.bytes) === undefined) throw new Error('the text reader gave up on a valid history');
  },
  'batch job (read, score, bytes)': async (s, { jobs }) => {
    for (const job of jobs) {
      const r = await s.runJob(job);
      if (!r.ok || r.failed > 0) throw new Error(`batch job ${job.id} did not score every history`);
    }
  },
};

async function cpu(fn: () => Promise<unknown> | unknown, n: number): Promise<number> {
  const t0 = process.cpuUsage();
  await fn();
  const u = process.cpuUsage(t0);
  return (u.user + u.system) / n;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((p, q) => p - q);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const load1Before = loadavg()[0]!;
const results: Record<string, Record<string, unknown>> = {};
for (const set of sets) {
  const n = set.histories.length;
  const perSet: Record<string, unknown> = {};
  for (const [label, stage] of Object.entries(stages)) {
    const run = (s: Side) => () => stage(s, set);
    await cpu(run(oldSide), n);
    await cpu(run(newSide), n);
    const olds: number[] = [];
    const news: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      // Alternate which side goes first: a round's second half sees the first's garbage.
      if (r % 2 === 0) {
        olds.push(await cpu(run(oldSide), n));
        news.push(await cpu(run(newSide), n));
      } else {
        news.push(await cpu(run(newSide), n));
        olds.push(await cpu(run(oldSide), n));
      }
    }
    const ratio = median(news.map((x, i) => x / olds[i]!));
    const row = { oldBest: Number(Math.min(...olds).toFixed(2)), newBest: Number(Math.min(...news).toFixed(2)), oldMedian: Number(median(olds).toFixed(2)), newMedian: Number(median(news).toFixed(2)), medianRatio: Number(ratio.toFixed(3)) };
    perSet[label] = row;
    console.log(`${set.name.padEnd(8)} ${label.padEnd(26)} old ${row.oldBest.toFixed(2).padStart(6)} (med ${row.oldMedian.toFixed(2)})  new ${row.newBest.toFixed(2).padStart(6)} (med ${row.newMedian.toFixed(2)}) µs/loan  new/old ${row.medianRatio.toFixed(3)}`);
  }
  results[set.name] = { histories: n, meanEvents: Number((set.histories.reduce((s, h) => s + h.events.length, 0) / n).toFixed(1)), asOf: new Date(set.asOf).toISOString(), stages: perSet };
}
const report = {
  benchmark: 'same-process A/B of scoreOne / scoreMany / the text reader / a batch job (bench/score-ab.ts), CPU µs per loan, rounds interleaved',
  old: values.old,
  node: process.version,
  rounds: ROUNDS,
  load1: { before: Number(load1Before.toFixed(2)), after: Number(loadavg()[0]!.toFixed(2)) },
  results,
};
mkdirSync('bench/results', { recursive: true });
writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
console.log(`wrote ${values.out}`);
