// Schema migrations, applied in order inside one transaction each; PRAGMA user_version records the last.
// Never edit a shipped migration: append a new one.
import type { Database } from 'better-sqlite3';

export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE loans (
    loan_id    TEXT PRIMARY KEY,
    revision   INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) WITHOUT ROWID;
  -- Every revision of a loan's contract, borrower and schedule (events live in their own table).
  CREATE TABLE loan_revisions (
    loan_id   TEXT NOT NULL,
    revision  INTEGER NOT NULL,
    body      TEXT NOT NULL,
    stored_at TEXT NOT NULL,
    PRIMARY KEY (loan_id, revision)
  ) WITHOUT ROWID;
  -- Append-only event log; seq orders ingestion globally and is the audit watermark.
  CREATE TABLE events (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    loan_id   TEXT NOT NULL,
    event_id  TEXT NOT NULL,
    type      TEXT NOT NULL,
    at        TEXT NOT NULL,
    body      TEXT NOT NULL,
    stored_at TEXT NOT NULL,
    UNIQUE (loan_id, event_id)
  );
  -- The audit trail: every decision with its input fingerprint and all versions.
  CREATE TABLE decisions (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    loan_id             TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    trigger             TEXT NOT NULL,
    revision            INTEGER NOT NULL,
    event_watermark     INTEGER NOT NULL,
    fingerprint         TEXT NOT NULL,
    band                TEXT NOT NULL,
    pd                  REAL NOT NULL,
    points              REAL NOT NULL,
    step                TEXT NOT NULL,
    model_version       TEXT NOT NULL,
    feature_set_version TEXT NOT NULL,
    rule_set_version    TEXT NOT NULL,
    policy_version      TEXT NOT NULL,
    body                TEXT NOT NULL
  );
  CREATE INDEX decisions_by_loan ON decisions (loan_id, id);
  -- Collector alerts; id is also the alert sequence that SSE clients resume from.
  CREATE TABLE alerts (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    loan_id             TEXT NOT NULL,
    decision_id         INTEGER NOT NULL,
    created_at          TEXT NOT NULL,
    triggers            TEXT NOT NULL,
    band                TEXT NOT NULL,
    previous_band       TEXT,
    new_rules           TEXT NOT NULL,
    step                TEXT NOT NULL,
    priority            TEXT NOT NULL,
    earliest_contact_at TEXT,
    status              TEXT NOT NULL DEFAULT 'open',
    assignee            TEXT,
    acknowledged_at     TEXT,
    acknowledged_by     TEXT
  );
  CREATE INDEX alerts_by_status ON alerts (status, id);
  CREATE INDEX alerts_by_assignee ON alerts (assignee, id);
  CREATE INDEX alerts_by_loan ON alerts (loan_id, id);
  `,
];

export function migrate(db: Database): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return MIGRATIONS.length;
}
