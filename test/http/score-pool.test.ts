// A failed pool must not leave a worker reading a request's shared body memory once the request is
// over: the route reuses that memory for the next request. Stand-in workers (a data: URL module that
// speaks the pool's protocol) make the timing certain: one crashes on its job, the other is still busy
// with its own and reads its bytes only afterwards, and records what it read.
import { afterEach, describe, expect, it } from 'vitest';
import { runPooledBatch } from '../../src/http/pooled-batch.js';
import { startScorePool, type ScorePool } from '../../src/http/score-pool.js';
import type { ScoreWorkerSetup } from '../../src/http/score-worker-protocol.js';

const WORKER = `
import { parentPort, workerData } from 'node:worker_threads';
const probe = new Int32Array(workerData.probe);
parentPort.on('message', (job) => {
  if (job.firstIndex === 0) throw new Error('worker crashes mid-batch');
  const until = Date.now() + workerData.busyMs;
  while (Date.now() < until);
  probe[1] = job.bytes[0];
  Atomics.store(probe, 0, 1);
  parentPort.postMessage({ type: 'done', result: { id: job.id, ok: true, written: 0, results: new Uint8Array(0), scored: 0, failed: 0, bands: [], seconds: 0 } });
});
parentPort.postMessage({ type: 'ready' });
`;
const script = new URL(`data:text/javascript,${encodeURIComponent(WORKER)}`);

/** {"histories":[{},{},...]} in shared memory, as the batch route receives it (shared-body.ts). */
function sharedBody(n: number): Buffer {
  const text = Buffer.from(JSON.stringify({ histories: Array.from({ length: n }, () => ({})) }));
  const body = Buffer.from(new SharedArrayBuffer(text.byteLength));
  body.set(text);
  return body;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let pool: ScorePool | null = null;
afterEach(async () => {
  await pool?.close();
  pool = null;
});

describe('score pool failure', () => {
  it('rejects a batch whose worker crashed only once no other worker can still read its shared body', async () => {
    const probe = new SharedArrayBuffer(8);
    const busyMs = 400;
    pool = await startScorePool(2, { modelDir: '', probe, busyMs } as unknown as ScoreWorkerSetup, script);
    const body = sharedBody(64);
    const started = Date.now();
    // Two jobs, one per worker: the first one's worker crashes while the second is busy with its own.
    await expect(runPooledBatch(pool, body, 0, true, () => undefined, { slice: 32, jobs: 'split' })).rejects.toThrow(/score worker 0 crashed: worker crashes mid-batch/);
    expect(pool.failed).toBe(true);
    // The route now releases the body and the next request writes its own bytes there.
    body.fill('X');
    await sleep(Math.max(0, started + busyMs + 300 - Date.now()));
    const read = new Int32Array(probe);
    // The busy worker was stopped before it read, or read the request's own bytes, never the next one's.
    if (Atomics.load(read, 0) === 1) expect(String.fromCharCode(read[1]!)).toBe('{');
    else expect(read[1]).toBe(0);
  });

  it('refuses jobs once failed, and close() answers the jobs still out instead of leaving them waiting', async () => {
    const probe = new SharedArrayBuffer(8);
    pool = await startScorePool(1, { modelDir: '', probe, busyMs: 10_000 } as unknown as ScoreWorkerSetup, script);
    const body = sharedBody(4);
    const out = pool.run({ kind: 'split', asOf: 0, score: true, bytes: body.subarray(1), items: new Int32Array([0, 2]), firstIndex: 1 });
    await sleep(50);
    const t0 = Date.now();
    await pool.close();
    await expect(out).rejects.toThrow('score pool closed');
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(Atomics.load(new Int32Array(probe), 0)).toBe(0);
    await expect(pool.run({ kind: 'split', asOf: 0, score: true, bytes: body.subarray(1), items: new Int32Array([0, 2]), firstIndex: 1 })).rejects.toThrow('score pool closed');
  });
});
