// The JSON batch route's job plan, A/B in one run: two `ews serve` processes, one finding every batch's
// histories on the event loop before the workers get them (EWS_BATCH_JOBS=split, the route before the
// twelfth session) and one with the shipped default (cut: a plain body is cut where histories appear to
// start and each worker finds its cut's histories as it reads them, so the event loop never scans the
// body), by turns, POST /v1/score/batch with 1,000 typical histories over CONNECTIONS connections
// (default 2, as `npm run bench:service` drives it). Medians per side and the cut/split ratios go to
// bench/results/service-batch-jobs.json.
// Run: npm run bench:service-batch-jobs   (ROUNDS pairs, default 4; DURATION seconds a run, default 8; WARM_SECONDS, default 6;
// CONNECTIONS, default 2)
import { runTypicalBatchAb, TYPICAL_BATCH_LOANS, typicalBatchConnections } from './support/server-ab.js';

await runTypicalBatchAb({
  benchmark: `POST /v1/score/batch, ${TYPICAL_BATCH_LOANS} typical histories, ${typicalBatchConnections()} connections: split on the event loop (EWS_BATCH_JOBS=split) against the default (cut), by turns (bench/service-batch-jobs.ts)`,
  resultsFile: 'bench/results/service-batch-jobs.json',
  a: ['split', { EWS_BATCH_JOBS: 'split' }],
  b: ['cut', { EWS_BATCH_JOBS: 'cut' }],
});
