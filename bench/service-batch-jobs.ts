// The JSON batch route's job plan, A/B in one run: two `ews serve` processes, one finding every batch's
// histories on the event loop before the workers get them (EWS_BATCH_JOBS=split, the route before the
// twelfth session) and one with the shipped default (cut: a plain body is cut where histories appear to
// start and each worker finds its cut's histories as it reads them, so the event loop never scans the
// body), by turns, POST /v1/score/batch with 1,000 typical histories over CONNECTIONS connections
// (default 2, as `npm run bench:service` drives it). Medians per side and the cut/split ratios go to
// bench/results/service-batch-jobs.json.
// Run: npm run bench:service-batch-jobs   (ROUNDS pairs, default 4; DURATION seconds a run, default 8; WARM_SECONDS, default 6;
// CONNECTIONS, default 2)
import { runServerAb } from './support/server-ab.js';
import { synthesiseHistories } from './support/typical-histories.js';

const LOANS = 1000;
const connections = Number(process.env.CONNECTIONS ?? 2);
await runServerAb({
  benchmark: `POST /v1/score/batch, ${LOANS} typical histories, ${connections} connections: split on the event loop (EWS_BATCH_JOBS=split) against the default (cut), by turns (bench/service-batch-jobs.ts)`,
  resultsFile: 'bench/results/service-batch-jobs.json',
  a: ['split', { EWS_BATCH_JOBS: 'split' }],
  b: ['cut', { EWS_BATCH_JOBS: 'cut' }],
  contentType: 'application/json',
  body: JSON.stringify({ histories: synthesiseHistories(LOANS, 7) }),
  loans: LOANS,
  connections,
  rounds: Number(process.env.ROUNDS ?? 4),
  durationSeconds: Number(process.env.DURATION ?? 8),
  warmSeconds: Number(process.env.WARM_SECONDS ?? 6),
});
