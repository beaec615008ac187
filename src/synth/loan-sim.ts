// One loan, simulated a day at a time: the borrower's cash process and willingness, the lender's
// baseline collection ladder, and referral to legal exactly when a DOMAIN.md referral condition holds.
// The same step runs in record mode (emitting events) and in Monte Carlo mode (no events), so the
// ground truth is the generator's own model re-run from the snapshot's full latent state.
import { dayToDate } from '../domain/history/calendar.js';
import type { HardshipReason } from '../domain/history/schema.js';
import type { Rng } from './rng.js';
import { nextLunarNewYear } from './seasons.js';
import { SLOT, type EventBody, type SimEvent } from './sim-events.js';
import { DAY_ARREARS_START, DAY_FESTIVAL_PLAN, DAY_PAYDAY, DAY_WINTER, dayFlagsOf, round2, type LoanTerms } from './terms.js';

/** A shortfall of at most this counts as paid (the ledger's tolerance). */
const TOLERANCE = 1;
const EPS = 1e-6;

export type ReferralReason = 'max_overdue' | 'refused_contact' | 'unreasonable_plan' | 'broken_arrangement' | 'fraud';
export const REFUSALS_BEFORE_REFERRAL = 3;
export const ATTEMPTS_BEFORE_REFUSAL_REFERRAL = 6;
export const FRAUD_PHONE_CHANGE_WINDOW_DAYS = 60;
export const FRAUD_MIN_DPD = 10;
export const FRAUD_MIN_DEAD_LINES = 2;
/** A borrower's plan longer than this many monthly parts is clearly unreasonable. */
export const MAX_REASONABLE_PLAN_PARTS = 6;
/** Scales the occupation job-loss hazards to hit the portfolio targets (docs/generator.md, calibration). */
const JOB_LOSS_CALIBRATION = 1.9;
const EMERGENCY_PER_DAY = 0.04 / 365;
const PHONE_CHANGE_PER_DAY = 0.05 / 365;

interface Arrangement {
  readonly id: string;
  readonly kind: 'grace' | 'plan';
  readonly fromDay: number;
  readonly graceUntil: number;
  readonly planDays: readonly number[];
  /** Cumulative plan amounts (cash needed since agreement by each plan day). */
  readonly planCum: readonly number[];
  readonly paidAtStart: number;
}

export type Status = 'active' | 'closed' | 'referred';

export class LoanSim {
  readonly t: LoanTerms;
  day: number;
  status: Status = 'active';
  referral: ReferralReason | null = null;
  /** End-of-day DPD (ledger definition), and the worst seen. */
  dpd = 0;
  maxDpd = 0;
  cash: number;
  cumPaid = 0;
  /** Index of the oldest instalment not fully paid. */
  oldest = 0;
  willingness: number;
  tenureDays: number;
  workedDays = 0;
  unemployedUntil = -1;
  illUntil = -1;
  emergencyUntil = -1;
  festivalFrom = -1;
  festivalUntil = -1;
  arrearsUntil = -1;
  arrearsRecovery = 1;
  withheld = 0;
  boostUntil = -1;
  ptpDay = -1;
  arrangement: Arrangement | null = null;
  arrangementsUsed = 0;
  brokenToday = false;
  unreasonableToday = false;
  /** Pause intervals as flat [from, to, from, to, ...] (the ledger's pause rule). */
  pauses: number[] = [];
  refused = 0;
  attempts = 0;
  deadLines = 0;
  hardshipReported = false;
  phoneChangedDay = -1;
  optedOutRobocall = false;
  reversalDay = -1;
  reversalAmount = 0;
  nextId = 0;
  events: SimEvent[] | null;

  private constructor(terms: LoanTerms, record: boolean, cash: number) {
    this.t = terms;
    this.day = terms.originationDay;
    const b = terms.borrower;
    this.willingness = b.willingness;
    this.tenureDays = b.tenureMonths * 30;
    this.cash = cash;
    this.events = record ? [] : null;
  }

