// WAL checkpoints on a worker thread (OpenOptions.backgroundCheckpoints): the main connection no longer
// checkpoints, the worker copies the WAL into the database file and empties a WAL that grew past its limit.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCheckpointer } from '../../src/store/sqlite/checkpointer.js';
import { openDatabase } from '../../src/store/sqlite/open.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { contactEvent, makeHistory } from '../support/histories.js';

const AT = '2025-06-01T00:00:00.000Z';
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempPath = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ews-ckpt-'));
  dirs.push(dir);
  return join(dir, 'c.db');
};

async function until(check: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}

function write(store: SqliteStore, loans: number, from = 0): void {
  for (let i = from; i < from + loans; i++) store.transaction(() => store.putLoan(makeHistory({ loanId: `L-${i}`, due: 6 }), AT));
}

describe('background WAL checkpoints', () => {
  it('turns the main connection\'s automatic checkpoints off and copies the WAL into the database file', async () => {
    const path = tempPath();
    const store = SqliteStore.open(path, { backgroundCheckpoints: true });
    try {
      expect(await until(() => store.db.pragma('wal_autocheckpoint', { simple: true }) === 0)).toBe(true);
      const before = statSync(path).size;
      write(store, 300);
      // Only the worker writes pages into the database file now.
      expect(await until(() => statSync(path).size > before)).toBe(true);
    } finally {
      store.close();
    }
    const again = SqliteStore.open(path);
    expect(again.countLoans()).toBe(300);
    again.close();
  });

  it('starts a WAL that grew past its limit afresh, and the data stays whole', async () => {
    const path = tempPath();
    const db = openDatabase(path);
    const checkpointer = startCheckpointer(db, path, { intervalMs: 10, restartFrames: 50 });
    const store = new SqliteStore(db);
    try {
      expect(await until(() => db.pragma('wal_autocheckpoint', { simple: true }) === 0)).toBe(true);
      write(store, 400);
      const grown = statSync(`${path}-wal`).size;
      expect(grown).toBeGreaterThan(50 * 4096);
      // Once caught up, the next write starts the WAL afresh and journal_size_limit trims the file.
      const trimmed = await until(() => {
        store.transaction(() => store.appendEvent('L-7', contactEvent('2025-03-01T10:00:00+08:00', 'answered', 'after'), AT));
        return statSync(`${path}-wal`).size < grown;
      });
      expect(trimmed).toBe(true);
      expect(store.getLoan('L-7')!.history.events.map((e) => e.id).at(-1)).toBe('after');
    } finally {
      checkpointer.close();
      db.close();
    }
    const again = SqliteStore.open(path);
    expect(again.countLoans()).toBe(400);
    expect(again.getLoan('L-7')!.history.events.map((e) => e.id).at(-1)).toBe('after');
    again.close();
  });

  it('hands checkpoints back to the main connection when the worker cannot run', async () => {
    const path = tempPath();
    const db = openDatabase(path);
    db.pragma('wal_autocheckpoint = 1000');
    // A file the worker's connection cannot open (fileMustExist): it fails, the main connection goes on checkpointing.
    const checkpointer = startCheckpointer(db, `${path}.missing`);
    try {
      db.pragma('wal_autocheckpoint = 0');
      expect(await until(() => db.pragma('wal_autocheckpoint', { simple: true }) === 1000)).toBe(true);
    } finally {
      checkpointer.close();
      db.close();
    }
  });
});
