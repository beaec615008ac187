// Streamed NDJSON batches, A/B in one run: two `ews serve` processes, one scoring the lines on the event
// loop (EWS_SCORE_WORKERS=0, as every NDJSON stream was until the twelfth session) and one with the
// shipped default (blocks of lines on the score workers), by turns, POST /v1/score/batch with 5,000
// typical histories as NDJSON over CONNECTIONS connections (default 1: one large stream at a time).
// Medians per side and the pool/loop ratios go to bench/results/service-ndjson.json.
// Run: npm run bench:service-ndjson   (ROUNDS pairs, default 4; DURATION seconds a run, default 8; WARM_SECONDS, default 6;
// CONNECTIONS, default 1)
import { runServerAb } from './support/server-ab.js';
import { synthesiseHistories } from './support/typical-histories.js';

const LOANS = 5000;
const connections = Number(process.env.CONNECTIONS ?? 1);
await runServerAb({
  benchmark: `POST /v1/score/batch as NDJSON, ${LOANS} typical histories, ${connections} connections: on the event loop (EWS_SCORE_WORKERS=0) against the score workers (the default), by turns (bench/service-ndjson.ts)`,
  resultsFile: 'bench/results/service-ndjson.json',
  a: ['loop', { EWS_SCORE_WORKERS: '0' }],
  b: ['pool', {}],
  contentType: 'application/x-ndjson',
  body: `${synthesiseHistories(LOANS, 7).map((h) => JSON.stringify(h)).join('\n')}\n`,
  loans: LOANS,
  connections,
  rounds: Number(process.env.ROUNDS ?? 4),
  durationSeconds: Number(process.env.DURATION ?? 8),
  warmSeconds: Number(process.env.WARM_SECONDS ?? 6),
});