  /** A loan on its origination day; `record` keeps the events it emits. */
  static start(terms: LoanTerms, record: boolean, rng: Rng): LoanSim {
    return new LoanSim(terms, record, rng.uniform(0.1, 0.8) * terms.borrower.monthlyIncome * 0.6);
  }

  /** A copy of the dynamic state, for Monte Carlo paths from a snapshot (no event recording). */
  fork(): LoanSim {
    // Built by the constructor so that every LoanSim shares one hidden class (Object.create was 3x slower).
    const c = new LoanSim(this.t, false, this.cash);
    Object.assign(c, this);
    c.pauses = this.pauses.slice();
    c.events = null;
    return c;
  }

  private cap(): number {
    return this.t.borrower.monthlyIncome * 0.6;
  }

  private emit(minute: number, body: EventBody, delayMin = 0): void {
    if (this.events !== null) this.events.push({ day: this.day, minute, delayMin, body });
  }

  /** Cash due through today (instalments due on or before `day`). */
  private dueThrough(day: number): number {
    const { dueDays, cumDue } = this.t;
    let i = this.oldest;
    while (i < dueDays.length && dueDays[i]! <= day) i++;
    return i === 0 ? 0 : cumDue[i - 1]!;
  }

  private settle(): void {
    const { cumDue } = this.t;
    while (this.oldest < cumDue.length && this.cumPaid >= cumDue[this.oldest]! - TOLERANCE - EPS) this.oldest++;
    while (this.oldest > 0 && this.cumPaid < cumDue[this.oldest - 1]! - TOLERANCE - EPS) this.oldest--;
  }

  private pausedDays(from: number, to: number): number {
    let total = 0;
    const p = this.pauses;
    // Pauses never overlap here (one arrangement at a time), so a plain sum is the union.
    for (let i = 0; i < p.length; i += 2) {
      const lo = Math.max(p[i]!, from + 1);
      const hi = Math.min(p[i + 1]!, to);
      if (hi >= lo) total += hi - lo + 1;
    }
    return total;
  }

  /** DPD as the ledger computes it at the end of `day`. */
  dpdOn(day: number): number {
    const { dueDays } = this.t;
    if (this.oldest >= dueDays.length) return 0;
    const due = dueDays[this.oldest]!;
    if (due > day) return 0;
    return Math.max(0, day - due - this.pausedDays(due, day));
  }

  private hardship(): HardshipReason | null {
    const d = this.day;
    if (this.unemployedUntil >= d) return 'job_loss';
    if (this.illUntil >= d) return 'illness_injury';
    if (this.arrearsUntil >= d) return 'wage_arrears';
    if (this.festivalUntil >= d && this.festivalFrom <= d) return 'seasonal_gap';
    if (this.t.borrower.profile.winterIdle && (dayFlagsOf(this.t, d) & DAY_WINTER) !== 0) return 'seasonal_gap';
    if (this.emergencyUntil >= d) return 'family_emergency';
    return null;
  }

  private hardshipEnds(): number {
    const d = this.day;
    let end = d;
    for (const until of [this.unemployedUntil, this.illUntil, this.arrearsUntil, this.festivalUntil, this.emergencyUntil]) if (until >= d && until > end) end = until;
    return end;
  }

  /** One day: cash and shocks, lender contact, borrower payments, arrangement checks, referral. */
  step(rng: Rng): void {
    this.day++;
    this.brokenToday = false;
    this.unreasonableToday = false;
    this.cashProcess(rng);
    this.reversals();
    this.checkArrangement();
    if (this.status !== 'active') return;
    this.collect(rng);
    if (this.status !== 'active') return;
    this.pay(rng);
    this.dpd = this.dpdOn(this.day);
    if (this.dpd > this.maxDpd) this.maxDpd = this.dpd;
    if (this.status === 'active') this.refer();
  }

  // ---- borrower: income, shocks, living costs ----

