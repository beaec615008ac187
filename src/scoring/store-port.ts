// What the servicing use cases need from a store. src/store/ implements it (SQLite now, PostgreSQL later);
// use cases call `transaction` so that read-score-write for one loan is atomic and never loses an update.
import type { Band, Decision, Step } from '../domain/decision/schema.js';
import type { LoanEvent, LoanHistory } from '../domain/history/schema.js';

/** A loan as stored: the latest revision of its contract/borrower/schedule plus every event ever accepted. */
export interface StoredLoan {
  readonly history: LoanHistory;
  readonly revision: number;
  /** Highest event sequence number included in `history.events` (0 when none): the audit watermark. */
  readonly eventWatermark: number;
  /** JSON.stringify(history), when the store has it without serialising again (the fingerprint hashes it). */
  readonly historyJson?: string;
}

export type AppendOutcome = 'accepted' | 'duplicate' | 'conflict';

export interface DecisionRecord {
  readonly id: number;
  readonly loanId: string;
  readonly createdAt: string;
  /** Why it was made: registration, an event batch, or a manual rescore. */
  readonly trigger: 'register' | 'events' | 'rescore';
  readonly revision: number;
  readonly eventWatermark: number;
  /** sha256 of the canonical JSON of the exact scoring input (history as of the watermark + asOf). */
  readonly fingerprint: string;
  readonly decision: Decision;
}

export type NewDecision = Omit<DecisionRecord, 'id'>;

export const ALERT_STATUSES = ['open', 'acknowledged'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export const ALERT_TRIGGERS = ['band_rise', 'new_rule'] as const;
export type AlertTrigger = (typeof ALERT_TRIGGERS)[number];

export interface Alert {
  /** Also the position in the alert sequence (SSE Last-Event-ID). */
  readonly id: number;
  readonly loanId: string;
  readonly decisionId: number;
  readonly createdAt: string;
  readonly triggers: AlertTrigger[];
  readonly band: Band;
  readonly previousBand: Band | null;
  readonly newRules: string[];
  readonly step: Step;
  readonly priority: Decision['step']['priority'];
  readonly earliestContactAt: string | null;
  readonly status: AlertStatus;
  readonly assignee: string | null;
  readonly acknowledgedAt: string | null;
  readonly acknowledgedBy: string | null;
}

export type NewAlert = Omit<Alert, 'id' | 'status' | 'assignee' | 'acknowledgedAt' | 'acknowledgedBy'>;

export interface AlertFilter {
  readonly status?: AlertStatus;
  readonly band?: Band;
  readonly step?: Step;
  readonly assignee?: string;
  /** Return alerts with id < before (newest first paging). */
  readonly before?: number;
  readonly limit: number;
}

export interface Page<T> {
  readonly items: T[];
  /** Pass as the next `before` cursor; null on the last page. */
  readonly nextCursor: number | null;
}

export interface LoanStore {
  /** Registers a loan or stores a new revision of it; its events are appended idempotently. */
  putLoan(history: LoanHistory, at: string): { revision: number; created: boolean; events: AppendOutcome[] };
  getLoan(loanId: string): StoredLoan | null;
  /** The loan as it was at an audit watermark (revision and event sequence), for reproducing a decision. */
  getLoanAt(loanId: string, revision: number, eventWatermark: number): StoredLoan | null;
  hasLoan(loanId: string): boolean;
  appendEvent(loanId: string, event: LoanEvent, at: string): AppendOutcome;
  countLoans(): number;
  /** Loan ids in id order, for paging through the portfolio. */
  listLoanIds(after: string | null, limit: number): string[];
}

export interface DecisionStore {
  saveDecision(decision: NewDecision): DecisionRecord;
  latestDecision(loanId: string): DecisionRecord | null;
  decisions(loanId: string, before: number | undefined, limit: number): Page<DecisionRecord>;
}

export interface AlertStore {
  raiseAlert(alert: NewAlert): Alert;
  getAlert(id: number): Alert | null;
  listAlerts(filter: AlertFilter): Page<Alert>;
  /** Alerts with id > afterId, oldest first (SSE replay). */
  alertsAfter(afterId: number, limit: number): Alert[];
  acknowledge(id: number, by: string, at: string): Alert | null;
  assign(id: number, assignee: string | null): Alert | null;
}

export interface Store extends LoanStore, DecisionStore, AlertStore {
  /** Runs fn atomically (one write transaction; writers are serialised). */
  transaction<T>(fn: () => T): T;
  /** Cheap reachability check for /readyz. */
  ping(): boolean;
  close(): void;
}
