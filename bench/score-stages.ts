// Where does scoring one loan's time go, in process? CPU µs per history, cumulative stages, on two sets:
//  - typical: the service benchmark's synthetic 12-instalment histories (~24 events), scored at "now"
//    (late 2026, most of them long overdue, so most decisions contact the borrower or go to legal review);
//  - long: the nightly rescore's active loans (the replicated bench portfolio, ~36 events) at 2025-12-31;
//  - long-unordered: the same with each history's events reversed, as the rescore's SQL hands them over
//    in no particular order (the timeline, contact and evidence fast paths then sort).
// Stages: JSON.parse, contract validation, prepare (features + model row), + rules, + finish without
// model reasons, + finish, scoreOne, response JSON (JSON.stringify, decisionJson as a string, and the
// UTF-8 bytes the routes and the rescore write: writeDecision), the old batch
// composition (prepare all, one predictBatch, finish each), scoreMany (row by row on the bundled model),
// scoreMany + writeDecision (what a batch response or the rescore's NDJSON pays per loan).
// Run: npm run bench:score-stages   (N=histories per set, default 2000; LONG=0 skips the long set)
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { isActive } from '../src/batch/active.js';
import { loadDefaultScoring } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { decisionJson, writeDecision } from '../src/domain/decision/json.js';
import { Utf8Writer } from '../src/domain/decision/utf8-writer.js';
import type { LoanHistory } from '../src/domain/history/schema.js';
import { parseHistory } from '../src/domain/history/validate.js';
import { clampPd, type ScoringPipeline } from '../src/scoring/create-scorer.js';
import { synthesiseHistories } from './support/typical-histories.js';
import { ensurePortfolio } from './support/write-portfolio.js';

const N = Number(process.env.N ?? 2000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const { scorer } = await loadDefaultScoring(loadConfig({}));
const pipeline = scorer as ScoringPipeline;
/** Decision bytes are written here (reset per decision or per batch), as the routes and the rescore write them. */
const out = new Utf8Writer(1 << 24);

function parse(raw: unknown): LoanHistory {
  const p = parseHistory(raw);
  if (!p.ok) throw new Error(JSON.stringify(p.problems));
  return p.value;
}

/** Best of ROUNDS passes over the set, CPU time (other processes on a loaded machine distort it less). */
function time(n: number, fn: (i: number) => unknown): number {
  for (let i = 0; i < n; i++) fn(i);
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.cpuUsage();
    for (let i = 0; i < n; i++) fn(i);
    const used = process.cpuUsage(t0);
    best = Math.min(best, (used.user + used.system) / n);
  }
  return Number(best.toFixed(1));
}