  private cashProcess(rng: Rng): void {
    const d = this.day;
    const t = this.t;
    const b = t.borrower;
    const p = b.profile;
    const flags = dayFlagsOf(t, d);

    // Shocks: daily hazards, competing for one uniform draw (one draw a day keeps the step cheap).
    const employed = this.unemployedUntil < d;
    if (employed) this.tenureDays++;
    const hJob = employed ? (p.jobLossPerYear * JOB_LOSS_CALIBRATION / 365) * (this.tenureDays < 180 ? 1.6 : this.tenureDays < 720 ? 1 : 0.6) : 0;
    const hIll = this.illUntil < d ? p.injuryPerYear / 365 : 0;
    const hEmergency = this.emergencyUntil < d ? EMERGENCY_PER_DAY : 0;
    const hPhone = b.fraud ? 0 : PHONE_CHANGE_PER_DAY;
    const u = rng.next();
    if (u < hJob) this.loseJob(rng, d);
    else if (u < hJob + hIll) {
      this.illUntil = d + Math.round(rng.logNormal(14, 0.6));
      this.cash -= rng.uniform(500, 4000);
    } else if (u < hJob + hIll + hEmergency) {
      this.emergencyUntil = d + 30;
      this.cash -= rng.uniform(1000, 5000);
    } else if (u < hJob + hIll + hEmergency + hPhone) this.changePhone(d);
    if (this.phoneChangedDay < 0 && t.fraudPhoneChangeDay === d) this.changePhone(d);

    // Seasons: the Spring Festival trip home, year-end wage arrears.
    if ((flags & DAY_FESTIVAL_PLAN) !== 0) {
      const lny = d + 20;
      if (b.migrant) {
        this.festivalFrom = lny - 14 + rng.int(-5, 5);
        this.festivalUntil = lny + 21 + rng.int(-5, 10);
      } else {
        this.festivalFrom = lny - 7;
        this.festivalUntil = lny + 3;
      }
    }
    if (d === this.festivalFrom) this.cash -= b.migrant ? rng.uniform(800, 2500) : rng.uniform(300, 1000);
    if (d === this.festivalUntil + 1 && b.migrant && rng.chance(0.15)) this.loseJob(rng, d);
    if ((flags & DAY_ARREARS_START) !== 0 && rng.chance(p.yearEndArrears)) {
      const lny = nextLunarNewYear(t.seasons, d);
      const paidBeforeFestival = rng.chance(0.7);
      this.arrearsUntil = paidBeforeFestival ? lny - 10 : lny + 45;
      this.arrearsRecovery = paidBeforeFestival ? 1 : 0.6;
    }
    if (d === this.arrearsUntil + 1 && this.withheld > 0) {
      this.cash += this.withheld * this.arrearsRecovery;
      this.withheld = 0;
    }

    // Work today, living costs on days without work, pay on paydays.
    const away = this.festivalFrom <= d && d <= this.festivalUntil;
    const working = this.unemployedUntil < d && this.illUntil < d && !away;
    let work = working ? 1 : 0;
    if (working && p.winterIdle && (flags & DAY_WINTER) !== 0) work = 0.35;
    this.workedDays += work;
    // Without work, part of the living costs comes out of savings (less when home for the festival).
    if (work < 1) this.cash -= ((1 - work) * b.monthlyIncome * (1 - b.slack) * (away ? 0.15 : 0.3)) / 30;
    if ((flags & DAY_PAYDAY) !== 0) {
      const expected = (b.monthlyIncome * this.workedDays) / 30.4;
      this.workedDays = 0;
      if (expected > 0) {
        const v = p.volatility;
        const pay = expected * Math.exp(v * rng.normal() - (v * v) / 2);
        if (this.arrearsUntil >= d) this.withheld += pay * b.slack;
        else this.cash += pay * b.slack;
      }
    }
    // Money above a small buffer gets spent.
    const cap = this.cap();
    if (this.cash > cap) this.cash -= (this.cash - cap) * 0.03;
    const floor = -b.monthlyIncome;
    if (this.cash < floor) this.cash = floor;
  }

