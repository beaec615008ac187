// The shared fast pass behind every feature. One walk over the events (parse instants, keep what was
// known at asOf, dedupe by id, order by (at, id)), then one walk in time order into typed
// accumulators, then the schedule. It reproduces the ledger's semantics (test/domain/features
// checks parity with buildLedger) without allocating per event, because feature time must stay
// within 2x of merely reading the events. Features are thin readers of the facts computed here.
import { DAY_MS, FIXED_OFFSETS_FROM_MS, fixedOffsetMinutes, localDayOf, parseInstant } from '../history/calendar.js';
import { PAID_TOLERANCE } from '../history/ledger.js';
import { CONTACT_DETAILS, HARDSHIP_REASONS, type LoanEvent, type LoanHistory } from '../history/schema.js';
import { dateDay } from './days.js';
import { summarisePayday } from './payday-facts.js';
import { resolvePromises } from './promise-facts.js';
import { ensureF64, ensureI32, F64, I32, slope } from './scratch.js';
import { summariseStatementDetail } from './statement-detail-facts.js';
import { summariseStatements } from './statement-facts.js';

const EPS = 1e-6;
const DAYS_PER_REPORTED_MONTH = 30;
/** Days since an event that never happened. */
export const NEVER = 999;

const HARDSHIP_INDEX: Readonly<Record<string, number>> = Object.fromEntries(HARDSHIP_REASONS.map((r, i) => [r, i]));
const DETAIL_INDEX: Readonly<Record<string, number>> = Object.fromEntries(CONTACT_DETAILS.map((r, i) => [r, i]));
const PAY_PERIODS_PER_MONTH: Readonly<Record<string, number>> = { monthly: 1, semi_monthly: 2, weekly: 52 / 12, daily: 30 };

/** Performance over the last k due instalments, k in PERF_WINDOWS. */
export const PERF_WINDOWS = [3, 6, 12] as const;

export class LoanScan {
  history!: LoanHistory;
  asOf = 0;
  asOfDay = 0;
  originationDay = 0;
  maxOverdueDays = 90;
  private from7 = 0;
  private from30 = 0;
  private from60 = 0;
  private from90 = 0;

  // Visible events in (at, id) order: index into history.events and local day.
  private readonly vIdx = new I32();
  private readonly vAt = new F64();
  private readonly vRec = new F64();
  private ord = new Int32Array(64);

  // Ledger.
  dpd = 0;
  scheduleDpd = 0;
  statementDpd = 0;
  overdueAmount = 0;
  instalmentsOverdue = 0;
  instalmentsDue = 0;
  instalmentCount = 0;
  lastDueDay = -1;
  totalDue = 0;
  totalScheduled = 0;
  cash = 0;
  closedDay = -1;
  closedReason = '';
  worstDpdEver = 0;
  worstDpd90 = 0;
  lastFullyPaidDay = -1;
  instalmentsUnpaid = 0;
  nextDueInDays = -1;
  principalOutstandingRatio = -1;
  firstPaymentMissed = 0;
  /** Per PERF_WINDOWS entry: late >0, >7, >30 days, partial at due, paid-at-due ratio. */
  readonly late0 = new Float64Array(3);
  readonly late7 = new Float64Array(3);
  readonly late30 = new Float64Array(3);
  readonly partial = new Float64Array(3);
  readonly paidAtDueRatio = new Float64Array(3);
  daysLateMean6 = 0;
  daysLateTrend6 = 0;

  // Payments.
  private readonly flowDay = new I32();
  private readonly flowAmt = new F64();
  readonly payDay = new I32();
  readonly payAmt = new F64();
  lastPaymentDay = -1;
  payments30 = 0;
  paydayShare = -1;

  // Contact.
  attempts7 = 0;
  attempts30 = 0;
  reached7 = 0;
  reached30 = 0;
  unansweredStreak = 0;
  refusals30 = 0;
  switchedOff30 = 0;
  wrongNumber30 = 0;
  inbound30 = 0;
  sms30 = 0;
  lastReachedDay = -1;
  optOuts = 0;

