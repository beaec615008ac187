// Two `ews serve` processes that differ in their environment, driven by turns (A B, B A, ...) with one
// body on one route: loans/s and CPU µs per loan by server thread and of the load generator per run,
// the medians per side and the B/A ratios pair by pair, written to a results file.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { median } from './median.js';
import { BENCH_KEY, startServer } from './serve.js';
import { type CpuSplit, cpuMeter } from './thread-cpu.js';
import { synthesiseHistories } from './typical-histories.js';

export interface ServerAb {
  /** What the results file says was measured. */
  readonly benchmark: string;
  readonly resultsFile: string;
  /** The two sides' names, environments and (optionally) options for node itself: A first. */
  readonly a: readonly [string, Record<string, string>, (readonly string[])?];
  readonly b: readonly [string, Record<string, string>, (readonly string[])?];
  readonly contentType: string;
  readonly body: string;
  /** Loans in one request's body. */
  readonly loans: number;
  readonly connections: number;
  readonly rounds: number;
  readonly durationSeconds: number;
  readonly warmSeconds: number;
}

interface Run {
  side: string;
  loadAtStart: number;
  loansPerSecond: number;
  p99Ms: number;
  non2xx: number;
  cpuPerLoan: CpuSplit;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

export async function runServerAb(ab: ServerAb): Promise<void> {
  const drive = (port: number, duration: number) =>
    autocannon({
      url: `http://127.0.0.1:${port}/v1/score/batch`,
      method: 'POST',
      connections: ab.connections,
      duration,
      body: ab.body,
      headers: { authorization: `Bearer ${BENCH_KEY}`, 'content-type': ab.contentType },
    });
  const [nameA, nameB] = [ab.a[0], ab.b[0]];
  const dir = mkdtempSync(join(tmpdir(), 'ews-bench-ab-'));
  const servers = new Map<string, { child: ChildProcess; port: number }>();
  try {
    for (const [name, env, nodeArgs] of [ab.a, ab.b]) servers.set(name, await startServer(join(dir, `${name}.db`), env, nodeArgs));
    for (const s of servers.values()) await drive(s.port, ab.warmSeconds);
    const runs: Run[] = [];
    for (let k = 0; k < ab.rounds; k++) {
      for (const side of k % 2 === 0 ? [nameA, nameB] : [nameB, nameA]) {
        const server = servers.get(side)!;
        const loadAtStart = Number(loadavg()[0]!.toFixed(2));
        const done = cpuMeter(server.child.pid!);
        const r = await drive(server.port, ab.durationSeconds);
        // CPU per loan of the requests completed (one still out at the end is not counted).
        const completed = Math.round(r.requests.average * ab.durationSeconds);
        const run = { side, loadAtStart, loansPerSecond: Math.round(r.requests.average * ab.loans), p99Ms: r.latency.p99, non2xx: r.non2xx, cpuPerLoan: done(completed * ab.loans) };
        runs.push(run);
        process.stderr.write(`${side}: ${run.loansPerSecond} loans/s, server ${run.cpuPerLoan.serverUs} µs a loan (main ${run.cpuPerLoan.mainUs}), load ${loadAtStart}\n`);
      }
    }
    const of = (side: string) => runs.filter((r) => r.side === side);
    const summary = (side: string) => ({
      loansPerSecond: median(of(side).map((r) => r.loansPerSecond)),
      serverUsPerLoan: median(of(side).map((r) => r.cpuPerLoan.serverUs)),
      mainUsPerLoan: median(of(side).map((r) => r.cpuPerLoan.mainUs)),
    });
    const ratios = Array.from({ length: ab.rounds }, (_, k) => {
      const [a, b] = [of(nameA)[k]!, of(nameB)[k]!];
      return { loansPerSecond: Number((b.loansPerSecond / a.loansPerSecond).toFixed(3)), serverUs: Number((b.cpuPerLoan.serverUs / a.cpuPerLoan.serverUs).toFixed(3)) };
    });
    const result = {
      benchmark: ab.benchmark,
      when: new Date().toISOString(),
      rounds: ab.rounds,
      durationSeconds: ab.durationSeconds,
      connections: ab.connections,
      [nameA]: summary(nameA),
      [nameB]: summary(nameB),
      /** B / A, pair by pair. */
      ratios,
      runs,
    };
    mkdirSync('bench/results', { recursive: true });
    writeFileSync(ab.resultsFile, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify({ [nameA]: result[nameA], [nameB]: result[nameB], ratios }, null, 2)}\n`);
  } finally {
    for (const s of servers.values()) await stop(s.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Typical histories a request in runTypicalBatchAb. */
export const TYPICAL_BATCH_LOANS = 1000;

/** Connections of runTypicalBatchAb: CONNECTIONS, default 2, as `npm run bench:service` drives the batch route. */
export const typicalBatchConnections = (): number => Number(process.env.CONNECTIONS ?? 2);

/**
 * POST /v1/score/batch with TYPICAL_BATCH_LOANS typical histories (JSON), two servers by turns; ROUNDS pairs
 * (default 4), DURATION seconds a run (default 8), WARM_SECONDS (default 6) from the environment.
 */
export async function runTypicalBatchAb(spec: Pick<ServerAb, 'benchmark' | 'resultsFile' | 'a' | 'b'>): Promise<void> {
  await runServerAb({
    ...spec,
    contentType: 'application/json',
    body: JSON.stringify({ histories: synthesiseHistories(TYPICAL_BATCH_LOANS, 7) }),
    loans: TYPICAL_BATCH_LOANS,
    connections: typicalBatchConnections(),
    rounds: Number(process.env.ROUNDS ?? 4),
    durationSeconds: Number(process.env.DURATION ?? 8),
    warmSeconds: Number(process.env.WARM_SECONDS ?? 6),
  });
}
