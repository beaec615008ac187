// Loan servicing use cases: register a loan, ingest events, rescore, raise alerts, reproduce a decision.
// Each loan's read -> append -> score -> write runs inside one store transaction, so concurrent events for
// one loan are serialised and none is lost; alerts are announced only after their transaction committed.
// Events may be scored ahead, away from this thread (scoreAhead): each loan's history as it will be once
// the events are appended is predicted from the store, scored on a worker while this thread serves other
// requests, and the decision is used inside the transaction only if the history the store then holds is
// exactly the predicted one (same JSON text); otherwise the loan is scored there, in process, as always.
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
  /** Scores ahead for ingestEventGroupsAhead (e.g. on worker threads); without it, events are scored in process. */
  readonly scoreAhead?: AheadScorer;
}

/**
 * Scores a history, given as the JSON text the store holds for it, away from the caller's thread, with
 * the same engine as `scorer`; null (or a rejection) when it cannot: the loan is then scored in process.
 */
export type AheadScorer = (historyJson: string, asOf: number) => Promise<Decision | null>;

/** A decision made before the transaction, for the history whose JSON it was made from. */
interface Ahead {
  readonly historyJson: string;
  readonly asOf: number;
  readonly decision: Decision;
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
  /** ingestEventGroups with the loans scored ahead by deps.scoreAhead (the same results; in process without it). */
  ingestEventGroupsAhead(groups: ReadonlyArray<readonly EventItem[]>): Promise<Array<EventResult[] | Error>>;
  rescore(loanId: string): Rescored | null;
  getLoan(loanId: string): { loan: StoredLoan; decision: DecisionRecord | null } | null;
  decisions(loanId: string, before: number | undefined, limit: number): Page<DecisionRecord> | null;
  reproduce(record: DecisionRecord): Reproduction | null;
}

export function createServicing(deps: ServicingDeps): Servicing {
  const { store, scorer, now } = deps;
  const iso = () => new Date(now()).toISOString();

  function scoreAndRecord(loanId: string, trigger: DecisionRecord['trigger'], ahead?: Ahead): Rescored {
    const loan = store.getLoan(loanId);
    if (loan === null) throw new Error(`loan ${loanId} vanished inside its transaction`);
    // The decision made ahead holds only for exactly the history it was made from.
    const fits = ahead !== undefined && loan.historyJson === ahead.historyJson;
    const asOf = fits ? ahead.asOf : now();
    const decision = fits ? ahead.decision : scorer.scoreOne(loan.history, asOf);
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
  function ingestWithin(items: readonly EventItem[], raised: Alert[], aheads?: ReadonlyMap<string, Ahead>): EventResult[] {
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
      const { record, alert } = scoreAndRecord(loanId, 'events', aheads?.get(loanId));
      if (alert !== null) raised.push(alert);
      for (const i of indices) {
        const r = results[i]!;
        if (r.status !== 'accepted') continue;
        results[i] = { ...r, decisionId: record.id, band: record.decision.band, ...(alert === null ? {} : { alertId: alert.id }) };
      }
    }
    return results;
  }

  function ingestGroups(groups: ReadonlyArray<readonly EventItem[]>, aheads?: ReadonlyArray<ReadonlyMap<string, Ahead>>): Array<EventResult[] | Error> {
    const raised: Alert[] = [];
    const outcomes = store.transaction(() =>
      groups.map((items, g): EventResult[] | Error => {
        const mine: Alert[] = [];
        try {
          const results = store.transaction(() => ingestWithin(items, mine, aheads?.[g]));
          raised.push(...mine);
          return results;
        } catch (error) {
          return error instanceof Error ? error : new Error(String(error));
        }
      }),
    );
    announce(raised);
    return outcomes;
  }

  /**
   * Per group, each loan's history once the group's events are appended (after the earlier groups'),
   * predicted from the store on the assumption that every event is new, scored by deps.scoreAhead.
   */
  async function scoreEventsAhead(groups: ReadonlyArray<readonly EventItem[]>, scoreAhead: AheadScorer): Promise<Array<Map<string, Ahead>>> {
    const asOf = now();
    const predicted = new Map<string, string | null>();
    const pending: Array<Promise<void>> = [];
    const aheads = groups.map((items) => {
      const mine = new Map<string, Ahead>();
      for (const [loanId, events] of eventsByLoan(items)) {
        let json = predicted.get(loanId);
        if (json === undefined) json = store.getLoan(loanId)?.historyJson ?? null;
        const historyJson = json === null ? null : withEventJson(json, events.map((e) => JSON.stringify(e)));
        predicted.set(loanId, historyJson);
        if (historyJson === null) continue;
        pending.push(
          scoreAhead(historyJson, asOf).then(
            (decision) => {
              if (decision !== null) mine.set(loanId, { historyJson, asOf, decision });
            },
            () => undefined,
          ),
        );
      }
      return mine;
    });
    await Promise.all(pending);
    return aheads;
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
      return ingestGroups(groups);
    },

    async ingestEventGroupsAhead(groups) {
      if (deps.scoreAhead === undefined) return ingestGroups(groups);
      return ingestGroups(groups, await scoreEventsAhead(groups, deps.scoreAhead));
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

/** Each loan's events in one request, in order. */
function eventsByLoan(items: readonly EventItem[]): Map<string, LoanEvent[]> {
  const out = new Map<string, LoanEvent[]>();
  for (const { loanId, event } of items) {
    const list = out.get(loanId);
    if (list === undefined) out.set(loanId, [event]);
    else list.push(event);
  }
  return out;
}

/**
 * A history's JSON with more events' JSON appended to its events array, which the store writes last
 * (an array of objects ends in "}]}", an empty one in "[]}"); null for any other ending. A wrong guess
 * costs only the prediction: the transaction compares it with what the store then holds.
 */
export function withEventJson(historyJson: string, eventJson: readonly string[]): string | null {
  const empty = historyJson.endsWith('"events":[]}');
  if (!empty && !historyJson.endsWith('}]}')) return null;
  return `${historyJson.slice(0, -2)}${empty ? '' : ','}${eventJson.join(',')}]}`;
}