  // Promises.
  readonly ptpDay = new I32();
  readonly ptpDue = new I32();
  readonly ptpAmt = new F64();
  ptpMade60 = 0;
  ptpKept60 = 0;
  ptpBroken60 = 0;
  ptpBrokenStreak = 0;
  ptpPending = 0;
  lastBrokenPromiseDay = -1;

  // Hardship and arrangements.
  readonly hardship90 = new Float64Array(HARDSHIP_REASONS.length);
  hardshipEver = 0;
  private agrIds: string[] = [];
  private readonly agrKind = new I32();
  private readonly agrFrom = new I32();
  private readonly agrTo = new I32();
  private brkIds: string[] = [];
  private readonly brkDay = new I32();
  private pauseFrom = new Int32Array(8);
  private pauseTo = new Int32Array(8);
  private pauseN = 0;
  /** 0 none, 1 grace, 2 plan. */
  activePauseKind = 0;
  arrangementsBroken90 = 0;
  arrangementsAgreed = 0;
  arrangementsOffered90 = 0;

  // Stability.
  readonly detailsChanged90 = new Float64Array(CONTACT_DETAILS.length);
  phoneChangedEarly = 0;
  employmentChanged90 = 0;
  referred = 0;

  // Statements (revolving and status-reporting sources), in time order.
  readonly stDay = new I32();
  readonly stDpd = new F64();
  readonly stBal = new F64();
  readonly stLimit = new F64();
  readonly stDelinquent = new I32();
  /** Statement status code: -2 no balance, -1 paid in full, 0 revolving or on time, n months late. */
  readonly stStatus = new I32();
  /** Scratch for per-loan series (lateness, statement values). */
  tmp = new Float64Array(16);
  statementCount = 0;
  revStatusCurrent = -1;
  revStatusCode = -3;
  revStatusCodePrev = -3;
  revPaidFull6 = 0;
  revRevolving6 = 0;
  revBalance = 0;
  revBalanceMean6 = 0;
  revPaymentLast = 0;
  revPaymentPrev = 0;
  revPaymentMean6 = 0;
  revStatusWorst = -1;
  revStatusWorst6 = -1;
  revDelinquent3 = 0;
  revDelinquent6 = 0;
  revStatusTrend = 0;
  revDelinquentStreak = 0;
  revUtilisation = -1;
  revUtilisationTrend = 0;
  revPayToBill1 = 1;
  revPayToBill3 = 1;
  revPayToBill6 = 1;
  revZeroPayment6 = 0;
  revBillGrowth3 = 0;

  // Schedule scratch.
  private sDue = new Int32Array(32);
  private sAmt = new Float64Array(32);
  private sPrin = new Float64Array(32);
  private sCum = new Float64Array(32);
  private sOff = new Int32Array(32);
  private sOrd = new Int32Array(32);
  private sAtDue = new Float64Array(32);

  run(history: LoanHistory, asOf: number): this {
    this.history = history;
    this.asOf = asOf;
    const zone = history.timeZone;
    this.asOfDay = localDayOf(asOf, zone);
    this.originationDay = dateDay(history.contract.originationDate);
    this.maxOverdueDays = history.contract.maxOverdueDays;
    this.from7 = this.asOfDay - 7;
    this.from30 = this.asOfDay - 30;
    this.from60 = this.asOfDay - 60;
    this.from90 = this.asOfDay - 90;
    this.reset();
    // Inputs almost always arrive in time order without duplicates: walk them as they come, and
    // fall back to collect, sort and dedupe only when that turns out not to hold.
    if (!this.walkInInputOrder(history.events, asOf, zone)) {
      this.reset();
      this.collectVisible(history.events, asOf);
      this.walkEvents(history.events, zone);
    }
    this.buildPauses();
    this.allocate(history);
    resolvePromises(this);
    summariseStatements(this, history.contract.creditLimit);
    summariseStatementDetail(this);
    summarisePayday(this, history.borrower.payFrequency, history.borrower.payday);
    return this;
  }

