// Loan k of a portfolio, from its own random streams: population draw (stream 0), the realised path
// (stream 1) and the Monte Carlo paths of the ground truth (streams 2.p, the same for every snapshot
// of the loan: common random numbers, so week-to-week changes in the truth are not sampling noise).
import { dayToCivil, dayToDate, formatInstant, localToInstant } from '../domain/history/calendar.js';
import type { LoanEvent, LoanHistory } from '../domain/history/schema.js';
import { LoanSim, type ReferralReason } from './loan-sim.js';
import { isoAt, localInstant } from './local-time.js';
import { drawBorrower, drawLoan } from './population.js';
import { Rng } from './rng.js';
import { buildTerms, type LenderPolicy, type LoanTerms } from './terms.js';

export interface GeneratorOptions {
  readonly seed: number;
  /** First origination day (day number). */
  readonly startDay: number;
  /** Loans originate uniformly in [startDay, startDay + originationDays). */
  readonly originationDays: number;
  /** Last simulated day: the data cut-off. */
  readonly cutoffDay: number;
  readonly horizonDays: number;
  /** Monte Carlo paths per snapshot; 0 = no ground truth. */
  readonly paths: number;
  readonly timeZone: string;
  /** Keep the simulator's daily DPD (tests compare it with the ledger). */
  readonly traceDpd?: boolean;
  /** The lender's collection policy (default: the baseline). */
  readonly policy?: LenderPolicy;
}

export interface TruthSnapshot {
  readonly asOf: string;
  /** True probability of referral-grade delinquency in (asOf, asOf + horizon]. */
  readonly pd: number;
}

export interface GroundTruth {
  readonly loanId: string;
  readonly horizonDays: number;
  readonly paths: number;
  readonly snapshots: TruthSnapshot[];
}

export interface LoanOutcome {
  readonly occupation: string;
  readonly maxDpd: number;
  readonly referral: ReferralReason | null;
  readonly closed: boolean;
  readonly fraud: boolean;
}

export interface GeneratedLoan {
  readonly history: LoanHistory;
  readonly truth: GroundTruth | null;
  readonly outcome: LoanOutcome;
  /** With `traceDpd`: the simulator's own end-of-day DPD for every simulated day from origination. */
  readonly dpdByDay: Int32Array | null;
}

const STREAM_POPULATION = 0;
const STREAM_PATH = 1;
const STREAM_TRUTH = 2;

export const loanIdOf = (k: number): string => `L${String(k).padStart(7, '0')}`;
export const borrowerIdOf = (k: number): string => `B${String(k).padStart(7, '0')}`;

export function drawTerms(opts: GeneratorOptions, k: number): LoanTerms {
  const rng = Rng.stream(opts.seed, k, STREAM_POPULATION);
  const borrower = drawBorrower(rng);
  const loan = drawLoan(rng, borrower);
  const originationDay = opts.startDay + Math.floor(rng.next() * opts.originationDays);
  const fraudPhoneChangeDay = borrower.fraud && rng.chance(0.8) ? originationDay + rng.int(3, 30) : -1;
  const weeklyPayOffset = rng.int(0, 6);
  // Most monthly earners pick a due date just after payday; the rest keep the origination day.
  const afterPayday = (borrower.payFrequency === 'monthly' || borrower.payFrequency === 'semi_monthly') && rng.chance(0.7);
  const dueDayOfMonth = afterPayday ? ((borrower.payday + rng.int(1, 5) - 1) % 28) + 1 : Math.min(dayToCivil(originationDay).day, 28);
  return buildTerms({ index: k, originationDay, cutoffDay: opts.cutoffDay, borrower, loan, dueDayOfMonth, fraudPhoneChangeDay, weeklyPayOffset, ...(opts.policy === undefined ? {} : { policy: opts.policy }) });
}

