// Loan servicing use cases: register a loan, ingest events, rescore, raise alerts, reproduce a decision.
// Each loan's read -> append -> score -> write runs inside one store transaction, so concurrent events for
// one loan are serialised and none is lost; alerts are announced only after their transaction committed.
import type { Decision } from '../domain/decision/schema.js';
import type { LoanEvent, LoanHistory } from '../domain/history/schema.js';
import { alertFor } from './alerting.js';
import { inputFingerprint } from './fingerprint.js';
import type { Scorer } from './scorer.js';
import type { Alert, AppendOutcome, DecisionRecord, Page, Store, StoredLoan } from './store-port.js';

export interface ServicingDeps {
  readonly store: Store;
  readonly scorer: Scorer;
  /** Epoch ms; the as-of instant of every rescore. */
  readonly now: () => number;
  /** Told about each alert after it is durable (SSE fan-out, metrics). */
  readonly onAlert?: (alert: Alert) => void;
}

export interface EventItem {
  readonly loanId: string;
  readonly event: LoanEvent;
}

export type EventStatus = AppendOutcome | 'unknown_loan';

export interface EventResult {
  readonly loanId: string;
  readonly eventId: string;
  readonly status: EventStatus;
  /** The decision made after this loan's accepted events (absent when nothing was accepted). */
  readonly decisionId?: number;
  readonly band?: Decision['band'];
  readonly alertId?: number;
}

export interface Rescored {
  readonly record: DecisionRecord;
  readonly alert: Alert | null;
}

export interface RegisterResult extends Rescored {
  readonly revision: number;
  readonly created: boolean;
  readonly events: AppendOutcome[];
}

export interface Reproduction {
  readonly decision: Decision;
  readonly fingerprint: string;
  /** True when the fingerprint and the decision equal the stored ones. */
  readonly matches: boolean;
}

export interface Servicing {
  registerLoan(history: LoanHistory): RegisterResult;
  ingestEvents(items: readonly EventItem[]): EventResult[];
  /**
   * Several callers' events in one transaction (group commit), each caller's in its own savepoint:
   * one outcome per group, its results or the Error that rolled back only that group.
   */
  ingestEventGroups(groups: ReadonlyArray<readonly EventItem[]>): Array<EventResult[] | Error>;
  rescore(loanId: string): Rescored | null;
  getLoan(loanId: string): { loan: StoredLoan; decision: DecisionRecord | null } | null;
  decisions(loanId: string, before: number | undefined, limit: number): Page<DecisionRecord> | null;
  reproduce(record: DecisionRecord): Reproduction | null;
}

export function createServicing(deps: ServicingDeps): Servicing {
  const { store, scorer, now } = deps;
  const iso = () => new Date(now()).toISOString();

  function scoreAndRecord(loanId: string, trigger: DecisionRecord['trigger']): Rescored {
    const loan = store.getLoan(loanId);
    if (loan === null) throw new Error(`loan ${loanId} vanished inside its transaction`);
    const asOf = now();
    const decision = scorer.scoreOne(loan.history, asOf);
    const previous = store.latestDecision(loanId);
    const record = store.saveDecision({
      loanId,
      createdAt: new Date(asOf).toISOString(),
      trigger,
      revision: loan.revision,
      eventWatermark: loan.eventWatermark,
      fingerprint: inputFingerprint(loan.history, asOf, loan.historyJson),
      decision,
    });
    const raised = alertFor(previous?.decision ?? null, decision, record);
    return { record, alert: raised === null ? null : store.raiseAlert(raised) };
  }

  function announce(alerts: ReadonlyArray<Alert | null>): void {
    if (deps.onAlert === undefined) return;
    for (const a of alerts) if (a !== null) deps.onAlert(a);
  }

  /** Stores the items, rescoring each loan with accepted events once; runs inside the caller's transaction. */
  function ingestWithin(items: readonly EventItem[], raised: Alert[]): EventResult[] {
    const results: EventResult[] = new Array(items.length);
    const byLoan = new Map<string, number[]>();
    items.forEach((item, i) => {
      const list = byLoan.get(item.loanId);
      if (list === undefined) byLoan.set(item.loanId, [i]);
      else list.push(i);
    });
    const at = iso();
    for (const [loanId, indices] of byLoan) {
      if (!store.hasLoan(loanId)) {
        for (const i of indices) results[i] = { loanId, eventId: items[i]!.event.id, status: 'unknown_loan' };
        continue;
      }
      let accepted = 0;
      for (const i of indices) {
        const status = store.appendEvent(loanId, items[i]!.event, at);
        if (status === 'accepted') accepted++;
        results[i] = { loanId, eventId: items[i]!.event.id, status };
      }
      if (accepted === 0) continue;
      const { record, alert } = scoreAndRecord(loanId, 'events');
      if (alert !== null) raised.push(alert);
      for (const i of indices) {
        const r = results[i]!;
        if (r.status !== 'accepted') continue;
        results[i] = { ...r, decisionId: record.id, band: record.decision.band, ...(alert === null ? {} : { alertId: alert.id }) };
      }
    }
    return results;
  }

  return {
    registerLoan(history) {
      const result = store.transaction(() => {
        const put = store.putLoan(history, iso());
        return { ...put, ...scoreAndRecord(history.loanId, 'register') };
      });
      announce([result.alert]);
      return result;
    },

    ingestEvents(items) {
      const raised: Alert[] = [];
      const results = store.transaction(() => ingestWithin(items, raised));
      announce(raised);
      return results;
    },

    ingestEventGroups(groups) {
      const raised: Alert[] = [];
      const outcomes = store.transaction(() =>
        groups.map((items): EventResult[] | Error => {
          const mine: Alert[] = [];
          try {
            const results = store.transaction(() => ingestWithin(items, mine));
            raised.push(...mine);
            return results;
          } catch (error) {
            return error instanceof Error ? error : new Error(String(error));
          }
        }),
      );
      announce(raised);
      return outcomes;
    },

    rescore(loanId) {
      const result = store.transaction(() => (store.hasLoan(loanId) ? scoreAndRecord(loanId, 'rescore') : null));
      if (result !== null) announce([result.alert]);
      return result;
    },

    getLoan(loanId) {
      const loan = store.getLoan(loanId);
      return loan === null ? null : { loan, decision: store.latestDecision(loanId) };
    },

    decisions(loanId, before, limit) {
      return store.hasLoan(loanId) ? store.decisions(loanId, before, limit) : null;
    },

    reproduce(record) {
      const loan = store.getLoanAt(record.loanId, record.revision, record.eventWatermark);
      if (loan === null) return null;
      const asOf = Date.parse(record.createdAt);
      const decision = scorer.scoreOne(loan.history, asOf);
      const fingerprint = inputFingerprint(loan.history, asOf, loan.historyJson);
      const matches = fingerprint === record.fingerprint && JSON.stringify(decision) === JSON.stringify(record.decision);
      return { decision, fingerprint, matches };
    },
  };
}
