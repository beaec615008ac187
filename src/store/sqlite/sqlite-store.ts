// The Store port on SQLite (better-sqlite3: synchronous, one connection per process). Statements are
// prepared once; bodies are stored as the JSON of already-validated values and read back without
// re-validation (only this store writes them).
import type { Database, Statement } from 'better-sqlite3';
import { decisionUtf8 } from '../../domain/decision/json.js';
import type { Band, Decision, Step } from '../../domain/decision/schema.js';
import type { LoanEvent, LoanHistory } from '../../domain/history/schema.js';
import { canonicalJson } from '../../scoring/fingerprint.js';
import type {
  Alert,
  AlertFilter,
  AlertStatus,
  AlertTrigger,
  AppendOutcome,
  DecisionRecord,
  NewAlert,
  NewDecision,
  Page,
  Store,
  StoredLoan,
} from '../../scoring/store-port.js';
import { startCheckpointer, type Checkpointer } from './checkpointer.js';
import { openDatabase, type OpenOptions } from './open.js';

interface AlertRow {
  id: number;
  loan_id: string;
  decision_id: number;
  created_at: string;
  triggers: string;
  band: string;
  previous_band: string | null;
  new_rules: string;
  step: string;
  priority: string;
  earliest_contact_at: string | null;
  status: string;
  assignee: string | null;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
}

interface CachedLoan {
  revision: number;
  watermark: number;
  base: Omit<LoanHistory, 'events'>;
  events: LoanEvent[];
  /** The stored JSON of the base and of each event: the history's JSON without serialising it again. */
  baseJson: string;
  eventJson: string[];
}

/** JSON.stringify({...base, events}) from the JSON texts the store already holds (stored by JSON.stringify). */
function historyJsonOf(baseJson: string, eventJson: readonly string[]): string {
  const events = `"events":[${eventJson.join(',')}]}`;
  return baseJson === '{}' ? `{${events}` : `${baseJson.slice(0, -1)},${events}`;
}

interface DecisionRow {
  id: number;
  loan_id: string;
  created_at: string;
  trigger: string;
  revision: number;
  event_watermark: number;
  fingerprint: string;
  body: string;
}

function toAlert(r: AlertRow): Alert {
  return {
    id: r.id,
    loanId: r.loan_id,
    decisionId: r.decision_id,
    createdAt: r.created_at,
    triggers: JSON.parse(r.triggers) as AlertTrigger[],
    band: r.band as Band,
    previousBand: r.previous_band as Band | null,
    newRules: JSON.parse(r.new_rules) as string[],
    step: r.step as Step,
    priority: r.priority as Alert['priority'],
    earliestContactAt: r.earliest_contact_at,
    status: r.status as AlertStatus,
    assignee: r.assignee,
    acknowledgedAt: r.acknowledged_at,
    acknowledgedBy: r.acknowledged_by,
  };
}

function toDecision(r: DecisionRow): DecisionRecord {
  return {
    id: r.id,
    loanId: r.loan_id,
    createdAt: r.created_at,
    trigger: r.trigger as DecisionRecord['trigger'],
    revision: r.revision,
    eventWatermark: r.event_watermark,
    fingerprint: r.fingerprint,
    decision: JSON.parse(r.body) as Decision,
  };
}

export class SqliteStore implements Store {
  readonly db: Database;
  private readonly s: Record<string, Statement>;
  private depth = 0;
  private readonly savepoints: Array<{ save: Statement; release: Statement; rollback: Statement }> = [];
  /** Parsed loans, least recently used first (Map keeps insertion order). */
  private readonly loans = new Map<string, CachedLoan>();
  /** Each cached loan's latest decision as this process saved or read it; checked against the table's latest id. */
  private readonly latest = new Map<string, DecisionRecord>();
  private readonly cacheSize: number;
  /**
   * PRAGMA data_version when the caches were last checked: it changes only when another connection
   * commits, so while it holds, the caches (kept up to date by this connection's own writes) are exact
   * and a cached loan or decision needs no query at all.
   */
  private dataVersion = -1;
  /** WAL checkpoints on a worker thread (OpenOptions.backgroundCheckpoints). */
  private checkpointer: Checkpointer | null = null;