  private loseJob(rng: Rng, d: number): void {
    this.unemployedUntil = d + Math.max(3, Math.round(rng.logNormal(this.t.borrower.profile.medianJobSearchDays, 0.7)));
    this.tenureDays = 0;
    this.willingness = Math.max(0.02, this.willingness - 0.05);
    // Some tell the lender through the app, days later.
    if (rng.chance(0.25)) this.emit(SLOT.morning + rng.int(0, 600), { type: 'employment_changed', change: 'job_loss' }, rng.int(1, 5) * 1440);
  }

  private changePhone(d: number): void {
    this.phoneChangedDay = d;
    this.emit(SLOT.overnight + 420, { type: 'contact_details_changed', field: 'phone' });
  }

  private reversals(): void {
    if (this.reversalDay !== this.day) return;
    this.cumPaid = round2(this.cumPaid - this.reversalAmount);
    this.cash += this.reversalAmount;
    this.settle();
    this.emit(SLOT.overnight, { type: 'payment_reversal', amount: this.reversalAmount });
    this.reversalDay = -1;
  }

  // ---- arrangements: kept or broken ----

  private checkArrangement(): void {
    const a = this.arrangement;
    if (a === null) return;
    const d = this.day;
    const paidSince = this.cumPaid - a.paidAtStart;
    let broken = false;
    let done = false;
    if (a.kind === 'grace') {
      // Kept when what was overdue at agreement is paid by the grace date.
      if (this.dueThrough(a.fromDay - 1) - this.cumPaid <= TOLERANCE + EPS) done = true;
      else if (d > a.graceUntil) broken = true;
    } else {
      for (let j = 0; j < a.planDays.length; j++) {
        // Three days' leeway on each plan payment.
        if (d > a.planDays[j]! + 3 && paidSince < a.planCum[j]! - TOLERANCE - EPS) broken = true;
      }
      if (!broken && d > a.planDays[a.planDays.length - 1]! + 3) done = true;
    }
    if (broken) {
      this.emit(SLOT.morning, { type: 'arrangement_broken', arrangementId: a.id });
      // The ledger ends a broken pause the day before the break.
      const last = this.pauses.length - 1;
      this.pauses[last] = Math.min(this.pauses[last]!, d - 1);
      this.arrangement = null;
      // A broken repayment plan (a negotiated schedule) is a referral condition; a lapsed grace period
      // sends the loan back to the collection ladder.
      this.brokenToday = a.kind === 'plan';
    } else if (done) {
      this.arrangement = null;
    }
  }

  // ---- lender: reminders and the collection ladder ----

  private collect(rng: Rng): void {
    const d = this.day;
    const t = this.t;
    const next = this.oldest < t.dueDays.length ? t.dueDays[this.oldest]! : -1;
    if (next === d + 3) this.emit(SLOT.reminder + rng.int(0, 30), { type: 'contact', channel: 'sms', direction: 'outbound', outcome: 'delivered' });
    if (this.arrangement !== null) return;
    const dpd = this.dpdOn(d);
    if (dpd === 0) {
      this.refused = 0;
      this.attempts = 0;
      this.hardshipReported = false;
      return;
    }
    if (dpd === 1) this.emit(SLOT.reminder + rng.int(0, 30), { type: 'contact', channel: 'sms', direction: 'outbound', outcome: 'delivered' });
    if (dpd >= 2 && (dpd - 2) % 4 === 0 && !this.optedOutRobocall) this.robocall(rng);
    const from = t.policy.callFromDpd;
    const callDay = dpd >= from && (dpd <= 30 ? (dpd - from) % 3 === 0 : dpd % 2 === 0);
    if (callDay) {
      const first = this.call(rng, SLOT.call + rng.int(0, 90));
      if (first === 'no_answer' || first === 'busy') this.call(rng, SLOT.call + 150 + rng.int(0, 60));
    }
    if (dpd >= 45 && dpd % 15 === 0) this.emit(SLOT.reminder + 50, { type: 'contact', channel: 'letter', direction: 'outbound', outcome: 'delivered' }, 2 * 1440);
  }

