// Service benchmark: the real `ews serve` in its own process (floor routes enabled), autocannon in this
// one. Each workload runs beside its floor, a route with the same body, auth and parsing but no scoring
// or storing, so the ratio real/floor shows what the work costs on this machine at this moment.
// Run: npm run bench:service   (DURATION=seconds per run, default 8; BATCH_DURATION for the batch runs,
// default DURATION; WARM_SECONDS of warm-up before each workload, default 6). The default server scores
// single histories in process and batches on the worker pool (EWS_SCORE_WORKERS, default one per core);
// two more servers give the alternatives: single histories on the pool, batches in process.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { BENCH_KEY, startServer } from './support/serve.js';
import { synthesiseHistories } from './support/typical-histories.js';

const DURATION = Number(process.env.DURATION ?? 8);
/** Batch requests take long on a loaded machine: give them more time to complete enough of them. */
const BATCH_DURATION = Number(process.env.BATCH_DURATION ?? DURATION);
const WARM_SECONDS = Number(process.env.WARM_SECONDS ?? 6);
const KEY = BENCH_KEY;
const LOANS = 2000;
const BATCH = 1000;

/** Typical 12-instalment histories (~25 events each), shared with the features benchmark. */
const HISTORIES = synthesiseHistories(LOANS, 7);
const history = (i: number): Record<string, unknown> => HISTORIES[i % LOANS] as unknown as Record<string, unknown>;


interface Run {
  route: string;
  connections: number;
  /** 1-minute load average when the run started (2 cores: above ~2 the figures are distorted). */
  loadAtStart: number;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

async function load(port: number, path: string, connections: number, opts: Partial<autocannon.Options>): Promise<Run> {
  const loadAtStart = Number(loadavg()[0]!.toFixed(2));
  const r = await autocannon({
    url: `http://127.0.0.1:${port}${path}`,
    method: 'POST',
    connections,
    duration: DURATION,
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    ...opts,
  });
  return { route: path, connections, loadAtStart, requestsPerSec: r.requests.average, p50Ms: r.latency.p50, p99Ms: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}

async function put(port: number, h: Record<string, unknown>): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${port}/v1/loans/${h.loanId as string}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(h),
  });
  if (!res.ok) throw new Error(`PUT failed: ${res.status} ${await res.text()}`);
}

async function alertsRaisedSoFar(port: number): Promise<number> {
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return [...metrics.matchAll(/^ews_alerts_raised_total\{[^}]*\} (\d+)/gm)].reduce((s, m) => s + Number(m[1]), 0);
}

