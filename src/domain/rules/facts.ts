// History facts that are not model features, and the FactSource rules read: feature values first,
// then these facts, then windowed event counts over the point-in-time timeline.
import { dateToDay } from '../history/calendar.js';
import type { Ledger } from '../history/ledger.js';
import type { LoanHistory } from '../history/schema.js';
import { PAID_TOLERANCE } from '../history/ledger.js';
import type { Timeline } from '../history/timeline.js';
import type { FactSource, FactValue } from './evaluate.js';
import type { EventWindow, Scalar } from './schema.js';

/** Days a borrower's proposal stays relevant to the unreasonable-plan check. */
export const PROPOSAL_LOOKBACK_DAYS = 30;

export interface PromiseOutcomes {
  readonly made: number;
  readonly kept: number;
  readonly broken: number;
  readonly pending: number;
}

const NO_PROMISES: PromiseOutcomes = { made: 0, kept: 0, broken: 0, pending: 0 };

/**
 * A loan's payments (reversals negative) and promises to pay, noted in timeline order, and the
 * promises' outcomes: a promise is kept when payments from its day to its promised date reach its
 * amount (less the tolerance). The arrays are reused from loan to loan (the evidence summary of every
 * legal review asks), not an object per payment; the sums run in timeline order, as they always have.
 */
export class PromiseBook {
  private payDay = new Int32Array(64);
  private payAmount = new Float64Array(64);
  private pays = 0;
  private promiseDay = new Int32Array(16);
  private promiseDue = new Int32Array(16);
  private promiseAmount = new Float64Array(16);
  private promises = 0;

  reset(): void {
    this.pays = 0;
    this.promises = 0;
  }

  /** A payment (a reversal: negative amount) on a local day. */
  payment(day: number, amount: number): void {
    if (this.pays === this.payDay.length) {
      this.payDay = grown(this.payDay, new Int32Array(2 * this.pays));
      this.payAmount = grown(this.payAmount, new Float64Array(2 * this.pays));
    }
    this.payDay[this.pays] = day;
    this.payAmount[this.pays++] = amount;
  }

  /** A promise made on `day` to pay `amount` by `dueDay`. */
  promise(day: number, dueDay: number, amount: number): void {
    if (this.promises === this.promiseDay.length) {
      this.promiseDay = grown(this.promiseDay, new Int32Array(2 * this.promises));
      this.promiseDue = grown(this.promiseDue, new Int32Array(2 * this.promises));
      this.promiseAmount = grown(this.promiseAmount, new Float64Array(2 * this.promises));
    }
    this.promiseDay[this.promises] = day;
    this.promiseDue[this.promises] = dueDay;
    this.promiseAmount[this.promises++] = amount;
  }

  outcomes(asOfDay: number): PromiseOutcomes {
    return promiseOutcomesOf({ day: this.payDay, amount: this.payAmount, n: this.pays }, { day: this.promiseDay, due: this.promiseDue, amount: this.promiseAmount, n: this.promises }, asOfDay);
  }
}

/** Payments (reversals negative) in timeline order: the first n of each array. */
export interface PaymentColumns {
  readonly day: ArrayLike<number>;
  readonly amount: ArrayLike<number>;
  readonly n: number;
}

/** Promises to pay: the day made, the promised day and the amount; the first n of each array. */
export interface PromiseColumns {
  readonly day: ArrayLike<number>;
  readonly due: ArrayLike<number>;
  readonly amount: ArrayLike<number>;
  readonly n: number;
}

/** The promises' outcomes against the payments (the book's rule, for any holder of the same columns). */
export function promiseOutcomesOf(pays: PaymentColumns, promises: PromiseColumns, asOfDay: number): PromiseOutcomes {
  const made = promises.n;
  if (made === 0) return NO_PROMISES;
  let kept = 0;
  let broken = 0;
  for (let i = 0; i < made; i++) {
    const day = promises.day[i]!;
    const due = promises.due[i]!;
    let paid = 0;
    for (let k = 0; k < pays.n; k++) {
      const d = pays.day[k]!;
      if (d >= day && d <= due && d <= asOfDay) paid += pays.amount[k]!;
    }
    if (paid >= promises.amount[i]! - PAID_TOLERANCE) kept++;
    else if (due < asOfDay) broken++;
  }
  return { made, kept, broken, pending: made - kept - broken };
}

function grown<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

const book = new PromiseBook();

/** A promise is kept when payments from its day to its promised date reach its amount (less the tolerance). */
export function promiseOutcomes(timeline: Timeline, sinceDay = Number.NEGATIVE_INFINITY): PromiseOutcomes {
  book.reset();
  for (const { event, day } of timeline.events) {
    if (event.type === 'payment') book.payment(day, event.amount);
    else if (event.type === 'payment_reversal') book.payment(day, -event.amount);
    else if (event.type === 'promise_to_pay' && day >= sinceDay) book.promise(day, dateToDay(event.promisedDate), event.amount);
  }
  return book.outcomes(timeline.asOfDay);
}

export interface ProposalCheck {
  /** Plan total over the overdue amount (null when the proposal has no plan or nothing is overdue). */
  readonly coverage: number | null;
  /** Days from the proposal to its last plan date or grace end. */
  readonly days: number | null;
}

const NO_PROPOSAL: ProposalCheck = { coverage: null, days: null };

/** Whether any event (visible or not) is an arrangement the borrower proposed. */
function hasBorrowerProposal(history: LoanHistory): boolean {
  for (const event of history.events) if (event.type === 'arrangement_offered' && event.proposedBy === 'borrower') return true;
  return false;
}