  private unreachable(): boolean {
    return this.t.borrower.fraud && this.phoneChangedDay >= 0;
  }

  private robocall(rng: Rng): void {
    const minute = SLOT.reminder + 40 + rng.int(0, 40);
    let outcome: 'answered' | 'no_answer' | 'switched_off' = rng.chance(0.3 + 0.2 * this.willingness) ? 'answered' : 'no_answer';
    if (this.unreachable()) outcome = 'switched_off';
    if (outcome === 'answered' && this.boostUntil < this.day + 2) this.boostUntil = this.day + 2;
    // Robocall results arrive in a batch file a couple of hours later.
    this.emit(minute, { type: 'contact', channel: 'robocall', direction: 'outbound', outcome }, 120);
    if (outcome === 'answered' && rng.chance(0.01)) {
      this.optedOutRobocall = true;
      this.emit(minute + 2, { type: 'opt_out', channel: 'robocall' });
    }
  }

  private call(rng: Rng, minute: number): string {
    const d = this.day;
    const b = this.t.borrower;
    this.attempts++;
    let outcome: 'answered' | 'no_answer' | 'busy' | 'switched_off' | 'wrong_number' | 'refused';
    if (this.unreachable()) {
      const r = rng.next();
      outcome = r < 0.6 ? 'switched_off' : r < 0.9 ? 'wrong_number' : 'no_answer';
    } else {
      const away = this.festivalFrom <= d && d <= this.festivalUntil;
      const answer = (0.25 + 0.45 * this.willingness) * (away ? 0.6 : 1) * (b.fraud ? 0.3 : 1);
      if (rng.chance(answer)) outcome = this.willingness < 0.3 && rng.chance(0.5) ? 'refused' : 'answered';
      else {
        const r = rng.next();
        outcome = r < 0.75 ? 'no_answer' : r < 0.9 ? 'busy' : this.unemployedUntil >= d ? 'switched_off' : 'no_answer';
      }
    }
    if (outcome === 'switched_off' || outcome === 'wrong_number') this.deadLines++;
    if (outcome === 'refused') this.refused++;
    this.emit(minute, { type: 'contact', channel: 'call', direction: 'outbound', outcome });
    if (outcome === 'answered') this.conversation(rng, minute + 1);
    return outcome;
  }

  /** An answered collector call: the borrower hears the consequences, explains, promises or negotiates. */
  private conversation(rng: Rng, minute: number): void {
    const d = this.day;
    // Talking to a collector raises the chance of paying for a week (the intervention effect).
    this.boostUntil = d + 7;
    const reason = this.hardship();
    const dpd = this.dpdOn(d);
    if (reason !== null && !this.hardshipReported && rng.chance(0.6)) {
      this.hardshipReported = true;
      this.emit(minute, { type: 'hardship_reported', reason });
      if (this.arrangementsUsed < 2) {
        this.negotiate(rng, minute + 1, dpd);
        return;
      }
    }
    if (rng.chance(0.3 + 0.5 * this.willingness)) {
      const owed = round2(this.dueThrough(d) - this.cumPaid);
      if (owed > 0) {
        const promised = d + rng.int(1, 10);
        this.ptpDay = promised;
        this.emit(minute + 1, { type: 'promise_to_pay', amount: owed, promisedDate: dateOf(promised) });
      }
    }
  }

