// What writing decisions out costs, per decision, on the service benchmark's typical histories scored at
// one instant: the bytes a response or a chunk's output needs. Writing straight to UTF-8 (Utf8Writer)
// against the two string routes it replaced in spirit: JSON.stringify, and the chunk's text built as one
// JS string (two-byte: the Chinese reasons) and encoded with Buffer.from. Passes alternate, CPU time.
// Run: npm run bench:decision-bytes   (N histories, default 2000; ROUNDS, default 9)
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { stagingLine } from '../src/batch/csv.js';
import { writeDecisionLine } from '../src/batch/decision-row.js';
import { loadDefaultScoring } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { writeDecision } from '../src/domain/decision/json.js';
import type { Decision } from '../src/domain/decision/schema.js';
import { Utf8Writer } from '../src/domain/decision/utf8-writer.js';
import { synthesiseHistories } from './support/typical-histories.js';
import { median } from './support/median.js';

const N = Number(process.env.N ?? 2000);
const ROUNDS = Number(process.env.ROUNDS ?? 9);
const loadBefore = loadavg()[0]!;
const { scorer } = await loadDefaultScoring(loadConfig({}));
const decisions = await scorer.scoreMany(synthesiseHistories(N, 7), Date.parse('2026-11-29T09:00:00Z'));

/** The staging line's cells built from JSON.stringify (the layout of src/batch/decision-row.ts). */
const cells = (d: Decision) => [
  d.loanId, d.asOf, d.horizonDays, d.pd, d.points, d.band, d.step.action, d.step.channel, d.step.priority, d.step.earliestContactAt,
  d.reasons.map((r) => r.code).join('|'), d.ruleHits.filter((h) => h.outcome === 'hit').map((h) => h.ruleId).join('|'),
  JSON.stringify(d.reasons), JSON.stringify(d.ruleHits), JSON.stringify(d.step), JSON.stringify(d.guardrails), JSON.stringify(d.evidence),
  d.versions.model, d.versions.featureSet, d.versions.ruleSet, d.versions.policy,
];

const out = new Utf8Writer(1 << 24);
const variants: Record<string, () => number> = {
  'one response: Buffer.from(JSON.stringify(d))': () => decisions.reduce((n, d) => n + Buffer.from(JSON.stringify(d)).length, 0),
  'one response: writeDecision': () => decisions.reduce((n, d) => (out.reset(), writeDecision(out, d), n + out.length), 0),
  'chunk NDJSON: one string, Buffer.from': () => Buffer.from(decisions.reduce((s, d) => `${s}${JSON.stringify(d)}\n`, '')).length,
  'chunk NDJSON: writeDecisionLine': () => (out.reset(), decisions.forEach((d) => writeDecisionLine(out, d, 'ndjson')), out.length),
  'chunk staging: one string, Buffer.from': () => Buffer.from(decisions.reduce((s, d) => `${s}${stagingLine(cells(d))}\n`, '')).length,
  'chunk staging: writeDecisionLine': () => (out.reset(), decisions.forEach((d) => writeDecisionLine(out, d, 'parquet')), out.length),
};

const samples: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
const bytes: Record<string, number> = {};
for (let r = 0; r < ROUNDS + 1; r++) {
  for (const [name, run] of Object.entries(variants)) {
    const t0 = process.cpuUsage();
    bytes[name] = run();
    const t = process.cpuUsage(t0);
    if (r > 0) samples[name]!.push((t.user + t.system) / decisions.length);
  }
}
const micros = Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, Number(median(xs).toFixed(2))]));
for (const [k, v] of Object.entries(micros)) console.log(`${k.padEnd(46)} ${v.toFixed(2).padStart(7)} µs a decision  (${bytes[k]} bytes)`);
const pairs = [['one response', 'one response: Buffer.from(JSON.stringify(d))', 'one response: writeDecision'], ['chunk NDJSON', 'chunk NDJSON: one string, Buffer.from', 'chunk NDJSON: writeDecisionLine'], ['chunk staging', 'chunk staging: one string, Buffer.from', 'chunk staging: writeDecisionLine']] as const;
const sameBytes = pairs.every(([, a, b]) => bytes[a] === bytes[b]);
if (!sameBytes) throw new Error('the variants wrote different byte counts');
const ratios = Object.fromEntries(pairs.map(([k, a, b]) => [k, Number((micros[b]! / micros[a]!).toFixed(3))]));
console.log('writer / string route:', ratios);
mkdirSync('bench/results', { recursive: true });
writeFileSync(
  'bench/results/decision-bytes.json',
  `${JSON.stringify({ benchmark: 'writing decisions as UTF-8 (bench/decision-bytes.ts), CPU µs a decision, median of rounds', when: new Date().toISOString(), decisions: decisions.length, rounds: ROUNDS, node: process.version, load1: { before: loadBefore, after: loadavg()[0] }, microsPerDecision: micros, writerToStringRoute: ratios }, null, 2)}\n`,
);