/** The latest borrower-proposed arrangement in the look-back, measured against what is overdue now. */
export function latestBorrowerProposal(timeline: Timeline, ledger: Ledger): ProposalCheck {
  let latest: { coverage: number | null; days: number | null } | null = null;
  for (const { event, day } of timeline.events) {
    if (event.type !== 'arrangement_offered' || event.proposedBy !== 'borrower') continue;
    if (day <= timeline.asOfDay - PROPOSAL_LOOKBACK_DAYS) continue;
    let end = day;
    let total = 0;
    for (const p of event.plan ?? []) {
      total += p.amount;
      end = Math.max(end, dateToDay(p.dueDate));
    }
    if (event.graceUntil !== undefined) end = Math.max(end, dateToDay(event.graceUntil));
    const owed = ledger.overdueAmount;
    latest = {
      coverage: event.plan !== undefined && event.plan.length > 0 && owed > 0 ? total / owed : null,
      days: end > day ? end - day : null,
    };
  }
  return latest ?? NO_PROPOSAL;
}

/** Facts from the history that rules may use beside the features. */
export function historyFacts(timeline: Timeline, ledger: Ledger): Record<string, FactValue> {
  const source = createFactSource(() => undefined, { timeline, ledger });
  return Object.fromEntries(HISTORY_FACT_NAMES.map((name) => [name, source.get(name) ?? null]));
}

export const HISTORY_FACT_NAMES = ['ledger_dpd', 'max_overdue_days', 'overdue_amount', 'arrangement_kept', 'borrower_plan_coverage', 'borrower_plan_days', 'closed'] as const;

/** Reads `name` off an event, for `where` filters (only scalar fields). */
function field(event: object, name: string): Scalar | undefined {
  const v = (event as Record<string, unknown>)[name];
  return typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : undefined;
}

export function countEvents(timeline: Timeline, window: EventWindow): number {
  const from = timeline.asOfDay - window.withinDays;
  const where = window.where === undefined ? [] : Object.entries(window.where);
  let n = 0;
  for (const { event, day } of timeline.events) {
    if (event.type !== window.type || day <= from) continue;
    let ok = true;
    for (const [k, allowed] of where) {
      const v = field(event, k);
      if (v === undefined || !allowed.includes(v)) {
        ok = false;
        break;
      }
    }
    if (ok) n++;
  }
  return n;
}

export type FeatureLookup = (name: string) => number | undefined;

/** The point-in-time view the history facts read; the properties may be lazy getters. */
export interface HistoryView {
  readonly timeline: Timeline;
  readonly ledger: Ledger;
  /** The history itself, when the caller has it without building the timeline (contract facts need no more). */
  readonly history?: LoanHistory;
}

/** Each history fact reads only what it needs: a contract fact must not build the timeline and ledger. */
const HISTORY_FACT_READERS: ReadonlyMap<string, (view: HistoryView, proposal: () => ProposalCheck) => FactValue> = new Map<
  (typeof HISTORY_FACT_NAMES)[number],
  (view: HistoryView, proposal: () => ProposalCheck) => FactValue
>([
  ['ledger_dpd', (v) => v.ledger.dpd],
  ['max_overdue_days', (v) => (v.history ?? v.timeline.history).contract.maxOverdueDays],
  ['overdue_amount', (v) => v.ledger.overdueAmount],
  ['arrangement_kept', (v) => (v.ledger.activePause !== null && !v.ledger.activePause.broken ? 1 : 0)],
  ['borrower_plan_coverage', (_v, proposal) => proposal().coverage],
  ['borrower_plan_days', (_v, proposal) => proposal().days],
  ['closed', (v) => (v.ledger.closed === null ? 0 : 1)],
]);

/**
 * Features (by name) first, then history facts; event windows count over the timeline. `over` aims
 * the source at another loan's view, so that a scorer keeps one source rather than a set of closures
 * per loan.
 */
export class HistoryFactSource implements FactSource {
  private proposal: ProposalCheck | null = null;
  // Most histories hold no borrower proposal at all: then the answer needs no timeline or ledger.
  private readonly proposalOf = (): ProposalCheck =>
    (this.proposal ??= hasBorrowerProposal(this.view.history ?? this.view.timeline.history) ? latestBorrowerProposal(this.view.timeline, this.view.ledger) : NO_PROPOSAL);

  constructor(
    private readonly features: FeatureLookup,
    private view: HistoryView,
  ) {}

  over(view: HistoryView): this {
    this.view = view;
    this.proposal = null;
    return this;
  }

  get(name: string): FactValue | undefined {
    const f = this.features(name);
    if (f !== undefined) return f;
    const read = HISTORY_FACT_READERS.get(name);
    return read === undefined ? undefined : read(this.view, this.proposalOf);
  }

  countEvents(window: EventWindow): number {
    return countEvents(this.view.timeline, window);
  }
}

/** Features (by name) first, then history facts; event windows count over the timeline. */
export function createFactSource(features: FeatureLookup, view: HistoryView): FactSource {
  return new HistoryFactSource(features, view);
}

/** A FactSource over a plain record (no history): for tests and callers that computed facts already. */
export function recordFactSource(values: Readonly<Record<string, FactValue>>, counts: (w: EventWindow) => number = () => 0): FactSource {
  return {
    get: (name) => (Object.hasOwn(values, name) ? values[name] : undefined),
    countEvents: counts,
  };
}
