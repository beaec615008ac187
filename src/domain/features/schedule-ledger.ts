// The ledger walk over the schedule: cumulative cash settles the oldest instalment first (1-unit
// tolerance), as buildLedger does (a property test checks parity); then lateness of every due
// instalment, DPD (grace and plan days excluded; statement-reported DPD ages until the next
// statement), exposure, and the performance windows.
import type { LoanHistory } from '../history/schema.js';
import { PAID_TOLERANCE } from '../history/ledger.js';
import { dateDay } from './days.js';
import { summarisePerformance } from './performance-windows.js';
import type { LoanScan } from './scan.js';
import { ensureF64 } from './scratch.js';

const EPS = 1e-6;

/** Per-instalment scratch, in (dueDay, seq) order, reused across loans. */
export class ScheduleScratch {
  due = new Int32Array(32);
  amt = new Float64Array(32);
  prin = new Float64Array(32);
  cumDue = new Float64Array(32);
  /** Day the instalment was settled, -1 if not. */
  off = new Int32Array(32);
  ord = new Int32Array(32);
  /** Cash set against the instalment by its due day. */
  atDueCash = new Float64Array(32);
  /** Days late of each due instalment. */
  late = new Float64Array(32);

  ensure(n: number): void {
    if (this.due.length >= n) return;
    const c = n * 2;
    this.due = new Int32Array(c);
    this.amt = new Float64Array(c);
    this.prin = new Float64Array(c);
    this.cumDue = new Float64Array(c);
    this.off = new Int32Array(c);
    this.ord = new Int32Array(c);
    this.atDueCash = new Float64Array(c);
    this.late = ensureF64(this.late, c);
  }
}

