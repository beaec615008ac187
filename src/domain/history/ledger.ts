// The DPD ledger: payments (minus reversals) settle instalments oldest first; DPD counts the days
// since the due date of the oldest instalment not fully paid, skipping days inside an agreed grace
// period or repayment plan. Allocation works on cumulative cash, so it cannot depend on input order:
// instalment i is paid when cumulative cash >= cumulative amount due through i, less the 1-unit tolerance.
import { dateToDay } from './calendar.js';
import type { Timeline } from './timeline.js';

/** A shortfall of at most this many currency units counts as paid (DOMAIN.md). */
export const PAID_TOLERANCE = 1;
const EPS = 1e-6;
const DAYS_PER_REPORTED_MONTH = 30;

export interface InstalmentState {
  readonly seq: number;
  readonly dueDay: number;
  readonly amountDue: number;
  /** Cash allocated to this instalment as of the ledger date. */
  readonly paid: number;
  /** Local day on which it became (and stayed) fully paid, or null. */
  readonly paidOffDay: number | null;
  /** Due on or before the ledger date. */
  readonly isDue: boolean;
  /** Signed days from due to paid-off (pauses excluded when late), current lateness if due and unpaid, else null. */
  readonly daysLate: number | null;
}

export interface Pause {
  readonly kind: 'grace' | 'plan';
  readonly arrangementId: string;
  readonly fromDay: number;
  /** Last paused day (inclusive). */
  readonly toDay: number;
  readonly broken: boolean;
}

export interface StatementPoint {
  readonly day: number;
  readonly dpd: number;
}

export interface Ledger {
  readonly asOfDay: number;
  readonly dpd: number;
  readonly scheduleDpd: number;
  readonly statementDpd: number;
  readonly overdueAmount: number;
  readonly instalmentsOverdue: number;
  readonly instalmentsDue: number;
  readonly totalDue: number;
  readonly totalScheduled: number;
  readonly totalPaid: number;
  readonly instalments: readonly InstalmentState[];
  readonly pauses: readonly Pause[];
  /** The arrangement pausing the DPD clock on the ledger date, if any. */
  readonly activePause: Pause | null;
  readonly statements: readonly StatementPoint[];
  readonly closed: { day: number; reason: string } | null;
  /** Worst DPD reached on any day in [fromDay, asOfDay] (schedule and reported statements). */
  worstDpdSince(fromDay: number): number;
  /** Days inside pauses in the half-open day range (fromDay, toDay]. */
  pausedDays(fromDay: number, toDay: number): number;
}

interface Flow {
  day: number;
  amount: number;
}

