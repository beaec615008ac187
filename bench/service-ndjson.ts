// Streamed NDJSON batches, A/B in one run: two `ews serve` processes, one scoring the lines on the event
// loop (EWS_SCORE_WORKERS=0, as every NDJSON stream was until the twelfth session) and one with the
// shipped default (blocks of lines on the score workers). Runs alternate by turns (A B, B A, ...),
// POST /v1/score/batch with 5,000 typical histories as NDJSON over CONNECTIONS connections (default 1: one
// large stream at a time); each run records loans/s and CPU µs per loan by server thread and of the load
// generator. Medians per side and the pool/event-loop ratios go to bench/results/service-ndjson.json.
// Run: npm run bench:service-ndjson   (ROUNDS pairs, default 4; DURATION seconds a run, default 8; WARM_SECONDS, default 6;
// CONNECTIONS, default 1)
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
const BATCH = 5000;
/** Concurrent streams. */
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 1);
const SIDES = { loop: { EWS_SCORE_WORKERS: '0' }, pool: {} } as const;
type Side = keyof typeof SIDES;

interface Run {
  side: Side;
  loadAtStart: number;
  loansPerSecond: number;
  p99Ms: number;
  non2xx: number;
  cpuPerLoan: CpuSplit;
}

const body = `${synthesiseHistories(BATCH, 7).map((h) => JSON.stringify(h)).join('\n')}\n`;

async function drive(port: number, duration: number): Promise<autocannon.Result> {
  return autocannon({
    url: `http://127.0.0.1:${port}/v1/score/batch`,
    method: 'POST',
    connections: CONNECTIONS,
    duration,
    body,
    headers: { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/x-ndjson' },
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

const dir = mkdtempSync(join(tmpdir(), 'ews-bench-ndjson-'));
const servers = {} as Record<Side, { child: ChildProcess; port: number }>;
try {
  for (const side of Object.keys(SIDES) as Side[]) servers[side] = await startServer(join(dir, `${side}.db`), SIDES[side]);
  for (const side of Object.keys(SIDES) as Side[]) await drive(servers[side].port, WARM_SECONDS);
  const runs: Run[] = [];
  for (let k = 0; k < ROUNDS; k++) {
    const order: Side[] = k % 2 === 0 ? ['loop', 'pool'] : ['pool', 'loop'];
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
    const [a, b] = [of('loop')[k]!, of('pool')[k]!];
    return { loansPerSecond: Number((b.loansPerSecond / a.loansPerSecond).toFixed(3)), serverUs: Number((b.cpuPerLoan.serverUs / a.cpuPerLoan.serverUs).toFixed(3)) };
  });
  const result = {
    benchmark: `POST /v1/score/batch as NDJSON, ${BATCH} typical histories, ${CONNECTIONS} connections: on the event loop (EWS_SCORE_WORKERS=0) against the score workers (the default), by turns (bench/service-ndjson.ts)`,
    when: new Date().toISOString(),
    rounds: ROUNDS,
    durationSeconds: DURATION,
    connections: CONNECTIONS,
    loop: summary('loop'),
    pool: summary('pool'),
    /** pool / loop, pair by pair. */
    ratios: pairs,
    runs,
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/service-ndjson.json', `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify({ loop: result.loop, pool: result.pool, ratios: pairs }, null, 2)}\n`);
} finally {
  for (const s of Object.values(servers)) await stop(s.child);
  rmSync(dir, { recursive: true, force: true });
}
