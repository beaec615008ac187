// Tallies bench/results/service-runs.json against issue 6's targets: in how many recorded full runs each
// target was met, and all three together. The README's and docs/service.md's counts come from here.
// `--first N` counts the first N runs only, as an earlier session saw the file.
//   npm run bench:service-runs-met [-- --since 2026-12-01T01:20] [--first N]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SERVICE_TARGETS } from './support/service-targets.js';

interface RecordedRun {
  at: string;
  score?: { ratioToFloor?: number; real: { p99Ms: number } };
  batch?: { loansPerSecond?: number };
  events?: { eventsPerSecond?: number };
}

const { values } = parseArgs({
  options: { since: { type: 'string' }, first: { type: 'string' }, file: { type: 'string', default: 'bench/results/service-runs.json' } },
});
const recorded = (JSON.parse(readFileSync(values.file, 'utf8')) as { runs: RecordedRun[] }).runs;
const runs = recorded
  .slice(0, values.first === undefined ? recorded.length : Number(values.first))
  .filter((r) => values.since === undefined || r.at >= values.since);

const met = runs.map((r) => ({
  at: r.at,
  score: r.score !== undefined && (r.score.ratioToFloor ?? 0) >= SERVICE_TARGETS.score.ratio && r.score.real.p99Ms <= SERVICE_TARGETS.score.p99Ms,
  batch: (r.batch?.loansPerSecond ?? 0) >= SERVICE_TARGETS.batchLoansPerSecond,
  events: (r.events?.eventsPerSecond ?? 0) >= SERVICE_TARGETS.eventsPerSecond,
}));
const count = (pick: (m: (typeof met)[number]) => boolean): number => met.filter(pick).length;
console.log(
  `${runs.length} runs${values.since === undefined ? '' : ` since ${values.since}`}: single score ${count((m) => m.score)}, ` +
    `batch ${count((m) => m.batch)}, events ${count((m) => m.events)}, all three ${count((m) => m.score && m.batch && m.events)}`,
);
for (const m of met.filter((x) => !(x.score && x.batch && x.events))) {
  const missed = (['score', 'batch', 'events'] as const).filter((k) => !m[k]);
  console.log(`  ${m.at} missed: ${missed.join(', ')}`);
}