export function buildLedger(timeline: Timeline): Ledger {
  const { asOfDay } = timeline;
  const flows: Flow[] = [];
  const statements: StatementPoint[] = [];
  const agreed = new Map<string, { kind: 'grace' | 'plan'; fromDay: number; toDay: number }>();
  const brokenDay = new Map<string, number>();
  let closed: { day: number; reason: string } | null = null;

  for (const { event, day } of timeline.events) {
    switch (event.type) {
      case 'payment':
        flows.push({ day, amount: event.amount });
        break;
      case 'payment_reversal':
        flows.push({ day, amount: -event.amount });
        break;
      case 'statement': {
        const reported = event.reportedDpd ?? (event.monthsLate === undefined ? undefined : event.monthsLate * DAYS_PER_REPORTED_MONTH);
        if (reported !== undefined) statements.push({ day, dpd: reported });
        break;
      }
      case 'arrangement_agreed': {
        const toDay = arrangementEnd(event.kind, event.graceUntil, event.plan, day);
        agreed.set(event.arrangementId, { kind: event.kind, fromDay: day, toDay });
        break;
      }
      case 'arrangement_broken':
        if (!brokenDay.has(event.arrangementId)) brokenDay.set(event.arrangementId, day);
        break;
      case 'closed':
        closed ??= { day, reason: event.reason };
        break;
      default:
        break;
    }
  }

  const pauses = buildPauses(agreed, brokenDay);
  const pausedDays = makePausedDays(pauses);

  // Allocate cash to instalments oldest first, tracking the day each one became paid.
  const schedule = timeline.schedule;
  const n = schedule.length;
  const cumDue = new Float64Array(n);
  let running = 0;
  for (let i = 0; i < n; i++) {
    running += schedule[i]!.amountDue;
    cumDue[i] = running;
  }
  const paidOff: (number | null)[] = new Array<number | null>(n).fill(null);
  let cum = 0;
  let p = 0;
  for (const flow of flows) {
    cum += flow.amount;
    while (p < n && cum >= cumDue[p]! - PAID_TOLERANCE - EPS) paidOff[p++] = flow.day;
    while (p > 0 && cum < cumDue[p - 1]! - PAID_TOLERANCE - EPS) paidOff[--p] = null;
  }

  const instalments: InstalmentState[] = [];
  let instalmentsOverdue = 0;
  let instalmentsDue = 0;
  let totalDue = 0;
  let oldestUnpaidDueDay: number | null = null;
  for (let i = 0; i < n; i++) {
    const s = schedule[i]!;
    const before = i === 0 ? 0 : cumDue[i - 1]!;
    const paid = Math.min(Math.max(cum - before, 0), s.amountDue);
    const isDue = s.dueDay <= asOfDay;
    const off = paidOff[i] ?? null;
    let daysLate: number | null = null;
    if (off !== null) daysLate = off > s.dueDay ? off - s.dueDay - pausedDays(s.dueDay, off) : off - s.dueDay;
    if (isDue) {
      instalmentsDue++;
      totalDue += s.amountDue;
      if (off === null) {
        instalmentsOverdue++;
        oldestUnpaidDueDay ??= s.dueDay;
        daysLate = asOfDay - s.dueDay - pausedDays(s.dueDay, asOfDay);
      }
    }
    instalments.push({ seq: s.seq, dueDay: s.dueDay, amountDue: s.amountDue, paid, paidOffDay: off, isDue, daysLate });
  }

  const scheduleDpd = oldestUnpaidDueDay === null ? 0 : Math.max(0, asOfDay - oldestUnpaidDueDay - pausedDays(oldestUnpaidDueDay, asOfDay));
  const lastStatement = statements.length > 0 ? statements[statements.length - 1]! : null;
  // A reported status ages until the next statement says otherwise.
  const statementDpd = lastStatement === null || lastStatement.dpd === 0 ? 0 : lastStatement.dpd + Math.max(0, asOfDay - lastStatement.day - pausedDays(lastStatement.day, asOfDay));
  const dpd = closed !== null && closed.reason !== 'written_off' ? 0 : Math.max(scheduleDpd, statementDpd);
  const activePause = pauses.find((pz) => pz.fromDay <= asOfDay && asOfDay <= pz.toDay) ?? null;

  const worstDpdSince = (fromDay: number): number => {
    let worst = fromDay <= asOfDay ? dpd : 0;
    for (const inst of instalments) {
      if (!inst.isDue || inst.daysLate === null || inst.daysLate <= 0) continue;
      const end = inst.paidOffDay ?? asOfDay;
      // Lateness grows until the instalment is paid, so its peak is at the end of its unpaid spell.
      if (end >= fromDay && inst.daysLate > worst) worst = inst.daysLate;
    }
    for (const st of statements) if (st.day >= fromDay && st.dpd > worst) worst = st.dpd;
    return worst;
  };

  return {
    asOfDay,
    dpd,
    scheduleDpd,
    statementDpd,
    // From cumulative cash, so that a reversal larger than the payments before it still shows as owed.
    overdueAmount: instalmentsOverdue === 0 ? 0 : totalDue - cum,
    instalmentsOverdue,
    instalmentsDue,
    totalDue,
    totalScheduled: n === 0 ? 0 : cumDue[n - 1]!,
    totalPaid: cum,
    instalments,
    pauses,
    activePause,
    statements,
    closed,
    worstDpdSince,
    pausedDays,
  };
}

function arrangementEnd(kind: 'grace' | 'plan', graceUntil: string | undefined, plan: ReadonlyArray<{ dueDate: string }> | undefined, fromDay: number): number {
  if (kind === 'grace') return graceUntil === undefined ? fromDay : dateToDay(graceUntil);
  let last = fromDay;
  for (const p of plan ?? []) last = Math.max(last, dateToDay(p.dueDate));
  return last;
}

function buildPauses(
  agreed: ReadonlyMap<string, { kind: 'grace' | 'plan'; fromDay: number; toDay: number }>,
  brokenDay: ReadonlyMap<string, number>,
): Pause[] {
  const pauses: Pause[] = [];
  for (const [arrangementId, a] of agreed) {
    const broke = brokenDay.get(arrangementId);
    const toDay = broke !== undefined && broke <= a.toDay ? broke - 1 : a.toDay;
    // A pause may end in the future; pausedDays() only ever counts up to the ledger date.
    pauses.push({ kind: a.kind, arrangementId, fromDay: a.fromDay, toDay, broken: broke !== undefined });
  }
  pauses.sort((a, b) => a.fromDay - b.fromDay || (a.arrangementId < b.arrangementId ? -1 : 1));
  return pauses;
}

/** Count of paused days in (from, to], over the union of pause intervals. */
function makePausedDays(pauses: readonly Pause[]): (from: number, to: number) => number {
  if (pauses.length === 0) return () => 0;
  const merged: Array<[number, number]> = [];
  for (const p of pauses) {
    if (p.toDay < p.fromDay) continue;
    const last = merged[merged.length - 1];
    if (last !== undefined && p.fromDay <= last[1] + 1) last[1] = Math.max(last[1], p.toDay);
    else merged.push([p.fromDay, p.toDay]);
  }
  return (from, to) => {
    let total = 0;
    for (const [a, b] of merged) {
      const lo = Math.max(a, from + 1);
      const hi = Math.min(b, to);
      if (hi >= lo) total += hi - lo + 1;
    }
    return total;
  };
}