  private reset(): void {
    this.vIdx.n = this.vAt.n = this.vRec.n = 0;
    this.flowDay.n = this.flowAmt.n = this.payDay.n = this.payAmt.n = 0;
    this.ptpDay.n = this.ptpDue.n = this.ptpAmt.n = 0;
    this.stDay.n = this.stDpd.n = this.stBal.n = this.stLimit.n = this.stDelinquent.n = this.stStatus.n = 0;
    this.agrKind.n = this.agrFrom.n = this.agrTo.n = this.brkDay.n = 0;
    if (this.agrIds.length > 0) this.agrIds = [];
    if (this.brkIds.length > 0) this.brkIds = [];
    this.closedDay = -1;
    this.closedReason = '';
    this.lastPaymentDay = -1;
    this.payments30 = 0;
    this.attempts7 = this.attempts30 = this.reached7 = this.reached30 = 0;
    this.unansweredStreak = this.refusals30 = this.switchedOff30 = this.wrongNumber30 = 0;
    this.inbound30 = this.sms30 = this.optOuts = this.ptpMade60 = 0;
    this.lastReachedDay = -1;
    this.hardship90.fill(0);
    this.hardshipEver = 0;
    this.arrangementsBroken90 = this.arrangementsAgreed = this.arrangementsOffered90 = 0;
    this.detailsChanged90.fill(0);
    this.phoneChangedEarly = this.employmentChanged90 = this.referred = 0;
  }

  /** Keep events known at asOf; order them by (at, id); drop duplicate ids like buildTimeline. */
  private collectVisible(events: readonly LoanEvent[], asOf: number): void {
    let sorted = true;
    let prevAt = -Infinity;
    let prevId = '';
    for (let i = 0; i < events.length; i++) {
      const e = events[i]!;
      const at = parseInstant(e.at);
      if (at > asOf) continue;
      const rec = e.recordedAt === undefined ? at : parseInstant(e.recordedAt);
      if (rec > asOf) continue;
      if (at < prevAt || (at === prevAt && e.id <= prevId)) sorted = false;
      prevAt = at;
      prevId = e.id;
      this.vIdx.push(i);
      this.vAt.push(at);
      this.vRec.push(rec);
    }
    const n = this.vIdx.n;
    this.ord = ensureI32(this.ord, n);
    const ord = this.ord;
    for (let k = 0; k < n; k++) ord[k] = k;
    if (!sorted) this.sortVisible(events, n);
    // Sorted by (at, id): any duplicate id with equal `at` is adjacent; equal ids at different
    // instants are found by the id set, built only when the cheap adjacency test is not enough.
    if (n > 1 && this.hasDuplicateIds(events, n)) this.dropDuplicates(events);
  }

  private sortKeys = new Float64Array(64);

  private sortVisible(events: readonly LoanEvent[], n: number): void {
    const ord = this.ord;
    const at = this.vAt.a;
    const idx = this.vIdx.a;
    // Pre-sort by instant with a native numeric sort on packed (at, position) keys when they fit
    // exactly in a double; the insertion sort below then only settles ties by id.
    let packable = n <= 4096;
    for (let k = 0; k < n && packable; k++) packable = at[k]! >= 0 && at[k]! < 2 ** 41;
    if (packable) {
      this.sortKeys = ensureF64(this.sortKeys, n);
      const keys = this.sortKeys.subarray(0, n);
      for (let k = 0; k < n; k++) keys[k] = at[k]! * 4096 + k;
      keys.sort();
      for (let k = 0; k < n; k++) ord[k] = keys[k]! % 4096;
    }
    for (let i = 1; i < n; i++) {
      const k = ord[i]!;
      const kAt = at[k]!;
      const kId = events[idx[k]!]!.id;
      let j = i - 1;
      while (j >= 0) {
        const o = ord[j]!;
        const oAt = at[o]!;
        if (oAt < kAt || (oAt === kAt && events[idx[o]!]!.id <= kId)) break;
        ord[j + 1] = o;
        j--;
      }
      ord[j + 1] = k;
    }
  }

