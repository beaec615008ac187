// The backtest use case: replay a portfolio day by day, point in time, through the same pipeline
// (features -> model -> rules -> decide) and measure early warning against the eventual legal
// referrals. Replay (per loan, shardable across workers) and summary (pure) are separate steps.
//
// Definitions (docs/rules.md):
// - a loan is ACTIVE on local day d from its origination day until the day before its first legal
//   referral or its closing day; it is scored as of the end of each active day;
// - it is FLAGGED on d when the decision's step is one of policy.alert.steps or its band is at
//   least policy.alert.minBand (naive: when DPD >= naiveDpd);
// - an ALERT is a flagged day with no flagged day in the preceding cooldownDays: one per episode;
// - the LEAD TIME of a referral on day R is R minus the start of the alert episode still running at R
//   (last flagged day within cooldownDays before R), else 0;
// - an alert on day a is a TRUE alert when the loan is referred, or reaches DPD >= precisionDpd, in
//   [a, a + precisionWindowDays]; alerts whose window runs past the data without a positive are censored.
import { bandRank } from '../domain/decision/ladder.js';
import type { Policy } from '../domain/decision/policy.js';
import type { Band, Step } from '../domain/decision/schema.js';
import { dateToDay, localDayOf, localToInstant, parseInstant } from '../domain/history/calendar.js';
import type { LoanHistory } from '../domain/history/schema.js';
import type { Prepared, ScoringPipeline } from './create-scorer.js';

export interface BacktestOptions {
  /** First and last local day replayed (defaults: earliest origination, latest event day). */
  readonly fromDay?: number;
  readonly toDay?: number;
  /** Score every n-th day (1 = daily). */
  readonly stepDays?: number;
  readonly naiveDpd?: number;
  /** DPD thresholds of further naive policies, for a lead-time / workload curve. */
  readonly naiveCurveDpd?: readonly number[];
  readonly aheadDays?: number;
  readonly precisionWindowDays?: number;
  readonly precisionDpd?: number;
  /** Loans prepared per model call. */
  readonly batchSize?: number;
  readonly onDay?: (day: number, activeLoans: number) => void;
}

export const BACKTEST_DEFAULTS = { stepDays: 1, naiveDpd: 30, naiveCurveDpd: [1, 5, 10, 15, 20] as readonly number[], aheadDays: 30, precisionWindowDays: 90, precisionDpd: 60, batchSize: 2048 };

export interface AlertRecord {
  readonly day: number;
  readonly band: Band;
  readonly step: Step;
  readonly rules: readonly string[];
}

/** Everything the summary needs from one loan's replay (small, so that workers can send it back). */
export interface LoanOutcome {
  readonly loanId: string;
  readonly referralDay: number | null;
  /** The reason the lender gave for the referral (legal_referral.reason), when referred in range. */
  readonly referralReason: string | null;
  readonly activeDays: number;
  readonly alerts: readonly AlertRecord[];
  readonly naiveAlerts: readonly number[];
  /** Lead time at the referral (0 when not flagged), policy and naive; null without a referral in range. */
  readonly leadDays: number | null;
  readonly naiveLeadDays: number | null;
  /** The same for each naive curve threshold (options.naiveCurveDpd order). */
  readonly naiveCurve: ReadonlyArray<{ readonly dpd: number; readonly alerts: readonly number[]; readonly leadDays: number | null }>;
  /** Scored days with DPD >= precisionDpd (ascending). */
  readonly dpdHighDays: readonly number[];
  /** Rule id -> scored days it hit. */
  readonly ruleHitDays: Readonly<Record<string, number>>;
}

interface LoanState {
  readonly history: LoanHistory;
  readonly startDay: number;
  /** First day not scored (referral or closing day). */
  readonly endDay: number;
  readonly referralDay: number | null;
  readonly referralReason: string | null;
  activeDays: number;
  /** Episodes of the policy's flag, of the naive flag (DPD >= naiveDpd) and of each naive curve threshold. */
  readonly policy: Episodes;
  readonly naive: Episodes;
  readonly curve: Episodes[];
  readonly alerts: AlertRecord[];
  readonly dpdHighDays: number[];
  readonly ruleHitDays: Record<string, number>;
}

const NEVER = Number.NEGATIVE_INFINITY;

/** Alert episodes of one flag: a flagged day after more than `cooldown` unflagged days starts one. */
class Episodes {
  last = NEVER;
  start = NEVER;
  readonly alerts: number[] = [];
  /** Records a flagged day; true when it starts a new episode (an alert). */
  flag(day: number, cooldown: number): boolean {
    const fresh = day - this.last > cooldown;
    if (fresh) {
      this.start = day;
      this.alerts.push(day);
    }
    this.last = day;
    return fresh;
  }
}

function firstOf(history: LoanHistory, type: 'legal_referral' | 'closed'): { day: number; reason: string } | null {
  let best: { day: number; reason: string } | null = null;
  for (const e of history.events) {
    if (e.type !== type) continue;
    const day = localDayOf(parseInstant(e.at), history.timeZone);
    if (best === null || day < best.day) best = { day, reason: e.reason };
  }
  return best;
}

