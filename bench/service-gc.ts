// V8's garbage collector with its helper threads (the default) against --single-threaded-gc, A/B in one
// run: two `ews serve` processes, by turns, POST /v1/score/batch with 1,000 typical histories over
// CONNECTIONS connections (default 2, as `npm run bench:service` drives it). The nightly rescore runs with
// the flag (src/cli/relaunch.ts: V8's helper threads cost it ~10 % of its CPU with both cores busy); this
// measures whether the service's batch route would gain too. Medians per side and the B/A ratios go to
// bench/results/service-gc.json.
// Run: npm run bench:service-gc   (ROUNDS pairs, default 4; DURATION seconds a run, default 8; WARM_SECONDS, default 6;
// CONNECTIONS, default 2)
import { SINGLE_THREADED_GC } from '../src/cli/relaunch.js';
import { runTypicalBatchAb, TYPICAL_BATCH_LOANS, typicalBatchConnections } from './support/server-ab.js';

await runTypicalBatchAb({
  benchmark: `POST /v1/score/batch, ${TYPICAL_BATCH_LOANS} typical histories, ${typicalBatchConnections()} connections: node's default garbage collector against ${SINGLE_THREADED_GC}, by turns (bench/service-gc.ts)`,
  resultsFile: 'bench/results/service-gc.json',
  a: ['parallel', {}, []],
  b: ['single', {}, [SINGLE_THREADED_GC]],
});