export function generateLoan(opts: GeneratorOptions, k: number): GeneratedLoan {
  const terms = drawTerms(opts, k);
  const rng = Rng.stream(opts.seed, k, STREAM_PATH);
  const sim = LoanSim.start(terms, true, rng);
  const start = terms.originationDay;
  const span = Math.max(0, opts.cutoffDay - start);
  const dpdByDay = opts.traceDpd === true ? new Int32Array(span + 1) : null;
  const snapshots: TruthSnapshot[] = [];
  for (;;) {
    if (opts.paths > 0 && sim.status === 'active' && (sim.day - start) % 7 === 0) {
      snapshots.push({ asOf: endOfDay(sim.day, opts.timeZone), pd: truthAt(sim, opts, k) });
    }
    if (sim.status !== 'active' || sim.day >= opts.cutoffDay) break;
    sim.step(rng);
    if (dpdByDay !== null) dpdByDay[sim.day - start] = sim.dpd;
  }
  const loanId = loanIdOf(k);
  return {
    history: toHistory(terms, sim, opts.timeZone),
    truth: opts.paths > 0 ? { loanId, horizonDays: opts.horizonDays, paths: opts.paths, snapshots } : null,
    outcome: { occupation: terms.borrower.profile.occupation, maxDpd: sim.maxDpd, referral: sim.referral, closed: sim.status === 'closed', fraud: terms.borrower.fraud },
    dpdByDay: dpdByDay === null ? null : dpdByDay.subarray(0, Math.max(0, sim.day - start) + 1),
  };
}

/** Share of Monte Carlo paths from the snapshot's full state that reach referral within the horizon. */
export function truthAt(sim: LoanSim, opts: GeneratorOptions, k: number): number {
  let hits = 0;
  for (let p = 0; p < opts.paths; p++) {
    const path = sim.fork();
    const rng = Rng.stream(opts.seed, k, STREAM_TRUTH, p);
    for (let h = 0; h < opts.horizonDays; h++) {
      path.step(rng);
      if (path.status !== 'active') break;
    }
    if (path.status === 'referred') hits++;
  }
  return Math.round((hits / opts.paths) * 1e4) / 1e4;
}

function endOfDay(day: number, zone: string): string {
  return formatInstant(localToInstant(day + 1, 0, zone) - 1000, zone);
}

function toHistory(terms: LoanTerms, sim: LoanSim, zone: string): LoanHistory {
  const b = terms.borrower;
  const k = terms.index;
  const raw = sim.events ?? [];
  const order = raw.map((_, i) => i);
  order.sort((x, y) => raw[x]!.day - raw[y]!.day || raw[x]!.minute - raw[y]!.minute || x - y);
  const events: LoanEvent[] = order.map((i, n) => {
    const e = raw[i]!;
    const at = localInstant(e.day, e.minute, zone);
    const event = { id: `e${n + 1}`, at: at.iso, ...e.body } as LoanEvent;
    if (e.delayMin > 0) event.recordedAt = isoAt(at.ms + e.delayMin * 60_000, zone);
    return event;
  });
  const schedule = Array.from(terms.dueDays, (due, i) => ({
    seq: i + 1,
    dueDate: dayToDate(due),
    amountDue: terms.amounts[i]!,
    principalDue: terms.principalParts[i]!,
  }));
  return {
    schemaVersion: 1,
    loanId: loanIdOf(k),
    borrowerId: borrowerIdOf(k),
    timeZone: zone,
    currency: 'CNY',
    contract: {
      product: terms.loan.product.name,
      kind: 'instalment',
      originationDate: dayToDate(terms.originationDay),
      principal: terms.loan.principal,
      instalmentCount: terms.loan.instalmentCount,
      apr: terms.loan.product.apr,
      fees: terms.fees,
      maxOverdueDays: terms.loan.product.maxOverdueDays,
    },
    borrower: {
      occupation: b.profile.occupation,
      age: b.age,
      monthlyIncome: b.monthlyIncome,
      payFrequency: b.payFrequency,
      ...(b.payFrequency === 'monthly' || b.payFrequency === 'semi_monthly' ? { payday: b.payday } : {}),
      employerTenureMonths: b.tenureMonths,
      migrant: b.migrant,
      dependents: b.dependents,
      priorLoans: b.priorLoans,
      priorWorstDpd: b.priorWorstDpd,
      attributes: { bureau_score: b.bureauScore },
    },
    schedule,
    events,
  };
}