function eventRequests(): autocannon.Request[] {
  let n = 0;
  const outcomes = ['answered', 'no_answer', 'refused', 'busy'];
  return [
    {
      setupRequest: (req) => {
        n++;
        const loan = n % LOANS;
        const event = n % 3 === 0
          ? { id: `ev-${n}`, type: 'payment', at: new Date().toISOString(), amount: 10 }
          : { id: `ev-${n}`, type: 'contact', at: new Date().toISOString(), channel: 'call', outcome: outcomes[n % 4] };
        return { ...req, body: JSON.stringify({ loanId: HISTORIES[loan]!.loanId, event }) };
      },
    },
  ];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ews-bench-'));
  const { child, port } = await startServer(join(dir, 'bench.db'));
  try {
    const one = JSON.stringify(history(1));
    const batch = JSON.stringify({ histories: Array.from({ length: BATCH }, (_, i) => history(i)) });
    // Warm-up: the scoring code needs ~20-30k requests before V8 has optimised it (a 2 s warm-up
    // left the measured run on half-optimised code: 4,300 instead of ~6,000 req/s in process).
    const warm = { duration: WARM_SECONDS };
    await load(port, '/v1/score', 10, { body: one, ...warm });
    await load(port, '/floor/score', 10, { body: one, duration: 2 });
    const scoreFloor = await load(port, '/floor/score', 10, { body: one });
    const score = await load(port, '/v1/score', 10, { body: one });
    // Warms the batch workers' JIT as the run above warms the main thread's.
    await load(port, '/v1/score/batch', 2, { body: batch, duration: WARM_SECONDS });
    const batchFloor = await load(port, '/floor/score/batch', 2, { body: batch, duration: BATCH_DURATION });
    const batchRun = await load(port, '/v1/score/batch', 2, { body: batch, duration: BATCH_DURATION });

    for (let i = 0; i < LOANS; i++) await put(port, history(i));
    await load(port, '/v1/events', 10, { requests: eventRequests(), duration: 2 });
    const eventsFloor = await load(port, '/floor/events', 10, { requests: eventRequests() });
    const alertsBefore = await alertsRaisedSoFar(port);
    const events = await load(port, '/v1/events', 10, { requests: eventRequests() });
    const alertsRaised = (await alertsRaisedSoFar(port)) - alertsBefore;
    const catalog = (await (await fetch(`http://127.0.0.1:${port}/v1/model`, { headers: { authorization: `Bearer ${KEY}` } })).json()) as { versions: unknown };
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));

    // The alternatives, each on a server of its own: single histories on the worker pool too
    // (EWS_SCORE_ONE_ON_WORKERS=1), and batches in process (EWS_SCORE_WORKERS=0).
    const pooled = await startServer(join(dir, 'pooled.db'), { EWS_SCORE_ONE_ON_WORKERS: '1' });
    let scoreFloorOnWorkers: Run;
    let scoreOnWorkers: Run;
    try {
      await load(pooled.port, '/v1/score', 10, { body: one, ...warm });
      await load(pooled.port, '/floor/score', 10, { body: one, duration: 2 });
      scoreFloorOnWorkers = await load(pooled.port, '/floor/score', 10, { body: one });
      scoreOnWorkers = await load(pooled.port, '/v1/score', 10, { body: one });
    } finally {
      pooled.child.kill('SIGTERM');
      await new Promise((r) => pooled.child.once('exit', r));
    }
    const local = await startServer(join(dir, 'local.db'), { EWS_SCORE_WORKERS: '0' });
    let batchInProcess: Run;
    try {
      await load(local.port, '/v1/score/batch', 2, { body: batch, duration: WARM_SECONDS });
      batchInProcess = await load(local.port, '/v1/score/batch', 2, { body: batch, duration: BATCH_DURATION });
    } finally {
      local.child.kill('SIGTERM');
      await new Promise((r) => local.child.once('exit', r));
    }

    const result = {
      at: new Date().toISOString(),
      durationSecondsPerRun: DURATION,
      batchDurationSeconds: BATCH_DURATION,
      scoreWorkers: process.env.EWS_SCORE_WORKERS ?? `default (${Math.min(4, cpus().length)})`,
      versions: catalog.versions,
      machine: { cpus: cpus().length, node: process.version, loadAverage: loadavg().map((x) => Number(x.toFixed(2))) },
      score: {
        floor: scoreFloor,
        real: score,
        ratioToFloor: Number((score.requestsPerSec / scoreFloor.requestsPerSec).toFixed(3)),
        /** EWS_SCORE_ONE_ON_WORKERS=1: parse, validate and score on the worker pool (its floor too). */
        onWorkers: { floor: scoreFloorOnWorkers, real: scoreOnWorkers, ratioToFloor: Number((scoreOnWorkers.requestsPerSec / scoreFloorOnWorkers.requestsPerSec).toFixed(3)) },
        targets: { ratio: 0.6, p99Ms: 10 },
      },
      batch: {
        floor: batchFloor,
        real: batchRun,
        loansPerSecond: Math.round(batchRun.requestsPerSec * BATCH),
        floorLoansPerSecond: Math.round(batchFloor.requestsPerSec * BATCH),
        inProcess: batchInProcess,
        inProcessLoansPerSecond: Math.round(batchInProcess.requestsPerSec * BATCH),
        targetLoansPerSecond: 30_000,
      },
      events: { floor: eventsFloor, real: events, eventsPerSecond: Math.round(events.requestsPerSec), alertsRaisedDuringRun: alertsRaised, targetPerSecond: 3000 },
    };
    console.log(JSON.stringify(result, null, 2));
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/service.json', `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
