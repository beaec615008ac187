// CPU per request of POST /v1/score and its floor at a fixed request rate, main thread apart from the
// other threads (score workers, V8/libuv helpers), with the score workers and without. At a fixed rate
// the figures hold up on a loaded machine far better than req/s at saturation do: the main thread's
// CPU per request bounds what one event loop can serve. Linux only (reads /proc/<pid>/task/*/stat).
// Run: npm run bench:service-cpu   (RATE=req/s, default 300; DURATION=s, default 6; ROUNDS, default 2)
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { BENCH_KEY, startServer } from './support/serve.js';
import { synthesiseHistories } from './support/typical-histories.js';

const RATE = Number(process.env.RATE ?? 300);
const DURATION = Number(process.env.DURATION ?? 6);
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const KEY = BENCH_KEY;
const BODY = JSON.stringify(synthesiseHistories(2, 7)[1]);
const TICK_US = 10_000; // USER_HZ = 100 on Linux


/** CPU µs used so far by each thread of the process (tid -> µs). */
function threadCpu(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    out.set(tid, (Number(fields[11]) + Number(fields[12])) * TICK_US);
  }
  return out;
}

interface Measured {
  route: string;
  workers: string;
  loadAtStart: number;
  requestsPerSec: number;
  p99Ms: number;
  /** CPU µs per request: the event loop's thread, and all other threads together. */
  mainUs: number;
  otherUs: number;
}

async function measure(port: number, pid: number, route: string, workers: string): Promise<Measured> {
  const opts = { url: `http://127.0.0.1:${port}${route}`, method: 'POST' as const, connections: 10, body: BODY, headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' } };
  await autocannon({ ...opts, duration: 2 });
  const loadAtStart = Number(loadavg()[0]!.toFixed(2));
  const before = threadCpu(pid);
  const r = await autocannon({ ...opts, duration: DURATION, overallRate: RATE });
  const after = threadCpu(pid);
  const n = r.requests.total;
  let main = 0;
  let other = 0;
  for (const [tid, us] of after) {
    const used = us - (before.get(tid) ?? 0);
    if (tid === String(pid)) main += used;
    else other += used;
  }
  return { route, workers, loadAtStart, requestsPerSec: r.requests.average, p99Ms: r.latency.p99, mainUs: Math.round(main / n), otherUs: Math.round(other / n) };
}

const dir = mkdtempSync(join(tmpdir(), 'ews-bench-cpu-'));
const runs: Measured[] = [];
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const workers of ['0', '2']) {
      const { child, port } = await startServer(join(dir, `r${round}-w${workers}.db`), { EWS_RATE_LIMIT: '0', EWS_SCORE_WORKERS: workers, EWS_SCORE_ONE_ON_WORKERS: workers === '0' ? '0' : '1' });
      try {
        for (const route of ['/floor/score', '/v1/score']) {
          const m = await measure(port, child.pid!, route, workers);
          console.log(JSON.stringify(m));
          runs.push(m);
        }
      } finally {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const mean = (workers: string, route: string, key: 'mainUs' | 'otherUs') => {
  const xs = runs.filter((r) => r.workers === workers && r.route === route).map((r) => r[key]);
  return Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
};
const summary = Object.fromEntries(
  ['0', '2'].map((w) => [
    `workers ${w}`,
    {
      floorMainUs: mean(w, '/floor/score', 'mainUs'),
      realMainUs: mean(w, '/v1/score', 'mainUs'),
      floorOtherUs: mean(w, '/floor/score', 'otherUs'),
      realOtherUs: mean(w, '/v1/score', 'otherUs'),
      /** The ratio the event loop alone allows (real/floor req/s if the main thread were the only limit). */
      mainThreadBoundRatio: Number((mean(w, '/floor/score', 'mainUs') / mean(w, '/v1/score', 'mainUs')).toFixed(3)),
    },
  ]),
);
console.log(JSON.stringify(summary, null, 2));
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/service-cpu.json', `${JSON.stringify({ at: new Date().toISOString(), rate: RATE, durationSeconds: DURATION, loadAverage: loadavg().map((x) => Number(x.toFixed(2))), summary, runs }, null, 2)}\n`);