  private idTable = new Int32Array(128);

  /** Open-addressing table over a cheap string hash: a Set here costs more than the rest of the scan. */
  private hasDuplicateIds(events: readonly LoanEvent[], n: number): boolean {
    let cap = this.idTable.length;
    while (cap < 2 * n) cap *= 2;
    if (cap > this.idTable.length) this.idTable = new Int32Array(cap);
    const table = this.idTable;
    table.fill(0, 0, cap);
    const mask = cap - 1;
    const idx = this.vIdx.a;
    for (let i = 0; i < n; i++) {
      const id = events[idx[i]!]!.id;
      let h = hashId(id) & mask;
      for (let slot = table[h]!; slot !== 0; slot = table[h]!) {
        if (events[idx[slot - 1]!]!.id === id) return true;
        h = (h + 1) & mask;
      }
      table[h] = i + 1;
    }
    return false;
  }

  /** Rare path: keep, per id, the first-recorded version (then earliest, then by content). */
  private dropDuplicates(events: readonly LoanEvent[]): void {
    const n = this.vIdx.n;
    const best = new Map<string, number>();
    const idx = this.vIdx.a;
    const better = (a: number, b: number): boolean => {
      const ra = this.vRec.a[a]!;
      const rb = this.vRec.a[b]!;
      if (ra !== rb) return ra < rb;
      const aa = this.vAt.a[a]!;
      const ab = this.vAt.a[b]!;
      if (aa !== ab) return aa < ab;
      return JSON.stringify(events[idx[a]!]) < JSON.stringify(events[idx[b]!]);
    };
    for (let k = 0; k < n; k++) {
      const id = events[idx[k]!]!.id;
      const prev = best.get(id);
      if (prev === undefined || better(k, prev)) best.set(id, k);
    }
    // Keep winners, then restore (at, id) order among them.
    const kept: number[] = [];
    for (let k = 0; k < n; k++) if (best.get(events[idx[k]!]!.id) === k) kept.push(k);
    kept.sort((a, b) => {
      const d = this.vAt.a[a]! - this.vAt.a[b]!;
      if (d !== 0) return d;
      const x = events[idx[a]!]!.id;
      const y = events[idx[b]!]!.id;
      return x < y ? -1 : x > y ? 1 : 0;
    });
    for (let k = 0; k < kept.length; k++) this.ord[k] = kept[k]!;
    this.vIdx.n = kept.length;
  }

  /** The time-ordered walk over collected (sorted, deduplicated) events. */
  private walkEvents(events: readonly LoanEvent[], zone: string): void {
    const n = this.vIdx.n;
    const ord = this.ord;
    for (let k = 0; k < n; k++) {
      const v = ord[k]!;
      this.visit(events[this.vIdx.a[v]!]!, localDayOf(this.vAt.a[v]!, zone));
    }
  }

  /**
   * The fast path: visit events in input order while checking that the input is in (at, id) order
   * without duplicate ids; false (and a half-done walk to discard) as soon as it is not.
   */
  private walkInInputOrder(events: readonly LoanEvent[], asOf: number, zone: string): boolean {
    const m = events.length;
    let cap = this.idTable.length;
    while (cap < 2 * m) cap *= 2;
    if (cap > this.idTable.length) this.idTable = new Int32Array(cap);
    const table = this.idTable;
    table.fill(0, 0, cap);
    const mask = cap - 1;
    let prevAt = -Infinity;
    let prevId = '';
    // Most loans live in a zone with a constant offset: then a local day is one division.
    const fixed = fixedOffsetMinutes(zone);
    const offsetMs = fixed === undefined ? 0 : fixed * 60_000;
    for (let i = 0; i < m; i++) {
      const e = events[i]!;
      const at = parseInstant(e.at);
      if (at > asOf) continue;
      if (e.recordedAt !== undefined && parseInstant(e.recordedAt) > asOf) continue;
      const id = e.id;
      if (at < prevAt || (at === prevAt && id <= prevId)) return false;
      let h = hashId(id) & mask;
      for (let slot = table[h]!; slot !== 0; slot = table[h]!) {
        if (events[slot - 1]!.id === id) return false;
        h = (h + 1) & mask;
      }
      table[h] = i + 1;
      prevAt = at;
      prevId = id;
      this.visit(e, fixed !== undefined && at >= FIXED_OFFSETS_FROM_MS ? Math.floor((at + offsetMs) / DAY_MS) : localDayOf(at, zone));
    }
    return true;
  }

