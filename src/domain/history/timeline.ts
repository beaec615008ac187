// The point-in-time view of a loan history: what the lender knew at `asOf`.
// An event counts when it happened at or before asOf AND was recorded at or before asOf; an event id
// counts once (the first-recorded version wins); order of input never matters.
import { dateToDay as dayOfDate, localDayOf } from './calendar.js';
import type { Instalment, LoanEvent, LoanHistory } from './schema.js';
import { VisibleWalk } from './visible.js';

export interface TimedEvent {
  readonly event: LoanEvent;
  /** Epoch ms when it happened. */
  readonly at: number;
  /** Epoch ms when it was recorded (= at when the source does not say). */
  readonly recordedAt: number;
  /** Local civil day (loan's zone) when it happened. */
  readonly day: number;
}

export interface Timeline {
  readonly history: LoanHistory;
  readonly zone: string;
  readonly asOf: number;
  readonly asOfDay: number;
  readonly originationDay: number;
  /** Visible events, deduplicated by id, sorted by (at, id). */
  readonly events: readonly TimedEvent[];
  /** The whole schedule sorted by due day (instalments not yet due are included; check dueDay). */
  readonly schedule: readonly ScheduledInstalment[];
}

export interface ScheduledInstalment {
  readonly seq: number;
  readonly dueDay: number;
  readonly amountDue: number;
  readonly instalment: Instalment;
}

export function buildTimeline(history: LoanHistory, asOf: number): Timeline {
  const zone = history.timeZone;
  const visible: TimedEvent[] = [];
  const walk = new VisibleWalk(asOf);
  for (const event of history.events) {
    if (!walk.sees(event.at, event.recordedAt)) continue;
    walk.keep(event.id);
    visible.push({ event, at: walk.at, recordedAt: walk.recordedAt, day: localDayOf(walk.at, zone) });
  }
  return timelineOf(history, asOf, dedupeAndSort(visible, walk.ordered));
}

/**
 * A timeline over events the caller already made visible at asOf, unique by id and in (at, id) order,
 * e.g. only the types a consumer reads (the ledger reads payments, statements, arrangements, closure).
 */
export function timelineOf(history: LoanHistory, asOf: number, events: readonly TimedEvent[]): Timeline {
  const zone = history.timeZone;
  return {
    history,
    zone,
    asOf,
    asOfDay: localDayOf(asOf, zone),
    originationDay: dayOfDate(history.contract.originationDate),
    events,
    schedule: sortedSchedule(history.schedule),
  };
}

function sortedSchedule(schedule: readonly Instalment[]): ScheduledInstalment[] {
  const out = schedule.map((instalment) => ({ seq: instalment.seq, dueDay: dayOfDate(instalment.dueDate), amountDue: instalment.amountDue, instalment }));
  const order = (a: ScheduledInstalment, b: ScheduledInstalment) => a.dueDay - b.dueDay || a.seq - b.seq;
  // Schedules come sorted: check in one pass before paying for a sort.
  for (let i = 1; i < out.length; i++) {
    if (order(out[i - 1]!, out[i]!) > 0) {
      out.sort(order);
      break;
    }
  }
  return out;
}

/** Timeline order: by instant, then by event id. */
export function byAtThenId(a: { readonly at: number; readonly event: { readonly id: string } }, b: { readonly at: number; readonly event: { readonly id: string } }): number {
  return a.at - b.at || (a.event.id < b.event.id ? -1 : a.event.id > b.event.id ? 1 : 0);
}

function byRecordThenContent(a: TimedEvent, b: TimedEvent): number {
  return a.recordedAt - b.recordedAt || a.at - b.at || compareContent(a, b);
}

function compareContent(a: TimedEvent, b: TimedEvent): number {
  const x = JSON.stringify(a.event);
  const y = JSON.stringify(b.event);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `ordered`: the events already come in (at, id) order, so that only a duplicate id needs a sort. */
function dedupeAndSort(events: TimedEvent[], ordered: boolean): TimedEvent[] {
  let hasDuplicate = false;
  const seen = new Set<string>();
  for (const e of events) {
    if (seen.has(e.event.id)) {
      hasDuplicate = true;
      break;
    }
    seen.add(e.event.id);
  }
  if (ordered && !hasDuplicate) return events;
  let unique = events;
  if (hasDuplicate) {
    const first = new Map<string, TimedEvent>();
    for (const e of events) {
      const prev = first.get(e.event.id);
      if (prev === undefined || byRecordThenContent(e, prev) < 0) first.set(e.event.id, e);
    }
    unique = [...first.values()];
  }
  unique.sort(byAtThenId);
  return unique;
}
