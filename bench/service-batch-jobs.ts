// The JSON batch route's job plan, A/B in one run: two `ews serve` processes, one finding every batch's
// histories on the event loop before the workers get them (EWS_BATCH_JOBS=split, the route before the
// twelfth session) and one with the shipped default (cut: a plain body is cut where histories appear to
// start and each worker finds its cut's histories as it reads them, so the event loop never scans the
// body). Runs alternate by turns (A B, B A, ...), POST /v1/score/batch with
// 1,000 typical histories over 2 connections (CONNECTIONS), as `npm run bench:service` drives it; each run records
// loans/s and CPU µs per loan by server thread and of the load generator. Medians per side and the
// cut/split ratios of the pairs go to bench/results/service-batch-jobs.json.
// Run: npm run bench:service-batch-jobs   (ROUNDS pairs, default 4; DURATION seconds a run, default 8; WARM_SECONDS, default 6;
// CONNECTIONS, default 2)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { median } from './support/median.js';
import { BENCH_KEY, startServer } from './support/serve.js';
import { type CpuSplit, cpuMeter } from './support/thread-cpu.js';
import { synthesiseHistories } from './support/typical-histories.js';

const ROUNDS = Number(process.env.ROUNDS ?? 4);
const DURATION = Number(process.env.DURATION ?? 8);
const WARM_SECONDS = Number(process.env.WARM_SECONDS ?? 6);
const BATCH = 1000;
/** Concurrent requests (the service benchmark's 2 by default). */
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 2);
const SIDES = { split: 'split', cut: 'cut' } as const;
type Side = keyof typeof SIDES;

interface Run {
  side: Side;
  loadAtStart: number;
  loansPerSecond: number;
  p99Ms: number;
  non2xx: number;
  cpuPerLoan: CpuSplit;
}

const body = JSON.stringify({ histories: synthesiseHistories(BATCH, 7) });

async function drive(port: number, duration: number): Promise<autocannon.Result> {
  return autocannon({
    url: `http://127.0.0.1:${port}/v1/score/batch`,
    method: 'POST',
    connections: CONNECTIONS,
    duration,
    body,
    headers: { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' },
  });
}

async function run(side: Side, server: { child: ChildProcess; port: number }): Promise<Run> {
  const loadAtStart = Number(loadavg()[0]!.toFixed(2));
  const done = cpuMeter(server.child.pid!);
  const r = await drive(server.port, DURATION);
  const completed = Math.round(r.requests.average * DURATION);
  return { side, loadAtStart, loansPerSecond: Math.round(r.requests.average * BATCH), p99Ms: r.latency.p99, non2xx: r.non2xx, cpuPerLoan: done(completed * BATCH) };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

const dir = mkdtempSync(join(tmpdir(), 'ews-bench-jobs-'));
const servers = {} as Record<Side, { child: ChildProcess; port: number }>;
try {
  for (const side of Object.keys(SIDES) as Side[]) servers[side] = await startServer(join(dir, `${side}.db`), { EWS_BATCH_JOBS: SIDES[side] });
  for (const side of Object.keys(SIDES) as Side[]) await drive(servers[side].port, WARM_SECONDS);
  const runs: Run[] = [];
  for (let k = 0; k < ROUNDS; k++) {
    const order: Side[] = k % 2 === 0 ? ['split', 'cut'] : ['cut', 'split'];
    for (const side of order) {
      const r = await run(side, servers[side]);
      runs.push(r);
      process.stderr.write(`${side}: ${r.loansPerSecond} loans/s, server ${r.cpuPerLoan.serverUs} µs a loan (main ${r.cpuPerLoan.mainUs}), load ${r.loadAtStart}\n`);
    }
  }
  const of = (side: Side) => runs.filter((r) => r.side === side);
  const summary = (side: Side) => ({
    loansPerSecond: median(of(side).map((r) => r.loansPerSecond)),
    serverUsPerLoan: median(of(side).map((r) => r.cpuPerLoan.serverUs)),
    mainUsPerLoan: median(of(side).map((r) => r.cpuPerLoan.mainUs)),
  });
  const pairs = Array.from({ length: ROUNDS }, (_, k) => {
    const [a, b] = [of('split')[k]!, of('cut')[k]!];
    return { loansPerSecond: Number((b.loansPerSecond / a.loansPerSecond).toFixed(3)), serverUs: Number((b.cpuPerLoan.serverUs / a.cpuPerLoan.serverUs).toFixed(3)) };
  });
  const result = {
    benchmark: `POST /v1/score/batch, 1,000 typical histories, ${CONNECTIONS} connections: split on the event loop (EWS_BATCH_JOBS=split) against the default (cut), by turns (bench/service-batch-jobs.ts)`,
    when: new Date().toISOString(),
    rounds: ROUNDS,
    durationSeconds: DURATION,
    connections: CONNECTIONS,
    split: summary('split'),
    cut: summary('cut'),
    /** cut / split, pair by pair. */
    ratios: pairs,
    runs,
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/service-batch-jobs.json', `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify({ split: result.split, cut: result.cut, ratios: pairs }, null, 2)}\n`);
} finally {
  for (const s of Object.values(servers)) await stop(s.child);
  rmSync(dir, { recursive: true, force: true });
}