  /** One event, in time order: every order-dependent fact and every windowed count. */
  private visit(e: LoanEvent, day: number): void {
    const { from7, from30, from60, from90 } = this;
    switch (e.type) {
      case 'payment':
        this.flowDay.push(day);
        this.flowAmt.push(e.amount);
        this.payDay.push(day);
        this.payAmt.push(e.amount);
        this.lastPaymentDay = day;
        if (day > from30) this.payments30++;
        break;
      case 'payment_reversal':
        this.flowDay.push(day);
        this.flowAmt.push(-e.amount);
        break;
      case 'statement': {
        const reported = e.reportedDpd ?? (e.monthsLate === undefined ? -1 : e.monthsLate * DAYS_PER_REPORTED_MONTH);
        this.stDay.push(day);
        this.stDpd.push(reported);
        this.stBal.push(e.balance);
        this.stLimit.push(e.creditLimit ?? Number.NaN);
        this.stDelinquent.push(reported > 0 || e.status === 'delinquent' ? 1 : 0);
        this.stStatus.push(statusCode(e.status, reported));
        break;
      }
      case 'contact':
        if (e.thirdParty !== true) this.countContact(e.channel, e.direction, e.outcome, day, from7, from30);
        break;
      case 'opt_out':
        this.optOuts++;
        break;
      case 'promise_to_pay':
        this.ptpDay.push(day);
        this.ptpDue.push(dateDay(e.promisedDate));
        this.ptpAmt.push(e.amount);
        if (day > from60) this.ptpMade60++;
        break;
      case 'hardship_reported':
        this.hardshipEver++;
        if (day > from90) this.hardship90[HARDSHIP_INDEX[e.reason]!]!++;
        break;
      case 'arrangement_offered':
        if (day > from90) this.arrangementsOffered90++;
        break;
      case 'arrangement_agreed': {
        this.arrangementsAgreed++;
        const to = e.kind === 'grace' ? (e.graceUntil === undefined ? day : dateDay(e.graceUntil)) : planEnd(e.plan, day);
        const at = this.agrIds.indexOf(e.arrangementId);
        // A later agreement under the same id replaces the earlier one (as in the ledger).
        if (at >= 0) {
          this.agrKind.a[at] = e.kind === 'grace' ? 1 : 2;
          this.agrFrom.a[at] = day;
          this.agrTo.a[at] = to;
        } else {
          this.agrIds.push(e.arrangementId);
          this.agrKind.push(e.kind === 'grace' ? 1 : 2);
          this.agrFrom.push(day);
          this.agrTo.push(to);
        }
        break;
      }
      case 'arrangement_broken':
        if (day > from90) this.arrangementsBroken90++;
        if (!this.brkIds.includes(e.arrangementId)) {
          this.brkIds.push(e.arrangementId);
          this.brkDay.push(day);
        }
        break;
      case 'contact_details_changed':
        if (day > from90) this.detailsChanged90[DETAIL_INDEX[e.field]!]!++;
        if (e.field === 'phone' && day - this.originationDay <= 30) this.phoneChangedEarly = 1;
        break;
      case 'employment_changed':
        if (day > from90) this.employmentChanged90++;
        break;
      case 'legal_referral':
        this.referred = 1;
        break;
      case 'closed':
        if (this.closedDay < 0) {
          this.closedDay = day;
          this.closedReason = e.reason;
        }
        break;
    }
  }

