// Worker threads for the score routes: JSON parsing, validation and scoring of one history or of a
// batch's histories run beside the event loop, on every core, while the main thread only does HTTP.
// Workers run the compiled JavaScript in dist/ and load the engine from the model directory themselves.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FromScoreWorker, ScoreJob, ScoreJobRequest, ScoreJobResult, ScoreOneJob, ScoreOneJobs, ScoreOneResult, ScoreWorkerSetup } from './score-worker-protocol.js';

export interface ScorePool {
  readonly size: number;
  /** A worker crashed or the pool was closed: every further job is refused. */
  readonly failed: boolean;
  run(job: ScoreJobRequest): Promise<ScoreJobResult>;
  /** One history's text: parsed, validated and (when job.score) scored on the least busy worker. */
  runOne(job: Omit<ScoreOneJob, 'id' | 'kind'>): Promise<ScoreOneResult>;
  close(): Promise<void>;
}

/** dist/http/score-worker.js, also when this module runs from src/ under a TypeScript loader (tests). */
export function scoreWorkerScript(): URL | null {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith('.ts')) return new URL('./score-worker.js', import.meta.url);
  const compiled = here.replace(/[\\/]src[\\/]http[\\/]score-pool\.ts$/, '/dist/http/score-worker.js');
  return existsSync(compiled) ? new URL(`file://${compiled}`) : null;
}

interface Slot {
  readonly worker: Worker;
  readonly pending: Map<number, { resolve: (r: ScoreJobResult | ScoreOneResult) => void; reject: (e: Error) => void }>;
}

export async function startScorePool(size: number, setup: ScoreWorkerSetup, script: URL): Promise<ScorePool> {
  const slots: Slot[] = [];
  let fatal: Error | null = null;
  let stopped: Promise<void> | null = null;
  let nextId = 0;
  /**
   * Refuses every further job, stops every worker, and only then rejects the jobs still out: a batch
   * job reads its bytes where they lie in shared memory that the caller reuses once the request's jobs
   * have settled, and a live worker must not be reading them then (one crash fails the whole pool).
   */
  const failAll = (error: Error): Promise<void> => {
    fatal ??= error;
    stopped ??= Promise.allSettled(slots.map((s) => s.worker.terminate())).then(() => {
      for (const s of slots) {
        for (const p of s.pending.values()) p.reject(fatal!);
        s.pending.clear();
      }
    });
    return stopped;
  };
  const ready: Array<Promise<void>> = [];
  for (let i = 0; i < size; i++) {
    const worker = new Worker(script, { workerData: setup });
    // Idle workers must not keep the process alive after the server closed.
    worker.unref();
    const slot: Slot = { worker, pending: new Map() };
    slots.push(slot);
    ready.push(
      new Promise<void>((resolve, reject) => {
        worker.on('message', (m: FromScoreWorker) => {
          if (m.type === 'ready') resolve();
          else if (m.type === 'failed') reject(new Error(`score worker ${i} could not start: ${m.message}`));
          else if (m.type === 'ones') {
            for (const r of m.results) {
              const p = slot.pending.get(r.id);
              slot.pending.delete(r.id);
              p?.resolve(r);
            }
          } else {
            const p = slot.pending.get(m.result.id);
            slot.pending.delete(m.result.id);
            p?.resolve(m.result);
          }
        });
        worker.on('error', (error) => {
          reject(error);
          void failAll(new Error(`score worker ${i} crashed: ${error.message}`));
        });
        // A worker only exits when stopped or broken (an exit with code 0 would leave its jobs unanswered).
        worker.on('exit', (code) => {
          const error = new Error(`score worker ${i} exited with code ${code}`);
          reject(error);
          void failAll(error);
        });
      }),
    );
  }
  try {
    await Promise.all(ready);
  } catch (error) {
    await failAll(error as Error);
    throw error;
  }
  // Single-history jobs wait for the end of the event loop's turn and go out as one message per worker:
  // under load several requests arrive per turn, and each message costs both threads a wake-up.
  const unsent = new Map<Slot, ScoreOneJob[]>();
  let flushScheduled = false;
  const flushOnes = () => {
    flushScheduled = false;
    for (const [slot, jobs] of unsent) slot.worker.postMessage({ kind: 'ones', jobs } satisfies ScoreOneJobs);
    unsent.clear();
  };
  const leastBusy = () => {
    let slot = slots[0]!;
    for (const s of slots) if (s.pending.size < slot.pending.size) slot = s;
    return slot;
  };
  return {
    size,
    get failed() {
      return fatal !== null;
    },
    run(job) {
      if (fatal !== null) return Promise.reject(fatal);
      const slot = leastBusy();
      const id = nextId++;
      return new Promise<ScoreJobResult>((resolve, reject) => {
        slot.pending.set(id, { resolve: resolve as (r: ScoreJobResult | ScoreOneResult) => void, reject });
        // Shared memory is read where it lies; other bytes move to the worker (the caller made them for this job alone).
        const shared = job.bytes.buffer instanceof SharedArrayBuffer;
        slot.worker.postMessage({ ...job, id } satisfies ScoreJob, shared ? [] : [job.bytes.buffer as ArrayBuffer]);
      });
    },
    runOne(job) {
      if (fatal !== null) return Promise.reject(fatal);
      const id = nextId++;
      return new Promise<ScoreOneResult>((resolve, reject) => {
        const slot = leastBusy();
        slot.pending.set(id, { resolve: resolve as (r: ScoreJobResult | ScoreOneResult) => void, reject });
        let queued = unsent.get(slot);
        if (queued === undefined) unsent.set(slot, (queued = []));
        queued.push({ kind: 'one', id, asOf: job.asOf, score: job.score, text: job.text });
        if (!flushScheduled) {
          flushScheduled = true;
          setImmediate(flushOnes);
        }
      });
    },
    close() {
      return failAll(new Error('score pool closed'));
    },
  };
}
