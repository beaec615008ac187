// WAL checkpoints on a thread of their own. With SQLite's automatic checkpoints, the commit that passes
// 1,000 WAL pages copies them into the database file and fsyncs it, on the event loop: measured over
// HTTP on POST /v1/events, ~50 µs of main-thread CPU per event (300 -> 245 µs with checkpoints off).
// Here a second connection on a worker thread checkpoints PASSIVE every few milliseconds (it never
// waits for the writer), so the copying and the fsync leave the event loop. A WAL that is written to
// without pause is never fully caught up, and SQLite restarts it from the start only then; so once it
// holds more than `restartFrames` pages, the worker tells the main thread, which checkpoints PASSIVE
// itself: that copies only the few pages written since the worker's last round, and the writer's next
// transaction starts the WAL afresh (journal_size_limit trims the file). The worker must not restart
// the WAL itself: a new WAL header counts as a change to the main connection (PRAGMA data_version),
// which would drop the store's caches. Should the worker fail, the main connection checkpoints
// automatically again.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';

export interface CheckpointOptions {
  /** How often the worker checkpoints (default 50 ms). */
  readonly intervalMs?: number;
  /** WAL pages above which the main connection catches up so that the WAL restarts (default 16,384: 64 MiB of 4 KiB pages). */
  readonly restartFrames?: number;
}

export interface Checkpointer {
  close(): void;
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 2000');
const timer = setInterval(() => {
  const [r] = db.pragma('wal_checkpoint(PASSIVE)');
  if (r && r.log > workerData.restartFrames) parentPort.postMessage('restart');
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
parentPort.postMessage('ready');
`;

/** Starts checkpointing `path` on a worker thread and turns the main connection's automatic checkpoints off. */
export function startCheckpointer(db: Database, path: string, options: CheckpointOptions = {}): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const restartFrames = options.restartFrames ?? 16_384;
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { path, driver, intervalMs: options.intervalMs ?? 50, restartFrames },
  });
  // The server's lifetime is the connection's, not this thread's.
  worker.unref();
  let closed = false;
  const fallBack = () => {
    if (!closed && db.open) db.pragma('wal_autocheckpoint = 1000');
  };
  worker.on('message', (m: string) => {
    if (closed || !db.open) return;
    if (m === 'ready') {
      db.pragma('wal_autocheckpoint = 0');
      db.pragma(`journal_size_limit = ${restartFrames * (db.pragma('page_size', { simple: true }) as number)}`);
    } else if (!db.inTransaction) db.pragma('wal_checkpoint(PASSIVE)');
  });
  worker.once('error', fallBack);
  worker.once('exit', fallBack);
  return {
    close() {
      closed = true;
      worker.postMessage('stop');
    },
  };
}