  private countContact(channel: string, direction: string, outcome: string, day: number, from7: number, from30: number): void {
    const in30 = day > from30;
    const in7 = day > from7;
    if (in30) {
      if (outcome === 'refused') this.refusals30++;
      else if (outcome === 'switched_off') this.switchedOff30++;
      else if (outcome === 'wrong_number') this.wrongNumber30++;
    }
    if (direction === 'inbound') {
      if (in30) this.inbound30++;
      this.unansweredStreak = 0;
      this.lastReachedDay = day;
      return;
    }
    if (channel === 'sms') {
      if (in30) this.sms30++;
      return;
    }
    if (channel !== 'call' && channel !== 'robocall' && channel !== 'visit') return;
    const reached = outcome === 'answered' || outcome === 'refused';
    if (in30) {
      this.attempts30++;
      if (reached) this.reached30++;
    }
    if (in7) {
      this.attempts7++;
      if (reached) this.reached7++;
    }
    if (reached) {
      this.unansweredStreak = 0;
      this.lastReachedDay = day;
    } else if (outcome !== 'delivered') {
      this.unansweredStreak++;
    }
  }

  /** Pause intervals (grace or plan) ended early by a break; merged for day counting. */
  private buildPauses(): void {
    const m = this.agrIds.length;
    this.pauseN = 0;
    this.activePauseKind = 0;
    if (m === 0) return;
    const items: Array<{ id: string; kind: number; from: number; to: number }> = [];
    for (let i = 0; i < m; i++) {
      const id = this.agrIds[i]!;
      const b = this.brkIds.indexOf(id);
      const brokeDay = b >= 0 ? this.brkDay.a[b]! : Number.POSITIVE_INFINITY;
      const to = brokeDay <= this.agrTo.a[i]! ? brokeDay - 1 : this.agrTo.a[i]!;
      items.push({ id, kind: this.agrKind.a[i]!, from: this.agrFrom.a[i]!, to });
    }
    items.sort((a, b) => a.from - b.from || (a.id < b.id ? -1 : 1));
    const active = items.find((p) => p.from <= this.asOfDay && this.asOfDay <= p.to);
    this.activePauseKind = active === undefined ? 0 : active.kind;
    if (this.pauseFrom.length < m) {
      this.pauseFrom = new Int32Array(m * 2);
      this.pauseTo = new Int32Array(m * 2);
    }
    let n = 0;
    for (const p of items) {
      if (p.to < p.from) continue;
      if (n > 0 && p.from <= this.pauseTo[n - 1]! + 1) this.pauseTo[n - 1] = Math.max(this.pauseTo[n - 1]!, p.to);
      else {
        this.pauseFrom[n] = p.from;
        this.pauseTo[n] = p.to;
        n++;
      }
    }
    this.pauseN = n;
  }

  /** Paused days in (from, to]. */
  pausedDays(from: number, to: number): number {
    if (this.pauseN === 0) return 0;
    let total = 0;
    for (let i = 0; i < this.pauseN; i++) {
      const lo = Math.max(this.pauseFrom[i]!, from + 1);
      const hi = Math.min(this.pauseTo[i]!, to);
      if (hi >= lo) total += hi - lo + 1;
    }
    return total;
  }