  private negotiate(rng: Rng, minute: number, dpd: number): void {
    const d = this.day;
    const id = `a${++this.arrangementsUsed}`;
    const owed = round2(this.dueThrough(d) - this.cumPaid);
    if (owed <= 0) return;
    if (dpd <= 30) {
      if (!this.t.policy.offerGrace) return;
      // Grace runs to a little after the borrower's difficulty is expected to end.
      const graceUntil = Math.min(d + 45, Math.max(d + 14, this.hardshipEnds() + rng.int(5, 12)));
      this.emit(minute, { type: 'arrangement_offered', arrangementId: id, kind: 'grace', proposedBy: 'lender', graceUntil: dateOf(graceUntil) });
      if (!rng.chance(0.85)) return;
      this.emit(minute + 1, { type: 'arrangement_agreed', arrangementId: id, kind: 'grace', graceUntil: dateOf(graceUntil) });
      this.agree({ id, kind: 'grace', fromDay: d, graceUntil, planDays: [], planCum: [], paidAtStart: this.cumPaid }, graceUntil);
      return;
    }
    // Past 30 days: a repayment plan. Some borrowers counter with their own, sometimes unreasonable, plan.
    if (rng.chance(0.5 * (1 - this.willingness))) {
      const parts = rng.int(4, 24);
      const plan = this.planFor(d, owed, parts, false);
      this.emit(minute, { type: 'arrangement_offered', arrangementId: id, kind: 'plan', proposedBy: 'borrower', plan: plan.body });
      if (parts > MAX_REASONABLE_PLAN_PARTS) {
        this.unreasonableToday = true;
        return;
      }
      this.emit(minute + 1, { type: 'arrangement_agreed', arrangementId: id, kind: 'plan', plan: plan.body });
      this.agree({ id, kind: 'plan', fromDay: d, graceUntil: -1, planDays: plan.days, planCum: plan.cum, paidAtStart: this.cumPaid }, plan.days[plan.days.length - 1]!);
      return;
    }
    const parts = rng.int(2, 4);
    const plan = this.planFor(d, owed, parts, true);
    this.emit(minute, { type: 'arrangement_offered', arrangementId: id, kind: 'plan', proposedBy: 'lender', plan: plan.body });
    if (!rng.chance(0.75)) return;
    this.emit(minute + 1, { type: 'arrangement_agreed', arrangementId: id, kind: 'plan', plan: plan.body });
    this.agree({ id, kind: 'plan', fromDay: d, graceUntil: -1, planDays: plan.days, planCum: plan.cum, paidAtStart: this.cumPaid }, plan.days[plan.days.length - 1]!);
  }

  /** Plan parts: the overdue amount spread over `parts` months, plus the regular instalments falling due. */
  private planFor(d: number, owed: number, parts: number, withRegular: boolean) {
    const t = this.t;
    const days: number[] = [];
    const cum: number[] = [];
    const body: Array<{ dueDate: string; amount: number }> = [];
    let next = this.oldest;
    while (next < t.dueDays.length && t.dueDays[next]! <= d) next++;
    let running = 0;
    let prev = d;
    const share = round2(owed / parts);
    for (let j = 0; j < parts; j++) {
      const regular = next + j < t.dueDays.length ? t.dueDays[next + j]! : prev + 30;
      const day = Math.max(regular, d + 7);
      const amount = round2((j === parts - 1 ? owed - share * (parts - 1) : share) + (withRegular && next + j < t.amounts.length ? t.amounts[next + j]! : 0));
      running += amount;
      days.push(day);
      cum.push(running);
      body.push({ dueDate: dateOf(day), amount: Math.max(amount, 0.01) });
      prev = day;
    }
    return { days, cum, body };
  }

  private agree(a: Arrangement, toDay: number): void {
    this.arrangement = a;
    this.pauses.push(a.fromDay, toDay);
  }

  // ---- borrower: paying ----