export function lastEventDay(histories: readonly LoanHistory[]): number {
  let last = NEVER;
  for (const h of histories) for (const e of h.events) last = Math.max(last, localDayOf(parseInstant(e.at), h.timeZone));
  return last;
}

export function firstOriginationDay(histories: readonly LoanHistory[]): number {
  let first = Number.POSITIVE_INFINITY;
  for (const h of histories) first = Math.min(first, dateToDay(h.contract.originationDate));
  return first;
}

/** Replays `histories` over [fromDay, toDay] and returns one outcome per loan. */
export async function replay(histories: readonly LoanHistory[], pipeline: ScoringPipeline, policy: Policy, options: BacktestOptions = {}): Promise<LoanOutcome[]> {
  const o = { ...BACKTEST_DEFAULTS, ...options };
  const fromDay = options.fromDay ?? firstOriginationDay(histories);
  const toDay = options.toDay ?? lastEventDay(histories);
  const cooldown = policy.alert.cooldownDays;
  const minBand = bandRank(policy.alert.minBand);
  const alertSteps = new Set<Step>(policy.alert.steps);

  const states: LoanState[] = histories.map((history) => {
    const referral = firstOf(history, 'legal_referral');
    const referralDay = referral?.day ?? null;
    const closedDay = firstOf(history, 'closed')?.day ?? null;
    const startDay = Math.max(fromDay, dateToDay(history.contract.originationDate));
    const endDay = Math.min(referralDay ?? Infinity, closedDay ?? Infinity, toDay + 1);
    return { history, startDay, endDay, referralDay, referralReason: referral?.reason ?? null, activeDays: 0, policy: new Episodes(), naive: new Episodes(), curve: o.naiveCurveDpd.map(() => new Episodes()), alerts: [], dpdHighDays: [], ruleHitDays: {} };
  });
  states.sort((a, b) => a.startDay - b.startDay);

  let next = 0;
  const active: LoanState[] = [];
  for (let day = fromDay; day <= toDay; day += o.stepDays) {
    while (next < states.length && states[next]!.startDay <= day) active.push(states[next++]!);
    let w = 0;
    for (const s of active) if (s.endDay > day) active[w++] = s;
    active.length = w;
    options.onDay?.(day, active.length);
    for (let i = 0; i < active.length; i += o.batchSize) {
      const batch = active.slice(i, i + o.batchSize);
      const prepared: Prepared[] = batch.map((s) => pipeline.prepare(s.history, localToInstant(day + 1, 0, s.history.timeZone) - 1));
      const pds = await pipeline.predict(prepared);
      batch.forEach((s, k) => observe(s, day, prepared[k]!, Math.min(1, Math.max(0, pds[k]!))));
    }
  }

  function observe(s: LoanState, day: number, p: Prepared, pd: number): void {
    const d = pipeline.finish(p, pd, { explain: false });
    s.activeDays += o.stepDays;
    const hits: string[] = [];
    for (const r of d.ruleHits) {
      if (r.outcome !== 'hit') continue;
      hits.push(r.ruleId);
      s.ruleHitDays[r.ruleId] = (s.ruleHitDays[r.ruleId] ?? 0) + o.stepDays;
    }
    if ((alertSteps.has(d.step.action) || bandRank(d.band) >= minBand) && s.policy.flag(day, cooldown)) {
      s.alerts.push({ day, band: d.band, step: d.step.action, rules: hits });
    }
    const dpd = pipeline.feature(p, 'dpd') ?? p.ledger.dpd;
    if (dpd >= o.naiveDpd) s.naive.flag(day, cooldown);
    for (let c = 0; c < o.naiveCurveDpd.length; c++) if (dpd >= o.naiveCurveDpd[c]!) s.curve[c]!.flag(day, cooldown);
    if (dpd >= o.precisionDpd) s.dpdHighDays.push(day);
  }

  const lead = (referral: number | null, e: Episodes): number | null => {
    if (referral === null || referral <= fromDay || referral > toDay) return null;
    return referral - e.last <= cooldown + o.stepDays - 1 ? referral - e.start : 0;
  };

  return states.map((s) => {
    const inRange = s.referralDay !== null && s.referralDay > fromDay && s.referralDay <= toDay;
    return {
      loanId: s.history.loanId,
      referralDay: inRange ? s.referralDay : null,
      referralReason: inRange ? s.referralReason : null,
      activeDays: s.activeDays,
      alerts: s.alerts,
      naiveAlerts: s.naive.alerts,
      leadDays: lead(s.referralDay, s.policy),
      naiveLeadDays: lead(s.referralDay, s.naive),
      naiveCurve: s.curve.map((e, c) => ({ dpd: o.naiveCurveDpd[c]!, alerts: e.alerts, leadDays: lead(s.referralDay, e) })),
      dpdHighDays: s.dpdHighDays,
      ruleHitDays: s.ruleHitDays,
    };
  });
}