/** Cash settles instalments oldest first (cumulative, as buildLedger does); then lateness and DPD. */
export function walkSchedule(s: LoanScan, history: LoanHistory): void {
  const schedule = history.schedule;
  const n = schedule.length;
  const asOfDay = s.asOfDay;
  const sc = s.schedule;
  sc.ensure(n);
  const { due, amt, prin, off, atDueCash, late } = sc;
  const cumDue = sc.cumDue;
  // Order by (dueDay, seq); schedules almost always arrive in order.
  const ord = sc.ord;
  let inOrder = true;
  let prevDue = -Infinity;
  let prevSeq = 0;
  // One read of each instalment in input order; re-read in sorted order only when it was not sorted.
  // The running sums (in (dueDay, seq) order, as the ledger adds them) come along while the order holds.
  let allPrincipal = n > 0;
  let running = 0;
  let totalPrincipal = 0;
  for (let i = 0; i < n; i++) {
    const item = schedule[i]!;
    const d = dateDay(item.dueDate);
    const seq = item.seq;
    if (d < prevDue || (d === prevDue && seq < prevSeq)) inOrder = false;
    prevDue = d;
    prevSeq = seq;
    due[i] = d;
    ord[i] = i;
    const amount = item.amountDue;
    amt[i] = amount;
    const principal = item.principalDue;
    if (principal === undefined) allPrincipal = false;
    const p = principal ?? 0;
    prin[i] = p;
    totalPrincipal += p;
    running += amount;
    cumDue[i] = running;
    off[i] = -1;
  }
  if (!inOrder) {
    const days = Array.from(due.subarray(0, n));
    const idx = Array.from({ length: n }, (_, i) => i);
    idx.sort((x, y) => days[x]! - days[y]! || schedule[x]!.seq - schedule[y]!.seq);
    for (let i = 0; i < n; i++) {
      const item = schedule[idx[i]!]!;
      ord[i] = idx[i]!;
      due[i] = days[idx[i]!]!;
      amt[i] = item.amountDue;
      prin[i] = item.principalDue ?? 0;
    }
    running = 0;
    totalPrincipal = 0;
    for (let i = 0; i < n; i++) {
      totalPrincipal += prin[i]!;
      running += amt[i]!;
      cumDue[i] = running;
    }
  }
  s.instalmentCount = n;
  s.totalScheduled = running;
  s.lastDueDay = n > 0 ? due[n - 1]! : -1;

  // Walk cash flows; also note cash received by each due date (for on-time coverage).
  const fd = s.flowDay.a;
  const fa = s.flowAmt.a;
  const nf = s.flowDay.n;
  let cum = 0;
  let p = 0;
  for (let f = 0; f < nf; f++) {
    cum += fa[f]!;
    while (p < n && cum >= cumDue[p]! - PAID_TOLERANCE - EPS) off[p++] = fd[f]!;
    while (p > 0 && cum < cumDue[p - 1]! - PAID_TOLERANCE - EPS) off[--p] = -1;
  }
  s.cash = cum;

  const pauses = s.pauses;
  let overdue = 0;
  let dueCount = 0;
  let totalDue = 0;
  let oldestUnpaid = -1;
  let lastFullyPaid = -1;
  let unpaid = 0;
  let nextDue = -1;
  let paidPrincipal = 0;
  let worstEver = 0;
  let worst90 = 0;
  const from90 = asOfDay - 89;
  let cashAtDue = 0;
  let fi = 0;
  for (let i = 0; i < n; i++) {
    const before = i === 0 ? 0 : cumDue[i - 1]!;
    const paid = Math.min(Math.max(cum - before, 0), amt[i]!);
    const d = due[i]!;
    const o = off[i]!;
    if (o >= 0 && o > lastFullyPaid) lastFullyPaid = o;
    if (o < 0) unpaid++;
    if (d > asOfDay && nextDue < 0) nextDue = d - asOfDay;
    // Nothing paid adds nothing: skip the division (most instalments not yet due).
    if (allPrincipal && paid > 0) paidPrincipal += amt[i]! > 0 ? (prin[i]! * paid) / amt[i]! : 0;
    if (d > asOfDay) continue;
    dueCount++;
    totalDue += amt[i]!;
    let daysLate: number;
    if (o < 0) {
      overdue++;
      if (oldestUnpaid < 0) oldestUnpaid = d;
      daysLate = asOfDay - d - pauses.days(d, asOfDay);
    } else {
      daysLate = o > d ? o - d - pauses.days(d, o) : o - d;
    }
    // Due instalments are a prefix of the sorted schedule, so index i is also the due index.
    late[i] = daysLate;
    if (daysLate > 0) {
      if (daysLate > worstEver) worstEver = daysLate;
      if ((o < 0 ? asOfDay : o) >= from90 && daysLate > worst90) worst90 = daysLate;
    }
    // Cash received up to this due day, net of reversals.
    while (fi < nf && fd[fi]! <= d) cashAtDue += fa[fi++]!;
    atDueCash[i] = Math.min(Math.max(cashAtDue - before, 0), amt[i]!);
    if (i === 0) s.firstPaymentMissed = (o < 0 && asOfDay > d) || daysLate > 30 ? 1 : 0;
  }
  if (dueCount === 0) s.firstPaymentMissed = 0;

  s.instalmentsDue = dueCount;
  s.instalmentsOverdue = overdue;
  // As the ledger: from cumulative cash, so a reversal beyond earlier payments still shows as owed.
  s.overdueAmount = overdue === 0 ? 0 : totalDue - cum;
  s.totalDue = totalDue;
  s.lastFullyPaidDay = lastFullyPaid;
  s.instalmentsUnpaid = unpaid;
  s.nextDueInDays = nextDue;
  if (n === 0) s.principalOutstandingRatio = -1;
  else if (allPrincipal) s.principalOutstandingRatio = totalPrincipal > 0 ? Math.max(0, totalPrincipal - paidPrincipal) / totalPrincipal : 0;
  else s.principalOutstandingRatio = Math.max(0, running - Math.min(Math.max(cum, 0), running)) / running;

  s.scheduleDpd = oldestUnpaid < 0 ? 0 : Math.max(0, asOfDay - oldestUnpaid - pauses.days(oldestUnpaid, asOfDay));
  s.statementDpd = lastReportedStatementDpd(s, asOfDay);
  s.dpd = s.closedDay >= 0 && s.closedReason !== 'written_off' ? 0 : Math.max(s.scheduleDpd, s.statementDpd);
  const ns = s.stDay.n;
  for (let k = 0; k < ns; k++) {
    const v = s.stDpd.a[k]!;
    if (v > worstEver) worstEver = v;
    if (s.stDay.a[k]! >= from90 && v > worst90) worst90 = v;
  }
  s.worstDpdEver = Math.max(worstEver, s.dpd);
  s.worstDpd90 = Math.max(worst90, s.dpd);
  summarisePerformance(s, dueCount);
}

/** The ledger's statement DPD: the last statement that reports a figure, aged to asOf when positive. */
function lastReportedStatementDpd(s: LoanScan, asOfDay: number): number {
  for (let k = s.stDay.n - 1; k >= 0; k--) {
    const v = s.stDpd.a[k]!;
    if (v < 0) continue;
    if (v === 0) return 0;
    const day = s.stDay.a[k]!;
    return v + Math.max(0, asOfDay - day - s.pauses.days(day, asOfDay));
  }
  return 0;
}
