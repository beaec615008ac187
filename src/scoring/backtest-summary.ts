// Backtest figures from the per-loan replay outcomes (pure): lead time, precision, workload, for
// the policy and for the naive "act at DPD >= 30" policy, by band and by rule.
import { BANDS, type Band } from '../domain/decision/schema.js';
import { dayToDate } from '../domain/history/calendar.js';
import { BACKTEST_DEFAULTS, type LoanOutcome } from './backtest.js';

export interface BacktestMetrics {
  readonly referrals: number;
  readonly flaggedAhead30: number;
  readonly flaggedAhead30Share: number | null;
  readonly medianLeadDays: number | null;
  readonly alerts: number;
  /** Alerts whose outcome window is observed (or already positive). */
  readonly alertsEvaluated: number;
  readonly trueAlerts: number;
  readonly alertPrecision: number | null;
  readonly activeLoanDays: number;
  readonly alertsPer1000LoanDays: number | null;
}

export interface GroupFigures {
  readonly alerts: number;
  readonly alertsEvaluated: number;
  readonly alertPrecision: number | null;
}

export interface BacktestReport extends BacktestMetrics {
  readonly loans: number;
  readonly from: string;
  readonly to: string;
  readonly stepDays: number;
  readonly naive: BacktestMetrics;
  /** Naive policies at lower DPD thresholds: lead time against workload. */
  readonly naiveCurve: ReadonlyArray<BacktestMetrics & { readonly dpd: number }>;
  readonly byBand: Record<Band, GroupFigures>;
  /** Per rule: alerts on which it hit, their precision, and loan-days it hit. */
  readonly byRule: Record<string, GroupFigures & { readonly loanDaysHit: number }>;
  /** Per referral reason: how early the policy and the naive policy saw those referrals. */
  readonly byReferralReason: Record<string, ReasonFigures>;
  readonly versions: Readonly<Record<string, string>>;
}

export interface ReasonFigures {
  readonly referrals: number;
  readonly flaggedAhead30Share: number | null;
  readonly medianLeadDays: number | null;
  readonly naiveFlaggedAhead30Share: number | null;
  readonly naiveMedianLeadDays: number | null;
}

export interface SummaryOptions {
  readonly fromDay: number;
  readonly toDay: number;
  readonly stepDays?: number;
  readonly aheadDays?: number;
  readonly precisionWindowDays?: number;
  readonly versions?: Readonly<Record<string, string>>;
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** True / censored verdict for an alert on `day`. */
function verdict(o: LoanOutcome, day: number, window: number, toDay: number): 'true' | 'false' | 'censored' {
  const end = day + window;
  if (o.referralDay !== null && o.referralDay >= day && o.referralDay <= end) return 'true';
  for (const d of o.dpdHighDays) if (d >= day && d <= end) return 'true';
  return end > toDay ? 'censored' : 'false';
}

class Tally {
  alerts = 0;
  evaluated = 0;
  true = 0;
  add(v: 'true' | 'false' | 'censored'): void {
    this.alerts++;
    if (v !== 'censored') this.evaluated++;
    if (v === 'true') this.true++;
  }
  figures(): GroupFigures {
    return { alerts: this.alerts, alertsEvaluated: this.evaluated, alertPrecision: ratio(this.true, this.evaluated) };
  }
}

function metrics(outcomes: readonly LoanOutcome[], alertDays: (o: LoanOutcome) => readonly number[], leadOf: (o: LoanOutcome) => number | null, window: number, ahead: number, toDay: number): BacktestMetrics {
  const all = new Tally();
  const leads: number[] = [];
  let activeLoanDays = 0;
  for (const o of outcomes) {
    activeLoanDays += o.activeDays;
    for (const day of alertDays(o)) all.add(verdict(o, day, window, toDay));
    const lead = leadOf(o);
    if (lead !== null) leads.push(lead);
  }
  const flaggedAhead30 = leads.filter((l) => l >= ahead).length;
  return {
    referrals: leads.length,
    flaggedAhead30,
    flaggedAhead30Share: ratio(flaggedAhead30, leads.length),
    medianLeadDays: median(leads),
    alerts: all.alerts,
    alertsEvaluated: all.evaluated,
    trueAlerts: all.true,
    alertPrecision: ratio(all.true, all.evaluated),
    activeLoanDays,
    alertsPer1000LoanDays: activeLoanDays === 0 ? null : (1000 * all.alerts) / activeLoanDays,
  };
}

export function summarise(outcomes: readonly LoanOutcome[], options: SummaryOptions): BacktestReport {
  const window = options.precisionWindowDays ?? BACKTEST_DEFAULTS.precisionWindowDays;
  const ahead = options.aheadDays ?? BACKTEST_DEFAULTS.aheadDays;
  const { toDay } = options;
  const byBand = Object.fromEntries(BANDS.map((b) => [b, new Tally()])) as Record<Band, Tally>;
  const byRule = new Map<string, { tally: Tally; loanDaysHit: number }>();
  const ruleEntry = (id: string) => {
    let e = byRule.get(id);
    if (e === undefined) byRule.set(id, (e = { tally: new Tally(), loanDaysHit: 0 }));
    return e;
  };
  for (const o of outcomes) {
    for (const a of o.alerts) {
      const v = verdict(o, a.day, window, toDay);
      byBand[a.band].add(v);
      for (const r of a.rules) ruleEntry(r).tally.add(v);
    }
    for (const [id, n] of Object.entries(o.ruleHitDays)) ruleEntry(id).loanDaysHit += n;
  }
  const policy = metrics(outcomes, (o) => o.alerts.map((a) => a.day), (o) => o.leadDays, window, ahead, toDay);
  const naive = metrics(outcomes, (o) => o.naiveAlerts, (o) => o.naiveLeadDays, window, ahead, toDay);
  const thresholds = outcomes[0]?.naiveCurve.map((c) => c.dpd) ?? [];
  const naiveCurve = thresholds.map((dpd, c) => ({
    dpd,
    ...metrics(outcomes, (o) => o.naiveCurve[c]!.alerts, (o) => o.naiveCurve[c]!.leadDays, window, ahead, toDay),
  }));
  const reasons = new Map<string, { leads: number[]; naive: number[] }>();
  for (const o of outcomes) {
    if (o.leadDays === null || o.naiveLeadDays === null) continue;
    const key = o.referralReason ?? 'unknown';
    let r = reasons.get(key);
    if (r === undefined) reasons.set(key, (r = { leads: [], naive: [] }));
    r.leads.push(o.leadDays);
    r.naive.push(o.naiveLeadDays);
  }
  const share = (xs: readonly number[]): number | null => ratio(xs.filter((x) => x >= ahead).length, xs.length);
  const byReferralReason = Object.fromEntries(
    [...reasons.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, r]) => [k, { referrals: r.leads.length, flaggedAhead30Share: share(r.leads), medianLeadDays: median(r.leads), naiveFlaggedAhead30Share: share(r.naive), naiveMedianLeadDays: median(r.naive) }]),
  );
  return {
    loans: outcomes.length,
    from: dayToDate(options.fromDay),
    to: dayToDate(toDay),
    stepDays: options.stepDays ?? 1,
    ...policy,
    naive,
    naiveCurve,
    byBand: Object.fromEntries(BANDS.map((b) => [b, byBand[b].figures()])) as Record<Band, GroupFigures>,
    byRule: Object.fromEntries([...byRule.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, e]) => [id, { ...e.tally.figures(), loanDaysHit: e.loanDaysHit }])),
    byReferralReason,
    versions: options.versions ?? {},
  };
}
