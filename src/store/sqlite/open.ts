// Opening the SQLite file: WAL so readers never block the writer, and a synchronous level chosen per
// deployment. NORMAL (the default) in WAL mode survives a process crash (SIGKILL: committed pages are in
// the OS cache) and loses at most the last commits on power loss; FULL fsyncs every commit
// (docs/service.md has the measured cost of each).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations.js';

export type SyncLevel = 'normal' | 'full';

export interface OpenOptions {
  readonly synchronous?: SyncLevel;
  readonly busyTimeoutMs?: number;
  /** Checkpoint the WAL on a worker thread instead of in the committing call (a file, not :memory:); see checkpointer.ts. */
  readonly backgroundCheckpoints?: boolean;
}

export function openDatabase(path: string, options: OpenOptions = {}): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${(options.synchronous ?? 'normal').toUpperCase()}`);
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  db.pragma('foreign_keys = OFF');
  migrate(db);
  return db;
}