  /** Cash settles instalments oldest first (cumulative, as buildLedger does); then lateness and DPD. */
  private allocate(history: LoanHistory): void {
    const schedule = history.schedule;
    const n = schedule.length;
    const asOfDay = this.asOfDay;
    if (this.sDue.length < n) {
      const c = n * 2;
      this.sDue = new Int32Array(c);
      this.sAmt = new Float64Array(c);
      this.sPrin = new Float64Array(c);
      this.sCum = new Float64Array(c);
      this.sOff = new Int32Array(c);
      this.sOrd = new Int32Array(c);
      this.sAtDue = new Float64Array(c);
    }
    const due = this.sDue;
    const amt = this.sAmt;
    const prin = this.sPrin;
    const cumDue = this.sCum;
    const off = this.sOff;
    const atDueCash = this.sAtDue;
    // Order by (dueDay, seq); schedules almost always arrive in order.
    const ord = this.sOrd;
    let inOrder = true;
    let prevDue = -Infinity;
    let prevSeq = 0;
    for (let i = 0; i < n; i++) {
      const s = schedule[i]!;
      const d = dateDay(s.dueDate);
      if (d < prevDue || (d === prevDue && s.seq < prevSeq)) inOrder = false;
      prevDue = d;
      prevSeq = s.seq;
      due[i] = d;
      ord[i] = i;
    }
    if (!inOrder) {
      const days = Array.from(due.subarray(0, n));
      const idx = Array.from({ length: n }, (_, i) => i);
      idx.sort((x, y) => days[x]! - days[y]! || schedule[x]!.seq - schedule[y]!.seq);
      for (let i = 0; i < n; i++) {
        ord[i] = idx[i]!;
        due[i] = days[idx[i]!]!;
      }
    }
    let allPrincipal = n > 0;
    let running = 0;
    let totalPrincipal = 0;
    for (let i = 0; i < n; i++) {
      const s = schedule[ord[i]!]!;
      amt[i] = s.amountDue;
      if (s.principalDue === undefined) allPrincipal = false;
      prin[i] = s.principalDue ?? 0;
      totalPrincipal += prin[i]!;
      running += s.amountDue;
      cumDue[i] = running;
      off[i] = -1;
    }
    this.instalmentCount = n;
    this.totalScheduled = running;
    this.lastDueDay = n > 0 ? due[n - 1]! : -1;

    // Walk cash flows; also note cash received by each due date (for on-time coverage).
    const fd = this.flowDay.a;
    const fa = this.flowAmt.a;
    const nf = this.flowDay.n;
    let cum = 0;
    let p = 0;
    for (let f = 0; f < nf; f++) {
      cum += fa[f]!;
      while (p < n && cum >= cumDue[p]! - PAID_TOLERANCE - EPS) off[p++] = fd[f]!;
      while (p > 0 && cum < cumDue[p - 1]! - PAID_TOLERANCE - EPS) off[--p] = -1;
    }
    this.cash = cum;

    let overdue = 0;
    let dueCount = 0;
    let totalDue = 0;
    let oldestUnpaid = -1;
    let lastFullyPaid = -1;
    let unpaid = 0;
    let nextDue = -1;
    let paidPrincipal = 0;
    // Lateness of due instalments, newest last, for the performance windows.
    const late = (this.tmp = ensureF64(this.tmp, n));
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
      if (allPrincipal) paidPrincipal += amt[i]! > 0 ? (prin[i]! * paid) / amt[i]! : 0;
      if (d > asOfDay) continue;
      dueCount++;
      totalDue += amt[i]!;
      let daysLate: number;
      if (o < 0) {
        overdue++;
        if (oldestUnpaid < 0) oldestUnpaid = d;
        daysLate = asOfDay - d - this.pausedDays(d, asOfDay);
      } else {
        daysLate = o > d ? o - d - this.pausedDays(d, o) : o - d;
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
      if (i === 0) this.firstPaymentMissed = (o < 0 && asOfDay > d) || daysLate > 30 ? 1 : 0;
    }
    if (dueCount === 0) this.firstPaymentMissed = 0;

    this.instalmentsDue = dueCount;
    this.instalmentsOverdue = overdue;
    // As the ledger: from cumulative cash, so a reversal beyond earlier payments still shows as owed.
    this.overdueAmount = overdue === 0 ? 0 : totalDue - cum;
    this.totalDue = totalDue;
    this.lastFullyPaidDay = lastFullyPaid;
    this.instalmentsUnpaid = unpaid;
    this.nextDueInDays = nextDue;
    if (n === 0) this.principalOutstandingRatio = -1;
    else if (allPrincipal) this.principalOutstandingRatio = totalPrincipal > 0 ? Math.max(0, totalPrincipal - paidPrincipal) / totalPrincipal : 0;
    else this.principalOutstandingRatio = Math.max(0, running - Math.min(Math.max(cum, 0), running)) / running;

    this.scheduleDpd = oldestUnpaid < 0 ? 0 : Math.max(0, asOfDay - oldestUnpaid - this.pausedDays(oldestUnpaid, asOfDay));
    const ns = this.stDay.n;
    this.statementDpd = this.lastReportedStatementDpd(asOfDay);
    this.dpd = this.closedDay >= 0 && this.closedReason !== 'written_off' ? 0 : Math.max(this.scheduleDpd, this.statementDpd);
    for (let s = 0; s < ns; s++) {
      const v = this.stDpd.a[s]!;
      if (v > worstEver) worstEver = v;
      if (this.stDay.a[s]! >= from90 && v > worst90) worst90 = v;
    }
    this.worstDpdEver = Math.max(worstEver, this.dpd);
    this.worstDpd90 = Math.max(worst90, this.dpd);

    // Performance windows over the last k due instalments: one pass back from the newest, with a
    // snapshot of the running counts as it passes 3, 6 and 12 instalments (or runs out).
    let l0 = 0;
    let l7 = 0;
    let l30 = 0;
    let part = 0;
    let covered = 0;
    let owed = 0;
    let w = 0;
    for (let j = dueCount - 1, seen = 1; w < PERF_WINDOWS.length; j--, seen++) {
      if (j >= 0) {
        const dl = late[j]!;
        if (dl > 0) l0++;
        if (dl > 7) l7++;
        if (dl > 30) l30++;
        const atDue = atDueCash[j]!;
        const a = amt[j]!;
        const settled = atDue >= a - PAID_TOLERANCE - EPS;
        if (atDue > EPS && !settled) part++;
        covered += settled ? a : atDue;
        owed += a;
      }
      while (w < PERF_WINDOWS.length && (seen === PERF_WINDOWS[w] || j <= 0)) {
        this.late0[w] = l0;
        this.late7[w] = l7;
        this.late30[w] = l30;
        this.partial[w] = part;
        this.paidAtDueRatio[w] = owed > 0 ? covered / owed : 1;
        w++;
      }
    }
    const k6 = Math.min(6, dueCount);
    let sum = 0;
    for (let j = dueCount - k6; j < dueCount; j++) sum += late[j]!;
    this.daysLateMean6 = k6 > 0 ? sum / k6 : 0;
    this.daysLateTrend6 = slope(late, dueCount - k6, k6);
  }

