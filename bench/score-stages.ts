// Where does one /v1/score request's time go, in process? Per-stage µs over the shared typical
// histories: JSON.parse, contract validation, features, PD, attributions, rules, decide, response JSON.
// Run: npm run bench:score-stages   (N=histories, default 2000)
import { loadDefaultScoring } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { parseHistory } from '../src/domain/history/validate.js';
import type { LoanHistory } from '../src/domain/history/schema.js';
import type { ScoringPipeline } from '../src/scoring/create-scorer.js';
import { synthesiseHistories } from './support/typical-histories.js';

const N = Number(process.env.N ?? 2000);
const histories = synthesiseHistories(N, 7);
const texts = histories.map((h) => JSON.stringify(h));
const { scorer } = await loadDefaultScoring(loadConfig({}));
const pipeline = scorer as ScoringPipeline;
// The service benchmark scores at "now" (late 2026): most of these loans are long overdue by then.
const asOf = Date.parse(process.env.AS_OF ?? '2026-11-29T09:00:00Z');

function time(name: string, fn: (i: number) => unknown, rounds = 3): number {
  for (let i = 0; i < N; i++) fn(i);
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    // CPU time, not wall time: other processes on a loaded machine then distort the figures less.
    const t0 = process.cpuUsage();
    for (let i = 0; i < N; i++) fn(i);
    const used = process.cpuUsage(t0);
    best = Math.min(best, (used.user + used.system) / N);
  }
  console.log(name.padEnd(30), best.toFixed(1).padStart(8), 'µs');
  return best;
}

const raw = texts.map((t) => JSON.parse(t) as unknown);
const parsed = raw.map((r) => {
  const p = parseHistory(r);
  if (!p.ok) throw new Error(JSON.stringify(p.problems));
  return p.value;
});
const decisions = parsed.map((h) => pipeline.scoreOne(h, asOf));
const pds = decisions.map((d) => d.pd);
time('JSON.parse', (i) => JSON.parse(texts[i]!));
time('parseHistory', (i) => parseHistory(raw[i]));
time('prepare (features)', (i) => pipeline.prepare(parsed[i]!, asOf));
// A Prepared caches its timeline and ledger, so each stage starts from a fresh one.
time('prepare + rules', (i) => pipeline.rules(pipeline.prepare(parsed[i]!, asOf)));
time('prepare + finish, no reasons', (i) => pipeline.finish(pipeline.prepare(parsed[i]!, asOf), pds[i]!, { explain: false }));
time('prepare + finish', (i) => pipeline.finish(pipeline.prepare(parsed[i]!, asOf), pds[i]!));
console.log('bands', JSON.stringify(Object.fromEntries(['low', 'watch', 'elevated', 'high', 'critical'].map((b) => [b, decisions.filter((d) => d.band === b).length]))));
time('scoreOne', (i) => pipeline.scoreOne(parsed[i]!, asOf));
time('stringify decision', (i) => JSON.stringify(decisions[i]));
const t0 = process.cpuUsage();
await pipeline.scoreMany(parsed as LoanHistory[], asOf);
const used = process.cpuUsage(t0);
console.log('scoreMany per loan'.padEnd(30), ((used.user + used.system) / N).toFixed(1).padStart(8), 'µs');
console.log('decision JSON bytes', Math.round(decisions.reduce((s, d) => s + JSON.stringify(d).length, 0) / N));
