// The shared fast pass behind every feature: the state of one loan's scan and the order of its
// passes. The walk over the events (event-walk.ts, event-facts.ts) fills typed accumulators without
// allocating per event, because feature time must stay within 2x of merely reading the events; then
// the schedule (schedule-ledger.ts, ledger semantics, parity-tested against buildLedger) and small
// post-passes (promises, statements, payday). Features are thin readers of the facts kept here.
import { localDayOf } from '../history/calendar.js';
import { CONTACT_DETAILS, HARDSHIP_REASONS, type LoanHistory } from '../history/schema.js';
import { dateDay } from './days.js';
import { EventWalk } from './event-walk.js';
import { Pauses } from './pauses.js';
import { summarisePayday } from './payday-facts.js';
import { resolvePromises } from './promise-facts.js';
import { ScheduleScratch, walkSchedule } from './schedule-ledger.js';
import { F64, I32 } from './scratch.js';
import { summariseStatementDetail } from './statement-detail-facts.js';
import { summariseStatements } from './statement-facts.js';

export { PERF_WINDOWS } from './performance-windows.js';

/** Days since an event that never happened. */
export const NEVER = 999;

const PAY_PERIODS_PER_MONTH: Readonly<Record<string, number>> = { monthly: 1, semi_monthly: 2, weekly: 52 / 12, daily: 30 };

export class LoanScan {
  history!: LoanHistory;
  asOf = 0;
  asOfDay = 0;
  originationDay = 0;
  maxOverdueDays = 90;
  /** Window starts: a day d is in the last N days when d > fromN. */
  from7 = 0;
  from30 = 0;
  from60 = 0;
  from90 = 0;
  private readonly walk = new EventWalk();
  private lastAsOf = Number.NaN;
  private lastZone = '';
  private lastAsOfDay = 0;

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
  /** Payments (+) and reversals (-) in time order: the ledger's cash flows. */
  readonly flowDay = new I32();
  readonly flowAmt = new F64();
  readonly payDay = new I32();
  readonly payAmt = new F64();
  lastPaymentDay = -1;
  /** The last visible payment's instant (epoch ms), NaN when none. */
  lastPaymentAt = Number.NaN;
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
  /** Every visible contact, third parties included (the legal review's evidence counts them all). */
  outboundContacts = 0;
  answeredContacts = 0;
  refusedContacts = 0;

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
  readonly pauses = new Pauses();
  arrangementsBroken90 = 0;
  arrangementsAgreed = 0;
  arrangementsOffered90 = 0;
  arrangementsOffered = 0;
  arrangementsBroken = 0;

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

  readonly schedule = new ScheduleScratch();

  /** Whether every pass of run() finished for `history` (a pass that throws leaves facts half made). */
  private complete = false;

  run(history: LoanHistory, asOf: number): this {
    this.complete = false;
    this.history = history;
    this.asOf = asOf;
    const zone = history.timeZone;
    // A batch shares asOf and, mostly, the zone.
    if (asOf !== this.lastAsOf || zone !== this.lastZone) {
      this.lastAsOf = asOf;
      this.lastZone = zone;
      this.lastAsOfDay = localDayOf(asOf, zone);
    }
    this.asOfDay = this.lastAsOfDay;
    this.originationDay = dateDay(history.contract.originationDate);
    this.maxOverdueDays = history.contract.maxOverdueDays;
    this.from7 = this.asOfDay - 7;
    this.from30 = this.asOfDay - 30;
    this.from60 = this.asOfDay - 60;
    this.from90 = this.asOfDay - 90;
    this.reset();
    if (!this.walk.inInputOrder(this, history.events, asOf, zone)) {
      this.reset();
      this.walk.sorted(this, history.events, asOf, zone);
    }
    this.pauses.build(this.asOfDay);
    walkSchedule(this, history);
    resolvePromises(this);
    summariseStatements(this, history.contract.creditLimit);
    summariseStatementDetail(this);
    summarisePayday(this, history.borrower.payFrequency, history.borrower.payday);
    this.complete = true;
    return this;
  }

  /** Whether the facts held now are those of this very history object as of asOf. */
  holds(history: LoanHistory, asOf: number): boolean {
    return this.complete && this.history === history && this.asOf === asOf;
  }

  /** Zeroes every fact the event walk accumulates. */
  private reset(): void {
    this.flowDay.n = this.flowAmt.n = this.payDay.n = this.payAmt.n = 0;
    this.ptpDay.n = this.ptpDue.n = this.ptpAmt.n = 0;
    this.stDay.n = this.stDpd.n = this.stBal.n = this.stLimit.n = this.stDelinquent.n = this.stStatus.n = 0;
    this.pauses.reset();
    this.closedDay = -1;
    this.closedReason = '';
    this.lastPaymentDay = -1;
    this.lastPaymentAt = Number.NaN;
    this.payments30 = 0;
    this.attempts7 = this.attempts30 = this.reached7 = this.reached30 = 0;
    this.unansweredStreak = this.refusals30 = this.switchedOff30 = this.wrongNumber30 = 0;
    this.inbound30 = this.sms30 = this.optOuts = this.ptpMade60 = 0;
    this.lastReachedDay = -1;
    this.outboundContacts = this.answeredContacts = this.refusedContacts = 0;
    // Loops: a fill() call costs more than these few stores.
    for (let i = 0; i < this.hardship90.length; i++) this.hardship90[i] = 0;
    this.hardshipEver = 0;
    this.arrangementsBroken90 = this.arrangementsAgreed = this.arrangementsOffered90 = 0;
    this.arrangementsOffered = this.arrangementsBroken = 0;
    for (let i = 0; i < this.detailsChanged90.length; i++) this.detailsChanged90[i] = 0;
    this.phoneChangedEarly = this.employmentChanged90 = this.referred = 0;
  }

  /** 0 none, 1 grace, 2 plan: the arrangement in force at asOf. */
  get activePauseKind(): number {
    return this.pauses.activeKind;
  }

  get payPeriodsPerMonth(): number {
    const f = this.history.borrower.payFrequency;
    return f === undefined ? -1 : (PAY_PERIODS_PER_MONTH[f] ?? -1);
  }

  get paymentsCount(): number {
    return this.payDay.n;
  }
}
