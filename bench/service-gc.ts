// V8's garbage collector with its helper threads (the default) against --single-threaded-gc, A/B in one
// run: two `ews serve` processes, by turns, POST /v1/score/batch with 1,000 typical histories over
// CONNECTIONS connections (default 2, as `npm run bench:service` drives it). On two cores kept busy by the
// score workers, the event loop and the load generator, the parallel scavenges' helpers mostly wait for
// each other. Medians per side and the B/A ratios go to bench/results/service-gc.json.
// Run: npm run bench:service-gc   (ROUNDS pairs, default 4; DURATION seconds a run, default 8; WARM_SECONDS, default 6;
// CONNECTIONS, default 2)
import { runServerAb } from './support/server-ab.js';
import { synthesiseHistories } from './support/typical-histories.js';

const LOANS = 1000;
const connections = Number(process.env.CONNECTIONS ?? 2);
await runServerAb({
  benchmark: `POST /v1/score/batch, ${LOANS} typical histories, ${connections} connections: node's default garbage collector against --single-threaded-gc, by turns (bench/service-gc.ts)`,
  resultsFile: 'bench/results/service-gc.json',
  a: ['parallel', {}, []],
  b: ['single', {}, ['--single-threaded-gc']],
  contentType: 'application/json',
  body: JSON.stringify({ histories: synthesiseHistories(LOANS, 7) }),
  loans: LOANS,
  connections,
  rounds: Number(process.env.ROUNDS ?? 4),
  durationSeconds: Number(process.env.DURATION ?? 8),
  warmSeconds: Number(process.env.WARM_SECONDS ?? 6),
});