  constructor(db: Database, cacheSize = 20_000) {
    this.db = db;
    this.cacheSize = cacheSize;
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      loanRevision: p('SELECT revision FROM loans WHERE loan_id = ?'),
      insertLoan: p('INSERT INTO loans (loan_id, revision, created_at, updated_at) VALUES (?, 1, ?, ?)'),
      bumpLoan: p('UPDATE loans SET revision = ?, updated_at = ? WHERE loan_id = ?'),
      insertRevision: p('INSERT INTO loan_revisions (loan_id, revision, body, stored_at) VALUES (?, ?, ?, ?)'),
      revisionBody: p('SELECT body FROM loan_revisions WHERE loan_id = ? AND revision = ?'),
      eventBodies: p('SELECT seq, body FROM events WHERE loan_id = ? ORDER BY seq'),
      eventBodiesAfter: p('SELECT seq, body FROM events WHERE loan_id = ? AND seq > ? ORDER BY seq'),
      eventBodiesUpTo: p('SELECT seq, body FROM events WHERE loan_id = ? AND seq <= ? ORDER BY seq'),
      existingEvent: p('SELECT body FROM events WHERE loan_id = ? AND event_id = ?'),
      // One statement for the common case (a new event); only a clash reads the stored body.
      insertEvent: p('INSERT INTO events (loan_id, event_id, type, at, body, stored_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (loan_id, event_id) DO NOTHING'),
      countLoans: p('SELECT count(*) AS n FROM loans'),
      loanIds: p('SELECT loan_id FROM loans WHERE loan_id > ? ORDER BY loan_id LIMIT ?'),
      insertDecision: p(`INSERT INTO decisions (loan_id, created_at, trigger, revision, event_watermark, fingerprint, band, pd, points, step,
        model_version, feature_set_version, rule_set_version, policy_version, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS TEXT))`),
      latestDecision: p('SELECT * FROM decisions WHERE loan_id = ? ORDER BY id DESC LIMIT 1'),
      decisionsPage: p('SELECT * FROM decisions WHERE loan_id = ? AND id < ? ORDER BY id DESC LIMIT ?'),
      insertAlert: p(`INSERT INTO alerts (loan_id, decision_id, created_at, triggers, band, previous_band, new_rules, step, priority, earliest_contact_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`),
      alertById: p('SELECT * FROM alerts WHERE id = ?'),
      alertsAfter: p('SELECT * FROM alerts WHERE id > ? ORDER BY id LIMIT ?'),
      ackAlert: p(`UPDATE alerts SET status = 'acknowledged', acknowledged_at = coalesce(acknowledged_at, ?), acknowledged_by = coalesce(acknowledged_by, ?)
        WHERE id = ? RETURNING *`),
      assignAlert: p('UPDATE alerts SET assignee = ? WHERE id = ? RETURNING *'),
      ping: p('SELECT 1 AS ok'),
      dataVersion: p('PRAGMA data_version').pluck(),
      begin: p('BEGIN IMMEDIATE'),
      commit: p('COMMIT'),
      rollback: p('ROLLBACK'),
    };
  }

  static open(path: string, options: OpenOptions = {}): SqliteStore {
    const store = new SqliteStore(openDatabase(path, options));
    if (options.backgroundCheckpoints === true && path !== ':memory:') store.checkpointer = startCheckpointer(store.db, path);
    return store;
  }

  transaction<T>(fn: () => T): T {
    // Nested calls become savepoints, so a use case can run inside a caller's larger transaction.
    if (this.db.inTransaction) {
      const sp = this.savepoint(++this.depth);
      sp.save.run();
      try {
        const result = fn();
        sp.release.run();
        return result;
      } catch (error) {
        sp.rollback.run();
        sp.release.run();
        this.forget();
        throw error;
      } finally {
        this.depth--;
      }
    }
    // IMMEDIATE takes the write lock up front, so two processes sharing the file cannot both read
    // the same loan state and then write conflicting decisions.
    this.s.begin!.run();
    try {
      // Under the write lock nobody else commits until we do: one check covers the whole transaction.
      this.checkCaches();
      const result = fn();
      this.s.commit!.run();
      return result;
    } catch (error) {
      if (this.db.inTransaction) this.s.rollback!.run();
      // Rolled-back events and decisions may sit in the caches, and their sequence numbers will be reused.
      this.forget();
      throw error;
    }
  }

  /** Savepoint statements per nesting depth, prepared once (group commit opens one per request). */
  private savepoint(depth: number): { save: Statement; release: Statement; rollback: Statement } {
    let sp = this.savepoints[depth];
    if (sp === undefined) {
      const name = `sp${depth}`;
      sp = { save: this.db.prepare(`SAVEPOINT ${name}`), release: this.db.prepare(`RELEASE ${name}`), rollback: this.db.prepare(`ROLLBACK TO ${name}`) };
      this.savepoints[depth] = sp;
    }
    return sp;
  }

  /** Drops the caches when another connection committed since the last check. */
  private checkCaches(): void {
    const version = this.s.dataVersion!.get() as number;
    if (version === this.dataVersion) return;
    this.forget();
    this.dataVersion = version;
  }

  /** Outside a transaction every read checks; inside one, BEGIN did. */
  private fresh(): void {
    if (!this.db.inTransaction) this.checkCaches();
  }

  private forget(): void {
    this.loans.clear();
    this.latest.clear();
  }

  ping(): boolean {
    return (this.s.ping!.get() as { ok: number }).ok === 1;
  }

  close(): void {
    this.checkpointer?.close();
    if (this.db.open) this.db.close();
  }

  putLoan(history: LoanHistory, at: string) {
    const { events, ...body } = history;
    const row = this.s.loanRevision!.get(history.loanId) as { revision: number } | undefined;
    const revision = row === undefined ? 1 : row.revision + 1;
    if (row === undefined) this.s.insertLoan!.run(history.loanId, at, at);
    else this.s.bumpLoan!.run(revision, at, history.loanId);
    // A new revision: the next read loads it (and its events) afresh.
    this.loans.delete(history.loanId);
    this.s.insertRevision!.run(history.loanId, revision, JSON.stringify(body), at);
    const outcomes = events.map((e) => this.appendEvent(history.loanId, e, at));
    return { revision, created: row === undefined, events: outcomes };
  }

  hasLoan(loanId: string): boolean {
    this.fresh();
    return this.loans.has(loanId) || this.s.loanRevision!.get(loanId) !== undefined;
  }

  getLoan(loanId: string): StoredLoan | null {
    this.fresh();
    // Parsing every stored event on every rescore dominated ingestion; the cache keeps parsed loans,
    // exact while no other connection commits (checkCaches), and this connection's appends go into it.
    let c = this.loans.get(loanId);
    if (c !== undefined) this.loans.delete(loanId);
    else {
      const row = this.s.loanRevision!.get(loanId) as { revision: number } | undefined;
      if (row === undefined) return null;
      const loaded = this.load(loanId, row.revision, this.s.eventBodies!.all(loanId) as Array<{ seq: number; body: string }>);
      if (loaded === null) return null;
      c = loaded;
      if (this.loans.size >= this.cacheSize) {
        const oldest = this.loans.keys().next().value!;
        this.loans.delete(oldest);
        this.latest.delete(oldest);
      }
    }
    this.loans.set(loanId, c);
    return this.stored(c);
  }

  private stored(c: CachedLoan): StoredLoan {
    const history = { ...c.base, events: c.events.slice() } as LoanHistory;
    return { history, revision: c.revision, eventWatermark: c.watermark, historyJson: historyJsonOf(c.baseJson, c.eventJson) };
  }

  getLoanAt(loanId: string, revision: number, eventWatermark: number): StoredLoan | null {
    const c = this.load(loanId, revision, this.s.eventBodiesUpTo!.all(loanId, eventWatermark) as Array<{ seq: number; body: string }>);
    return c === null ? null : this.stored(c);
  }

  private load(loanId: string, revision: number, rows: Array<{ seq: number; body: string }>): CachedLoan | null {
    const rev = this.s.revisionBody!.get(loanId, revision) as { body: string } | undefined;
    if (rev === undefined) return null;
    return {
      revision,
      watermark: rows.length === 0 ? 0 : rows[rows.length - 1]!.seq,
      base: JSON.parse(rev.body) as Omit<LoanHistory, 'events'>,
      events: rows.map((r) => JSON.parse(r.body) as LoanEvent),
      baseJson: rev.body,
      eventJson: rows.map((r) => r.body),
    };
  }

  appendEvent(loanId: string, event: LoanEvent, at: string): AppendOutcome {
    this.fresh();
    const body = JSON.stringify(event);
    const info = this.s.insertEvent!.run(loanId, event.id, event.type, event.at, body, at);
    if (info.changes === 1) {
      // The highest sequence number so far (nobody else writes while the caches are exact): append to the cached loan.
      const c = this.loans.get(loanId);
      if (c !== undefined) {
        c.events.push(JSON.parse(body) as LoanEvent);
        c.eventJson.push(body);
        c.watermark = Number(info.lastInsertRowid);
      }
      return 'accepted';
    }
    const existing = this.s.existingEvent!.get(loanId, event.id) as { body: string };
    if (existing.body === body) return 'duplicate';
    return canonicalJson(JSON.parse(existing.body)) === canonicalJson(event) ? 'duplicate' : 'conflict';
  }

  countLoans(): number {
    return (this.s.countLoans!.get() as { n: number }).n;
  }

  listLoanIds(after: string | null, limit: number): string[] {
    return (this.s.loanIds!.all(after ?? '', limit) as Array<{ loan_id: string }>).map((r) => r.loan_id);
  }

  saveDecision(d: NewDecision): DecisionRecord {
    const v = d.decision.versions;
    const body = decisionUtf8(d.decision);
    const info = this.s.insertDecision!.run(
      d.loanId, d.createdAt, d.trigger, d.revision, d.eventWatermark, d.fingerprint, d.decision.band, d.decision.pd, d.decision.points,
      // The JSON's UTF-8 bytes as a Buffer over them (bound as a BLOB), stored as TEXT (SQLite reads a BLOB cast
      // to TEXT as UTF-8): no decode to a JS string and encode back on the way in.
      d.decision.step.action, v.model, v.featureSet, v.ruleSet, v.policy, Buffer.from(body.buffer, body.byteOffset, body.byteLength),
    );
    const record = { ...d, id: Number(info.lastInsertRowid) };
    if (this.loans.has(d.loanId)) this.latest.set(d.loanId, record);
    else this.latest.delete(d.loanId);
    return record;
  }

  latestDecision(loanId: string): DecisionRecord | null {
    // Rescoring reads the previous decision every time: read and parse it only when another writer
    // (or an evicted cache entry) made the cached one stale.
    this.fresh();
    const cached = this.latest.get(loanId);
    if (cached !== undefined) return cached;
    const row = this.s.latestDecision!.get(loanId) as DecisionRow | undefined;
    if (row === undefined) return null;
    const record = toDecision(row);
    if (this.loans.has(loanId)) this.latest.set(loanId, record);
    return record;
  }

  decisions(loanId: string, before: number | undefined, limit: number): Page<DecisionRecord> {
    const rows = this.s.decisionsPage!.all(loanId, before ?? Number.MAX_SAFE_INTEGER, limit + 1) as DecisionRow[];
    const items = rows.slice(0, limit).map(toDecision);
    return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
  }

  raiseAlert(a: NewAlert): Alert {
    const row = this.s.insertAlert!.get(
      a.loanId, a.decisionId, a.createdAt, JSON.stringify(a.triggers), a.band, a.previousBand, JSON.stringify(a.newRules), a.step, a.priority,
      a.earliestContactAt,
    ) as AlertRow;
    return toAlert(row);
  }

  getAlert(id: number): Alert | null {
    const row = this.s.alertById!.get(id) as AlertRow | undefined;
    return row === undefined ? null : toAlert(row);
  }

  listAlerts(f: AlertFilter): Page<Alert> {
    const where: string[] = ['id < ?'];
    const args: Array<string | number> = [f.before ?? Number.MAX_SAFE_INTEGER];
    const filters = { status: f.status, band: f.band, step: f.step, assignee: f.assignee };
    for (const [column, value] of Object.entries(filters)) {
      if (value === undefined) continue;
      where.push(`${column} = ?`);
      args.push(value);
    }
    // Only fixed column names are interpolated; every value is a bound parameter.
    const rows = this.db.prepare(`SELECT * FROM alerts WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`).all(...args, f.limit + 1) as AlertRow[];
    const items = rows.slice(0, f.limit).map(toAlert);
    return { items, nextCursor: rows.length > f.limit ? items[items.length - 1]!.id : null };
  }

  alertsAfter(afterId: number, limit: number): Alert[] {
    return (this.s.alertsAfter!.all(afterId, limit) as AlertRow[]).map(toAlert);
  }

  acknowledge(id: number, by: string, at: string): Alert | null {
    const row = this.s.ackAlert!.get(at, by, id) as AlertRow | undefined;
    return row === undefined ? null : toAlert(row);
  }

  assign(id: number, assignee: string | null): Alert | null {
    const row = this.s.assignAlert!.get(assignee, id) as AlertRow | undefined;
    return row === undefined ? null : toAlert(row);
  }
}