async function stages(name: string, texts: readonly string[], asOf: number): Promise<Record<string, unknown>> {
  const n = texts.length;
  const raw = texts.map((t) => JSON.parse(t) as unknown);
  const parsed = raw.map(parse);
  const decisions = parsed.map((h) => pipeline.scoreOne(h, asOf));
  const pds = decisions.map((d) => d.pd);
  const steps: Record<string, number> = {};
  for (const d of decisions) steps[d.step.action] = (steps[d.step.action] ?? 0) + 1;
  const us: Record<string, number> = {};
  const row = (label: string, fn: (i: number) => unknown) => {
    us[label] = time(n, fn);
    console.log(`${name.padEnd(14)} ${label.padEnd(30)} ${us[label]!.toFixed(1).padStart(8)} µs`);
  };
  row('JSON.parse', (i) => JSON.parse(texts[i]!));
  row('parseHistory', (i) => parseHistory(raw[i]));
  row('prepare (features)', (i) => pipeline.prepare(parsed[i]!, asOf));
  // A Prepared caches what finish builds, so each stage starts from a fresh one.
  row('prepare + rules', (i) => pipeline.rules(pipeline.prepare(parsed[i]!, asOf)));
  row('prepare + finish, no reasons', (i) => pipeline.finish(pipeline.prepare(parsed[i]!, asOf), pds[i]!, { explain: false }));
  // With reasons, on a row the model has not just seen: explain runs the row's forward pass itself.
  row('prepare + finish', (i) => pipeline.finish(pipeline.prepare(parsed[i]!, asOf), pds[i]!));
  row('scoreOne', (i) => pipeline.scoreOne(parsed[i]!, asOf));
  row('stringify decision', (i) => JSON.stringify(decisions[i]));
  row('decisionJson', (i) => decisionJson(decisions[i]!));
  row('writeDecision (UTF-8 bytes)', (i) => (out.reset(), writeDecision(out, decisions[i]!), out.length));
  const batch = async (label: string, fn: () => Promise<unknown>) => {
    let best = Infinity;
    for (let r = 0; r < ROUNDS; r++) {
      const t0 = process.cpuUsage();
      await fn();
      const used = process.cpuUsage(t0);
      best = Math.min(best, (used.user + used.system) / n);
    }
    us[label] = Number(best.toFixed(1));
    console.log(`${name.padEnd(14)} ${label.padEnd(30)} ${best.toFixed(1).padStart(8)} µs`);
  };
  // The composition scoreMany used before it went row by row (and still uses for a model without
  // predictRow): every loan prepared, one predictBatch, then finish (explain repeats the row's pass).
  await batch('prepare all, predict, finish', async () => {
    const prepared = parsed.map((h) => pipeline.prepare(h, asOf));
    const batchPds = await pipeline.predict(prepared);
    return prepared.map((p, i) => pipeline.finish(p, clampPd(batchPds[i]!)));
  });
  await batch('scoreMany per loan', () => pipeline.scoreMany(parsed, asOf));
  await batch('scoreMany + writeDecision', async () => {
    out.reset();
    for (const d of await pipeline.scoreMany(parsed, asOf)) writeDecision(out, d);
    return out.length;
  });
  const events = parsed.reduce((s, h) => s + h.events.length, 0) / n;
  const bytes = texts.reduce((s, t) => s + t.length, 0) / n;
  console.log(`${name.padEnd(14)} ${n} histories, ${events.toFixed(1)} events, ${Math.round(bytes)} bytes each; steps ${JSON.stringify(steps)}`);
  return { histories: n, asOf: new Date(asOf).toISOString(), meanEvents: Number(events.toFixed(1)), meanBytes: Math.round(bytes), steps, microsPerHistory: us };
}

const load1Before = loadavg()[0]!;
const typical = await stages('typical', synthesiseHistories(N, 7).map((h) => JSON.stringify(h)), Date.parse(process.env.AS_OF ?? '2026-11-29T09:00:00Z'));
let long: Record<string, unknown> | null = null;
let longUnordered: Record<string, unknown> | null = null;
if (process.env.LONG !== '0') {
  const files = await ensurePortfolio(join(process.cwd(), 'data', 'bench'), 50_000, 10_000, (s) => console.log(s));
  const asOf = Date.parse('2025-12-31T00:00:00Z');
  const lines = (await readFile(files.ndjson, 'utf8')).split('\n');
  const active: string[] = [];
  for (const line of lines) {
    if (active.length >= N) break;
    if (line !== '' && isActive(parse(JSON.parse(line)), asOf)) active.push(line);
  }
  long = await stages('long', active, asOf);
  const reversed = active.map((line) => {
    const h = JSON.parse(line) as { events: unknown[] };
    return JSON.stringify({ ...h, events: [...h.events].reverse() });
  });
  longUnordered = await stages('long-unordered', reversed, asOf);
}
const report = {
  benchmark: 'per-loan scoring stages, CPU µs per history, cumulative (bench/score-stages.ts)',
  note: 'stages are cumulative: "prepare + finish, no reasons" minus "prepare (features)" is the decision path (rules, decide, contact guardrails, evidence)',
  node: process.version,
  load1: { before: Number(load1Before.toFixed(2)), after: Number(loadavg()[0]!.toFixed(2)) },
  rounds: ROUNDS,
  typical,
  long,
  longUnordered,
};
mkdirSync('bench/results', { recursive: true });
writeFileSync(join('bench', 'results', 'score-stages.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log('wrote bench/results/score-stages.json');
