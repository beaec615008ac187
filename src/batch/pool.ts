// A pool of scoring worker threads behind the ChunkExecutor interface. Workers run the compiled
// JavaScript in dist/ (build first); each builds its own scorer and takes the next chunk when the
// pipeline hands it out. A worker that dies fails the run; the checkpoint keeps what was committed.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ScoringVersions } from '../scoring/scorer.js';
import type { ChunkResult } from './chunk.js';
import type { ChunkExecutor } from './executor.js';
import type { SourceChunk } from './source.js';
import { readAhead } from './range-readers.js';
import type { FromWorker, ToWorker, WorkerSetup } from './worker-protocol.js';

/** dist/batch/worker.js, also when this module itself runs from src/ under a TypeScript loader. */
export function workerScript(): URL {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const compiled = here.replace(/[\\/]src[\\/]batch[\\/]pool\.ts$/, '/dist/batch/worker.js');
    if (!existsSync(compiled)) throw new Error(`worker threads run compiled code: ${compiled} is missing; run \`npm run build\` first`);
    return new URL(`file://${compiled}`);
  }
  return new URL('./worker.js', import.meta.url);
}

interface Slot {
  readonly worker: Worker;
  readonly pending: Map<number, { resolve: (r: ChunkResult) => void; reject: (e: Error) => void }>;
}

export async function createWorkerPool(size: number, setup: WorkerSetup): Promise<ChunkExecutor> {
  if (!Number.isInteger(size) || size < 1) throw new Error(`workers: expected an integer >= 1, got ${size}`);
  const script = workerScript();
  const slots: Slot[] = [];
  let fatal: Error | null = null;
  const failAll = (error: Error) => {
    fatal ??= error;
    for (const s of slots) {
      for (const p of s.pending.values()) p.reject(error);
      s.pending.clear();
    }
  };
  const ready: Promise<ScoringVersions>[] = [];
  for (let i = 0; i < size; i++) {
    const worker = new Worker(script, { workerData: setup });
    const slot: Slot = { worker, pending: new Map() };
    slots.push(slot);
    ready.push(
      new Promise<ScoringVersions>((resolve, reject) => {
        worker.on('message', (m: FromWorker) => {
          if (m.type === 'ready') resolve(m.versions);
          else if (m.type === 'result') {
            const p = slot.pending.get(m.result.index);
            slot.pending.delete(m.result.index);
            p?.resolve(m.result);
          } else if (m.index === null) reject(new Error(`worker ${i} could not start: ${m.message}`));
          else {
            const p = slot.pending.get(m.index);
            slot.pending.delete(m.index);
            p?.reject(new Error(`worker ${i} failed on chunk ${m.index}: ${m.message}`));
          }
        });
        worker.on('error', (error) => {
          reject(error);
          failAll(new Error(`worker ${i} crashed: ${error.message}`));
        });
        worker.on('exit', (code) => {
          if (code !== 0) failAll(new Error(`worker ${i} exited with code ${code}`));
        });
      }),
    );
  }
  let versions: ScoringVersions;
  let closing: Promise<void> | null = null;
  try {
    versions = (await Promise.all(ready))[0]!;
  } catch (error) {
    await Promise.all(slots.map((s) => s.worker.terminate()));
    throw error;
  }
  return {
    parallelism: size,
    depth: readAhead(setup),
    versions,
    run(chunk: SourceChunk): Promise<ChunkResult> {
      if (fatal !== null) return Promise.reject(fatal);
      // The least busy worker takes the chunk.
      let slot = slots[0]!;
      for (const s of slots) if (s.pending.size < slot.pending.size) slot = s;
      return new Promise<ChunkResult>((resolve, reject) => {
        slot.pending.set(chunk.index, { resolve, reject });
        const message: ToWorker = { type: 'chunk', chunk };
        // NDJSON lines move to the worker (this thread no longer needs them).
        slot.worker.postMessage(message, (chunk.lines ?? []).map((block) => block.bytes.buffer as ArrayBuffer));
      });
    },
    // Idempotent: the run closes the pool when its chunks are done, and its owner again on the way out.
    close() {
      closing ??= Promise.all(slots.map((s) => s.worker.terminate())).then(() => {});
      return closing;
    },
  };
}