  /** The ledger's statement DPD: the last statement that reports a figure, aged to asOf when positive. */
  private lastReportedStatementDpd(asOfDay: number): number {
    for (let s = this.stDay.n - 1; s >= 0; s--) {
      const v = this.stDpd.a[s]!;
      if (v < 0) continue;
      if (v === 0) return 0;
      const day = this.stDay.a[s]!;
      return v + Math.max(0, asOfDay - day - this.pausedDays(day, asOfDay));
    }
    return 0;
  }

  get payPeriodsPerMonth(): number {
    const f = this.history.borrower.payFrequency;
    return f === undefined ? -1 : (PAY_PERIODS_PER_MONTH[f] ?? -1);
  }

  get paymentsCount(): number {
    return this.payDay.n;
  }
}

/** FNV-1a over the id's last (up to) 12 characters, where ids of one loan usually differ, and its length. */
function hashId(id: string): number {
  const len = id.length;
  let h = 0x811c9dc5 ^ len;
  for (let i = len > 12 ? len - 12 : 0; i < len; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h ^ (h >>> 15)) >>> 0;
}

function planEnd(plan: ReadonlyArray<{ dueDate: string }> | undefined, from: number): number {
  let last = from;
  for (const p of plan ?? []) last = Math.max(last, dateDay(p.dueDate));
  return last;
}

/** -2 no balance, -1 paid in full, 0 revolving (minimum paid) or on time, n = months late. */
function statusCode(status: string | undefined, reportedDpd: number): number {
  if (status === 'no_balance') return -2;
  if (status === 'paid_in_full') return -1;
  return reportedDpd > 0 ? Math.round(reportedDpd / DAYS_PER_REPORTED_MONTH) : status === 'delinquent' ? 1 : 0;
}