  private pay(rng: Rng): void {
    const d = this.day;
    const t = this.t;
    const b = t.borrower;
    if (b.fraud) return;
    // What was due before today is overdue; today's instalment is still on time.
    const owed = this.dueThrough(d - 1) - this.cumPaid;
    const a = this.arrangement;
    let amount = 0;
    if (a !== null && a.kind === 'plan') {
      // Pay the plan part that is due (the plan covers regular instalments too).
      let target = 0;
      for (let j = 0; j < a.planDays.length; j++) if (a.planDays[j]! <= d + 2) target = a.planCum[j]!;
      const need = target - (this.cumPaid - a.paidAtStart);
      if (need > TOLERANCE && this.cash >= need && rng.chance(Math.min(0.95, this.willingness * 0.6 + 0.3))) amount = need;
    } else if (owed > TOLERANCE) {
      let p = this.willingness * 0.2;
      if (this.boostUntil >= d) p += 0.25;
      if (this.ptpDay === d) p += 0.4;
      if (a !== null) p += d >= a.graceUntil - 2 ? 0.45 : 0.15;
      p = Math.min(p, 0.95);
      // Willing borrowers also borrow from relatives to pay the lender.
      const available = this.cash + 0.2 * b.monthlyIncome * this.willingness;
      const part = t.amounts[this.oldest] ?? owed;
      if (available >= owed) {
        if (rng.chance(p)) amount = owed;
      } else if (available >= part && rng.chance(p * 0.7)) {
        amount = Math.min(owed, Math.floor(available / part) * part);
      } else if (available > 0.3 * part && (this.boostUntil >= d || this.ptpDay === d) && rng.chance(p * 0.4)) {
        amount = Math.floor(available * 0.9);
      }
    } else if (this.oldest < t.dueDays.length) {
      // Current: pay the next instalment on or just before its due date.
      const due = t.dueDays[this.oldest]!;
      const need = t.cumDue[this.oldest]! - this.cumPaid;
      if (due - d <= 2 && due >= d && this.cash >= need) {
        const p = due === d ? 0.6 + 0.4 * this.willingness : 0.3 * this.willingness;
        if (rng.chance(p)) amount = need;
      }
      // Rarely, the whole loan is settled early.
      const rest = t.cumDue[t.cumDue.length - 1]! - this.cumPaid;
      if (amount === 0 && this.cash >= rest && rng.chance(0.0008)) amount = rest;
    }
    amount = round2(amount);
    if (amount < 1) return;
    this.cash -= amount;
    this.cumPaid = round2(this.cumPaid + amount);
    this.settle();
    const minute = SLOT.payment + rng.int(0, 540);
    const r = rng.next();
    const channel = r < 0.5 ? 'app' : r < 0.75 ? 'wechat' : 'bank_transfer';
    // Bank transfers arrive in the overnight settlement file: recorded the next morning.
    const delay = channel === 'bank_transfer' ? 1440 - minute + 180 + rng.int(0, 120) : 0;
    this.emit(minute, { type: 'payment', amount, channel }, delay);
    if (rng.chance(channel === 'bank_transfer' ? 0.015 : 0.003)) {
      this.reversalDay = d + rng.int(1, 3);
      this.reversalAmount = amount;
    }
    if (this.oldest >= t.cumDue.length && this.reversalDay < 0) {
      this.status = 'closed';
      this.emit(Math.min(minute + 1, 1439), { type: 'closed', reason: 'repaid' }, delay);
    }
  }

  // ---- referral: exactly when a condition holds ----

  private refer(): void {
    const reason = this.referralCondition();
    if (reason === null) return;
    this.status = 'referred';
    this.referral = reason;
    this.emit(SLOT.referral, { type: 'legal_referral', reason });
  }

  referralCondition(): ReferralReason | null {
    const t = this.t;
    const d = this.day;
    const overdue = this.dueThrough(d) - this.cumPaid > TOLERANCE + EPS;
    if (
      overdue &&
      this.phoneChangedDay >= 0 &&
      this.phoneChangedDay - t.originationDay <= FRAUD_PHONE_CHANGE_WINDOW_DAYS &&
      this.cumPaid <= EPS &&
      this.dpd >= FRAUD_MIN_DPD &&
      this.deadLines >= FRAUD_MIN_DEAD_LINES
    )
      return 'fraud';
    if (this.dpd >= t.loan.product.maxOverdueDays) return 'max_overdue';
    if (this.brokenToday && overdue) return 'broken_arrangement';
    if (this.unreasonableToday) return 'unreasonable_plan';
    if (overdue && this.refused >= REFUSALS_BEFORE_REFERRAL && this.attempts >= ATTEMPTS_BEFORE_REFUSAL_REFERRAL) return 'refused_contact';
    return null;
  }
}

const dateOf = dayToDate;
