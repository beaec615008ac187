// Training sets built exactly like scoring: labelled snapshots on an as-of grid (end of the local day,
// every `everyDays` from origination while the loan is active), features from computeFeaturesInto,
// and a time-based split that keeps every snapshot of a loan on one side.
import { computeFeaturesInto, featureCount, featureNames, featureSetVersion } from '../domain/features/registry.js';
import type { FeatureConfig } from '../domain/features/feature-config.js';
import { DAY_MS, dateToDay, formatInstant, localToInstant, parseInstant } from '../domain/history/calendar.js';
import { DEFAULT_HORIZON_DAYS, referralLabel } from '../domain/history/label.js';
import { PAID_TOLERANCE } from '../domain/history/ledger.js';
import type { LabelledSnapshot, LoanHistory } from '../domain/history/schema.js';
import { LoanScan } from '../domain/features/scan.js';

export interface SnapshotOptions {
  /** Days between as-of points (7 = weekly). */
  everyDays?: number;
  horizonDays?: number;
  /** Epoch ms up to which the histories are complete (the extraction time). */
  observedUntil: number;
  /** First as-of point, in days after origination (0 = the origination day itself). */
  startDay?: number;
}

export interface SnapshotStats {
  loans: number;
  snapshots: number;
  positives: number;
  /** Grid points dropped because the outcome within the horizon was not yet observed. */
  censored: number;
}

export interface SnapshotSet {
  readonly snapshots: LabelledSnapshot[];
  readonly stats: SnapshotStats;
}

/** The latest instant (happened or recorded) in a set of histories: a default for observedUntil. */
export function latestInstant(histories: readonly LoanHistory[]): number {
  let latest = Number.NEGATIVE_INFINITY;
  for (const h of histories) for (const e of h.events) latest = Math.max(latest, parseInstant(e.recordedAt ?? e.at));
  return latest;
}

const scan = new LoanScan();

/**
 * Still in the early-warning scope at asOf: not closed, not referred, DPD below the referral threshold,
 * not fully repaid. Read off the feature scan (ledger parity is tested), which is cheaper than a ledger.
 */
function isActive(history: LoanHistory, asOfMs: number): boolean {
  const s = scan.run(history, asOfMs);
  if (s.closedDay >= 0 || s.referred === 1 || s.dpd >= history.contract.maxOverdueDays) return false;
  return !(s.instalmentCount > 0 && s.cash >= s.totalScheduled - PAID_TOLERANCE);
}

export function buildSnapshotSet(histories: readonly LoanHistory[], options: SnapshotOptions): SnapshotSet {
  const everyDays = options.everyDays ?? 7;
  const horizonDays = options.horizonDays ?? DEFAULT_HORIZON_DAYS;
  if (!Number.isInteger(everyDays) || everyDays < 1) throw new RangeError(`everyDays: expected an integer >= 1, got ${everyDays}`);
  if (!Number.isFinite(options.observedUntil)) throw new RangeError('observedUntil: expected epoch milliseconds');
  const snapshots: LabelledSnapshot[] = [];
  const stats: SnapshotStats = { loans: histories.length, snapshots: 0, positives: 0, censored: 0 };
  for (const history of histories) {
    const zone = history.timeZone;
    const origin = dateToDay(history.contract.originationDate);
    for (let day = origin + (options.startDay ?? 0); ; day += everyDays) {
      const asOf = localToInstant(day + 1, 0, zone) - 1;
      if (asOf > options.observedUntil || !isActive(history, asOf)) break;
      const outcome = referralLabel(history, asOf, { horizonDays, observedUntil: options.observedUntil });
      if (outcome.status === 'censored') {
        stats.censored++;
        continue;
      }
      snapshots.push({ asOf: formatInstant(asOf, zone), label: outcome.label, horizonDays, history });
      if (outcome.label === 1) stats.positives++;
    }
  }
  stats.snapshots = snapshots.length;
  return { snapshots, stats };
}

/** Labelled snapshots on the as-of grid; censored points are dropped, never labelled 0. */
export function buildSnapshots(histories: readonly LoanHistory[], options: SnapshotOptions): LabelledSnapshot[] {
  return buildSnapshotSet(histories, options).snapshots;
}

export interface TrainingMatrix {
  /** Row-major n × d features. */
  readonly X: Float32Array;
  readonly y: Float32Array;
  readonly loanIds: readonly string[];
  /** As-of instants, epoch ms. */
  readonly asOf: Float64Array;
  readonly n: number;
  readonly d: number;
  readonly featureNames: readonly string[];
  readonly featureSetVersion: string;
  /** Snapshots without a label whose label could not be derived (censored). */
  readonly dropped: number;
}

export interface MatrixOptions {
  /** Needed only to derive labels that snapshots do not carry. */
  observedUntil?: number;
  horizonDays?: number;
}

export function snapshotsToMatrix(snapshots: readonly LabelledSnapshot[], config?: FeatureConfig, options: MatrixOptions = {}): TrainingMatrix {
  const d = featureCount(config);
  const rows: Array<{ snapshot: LabelledSnapshot; asOf: number; label: 0 | 1 }> = [];
  let dropped = 0;
  snapshots.forEach((snapshot, i) => {
    const asOf = parseInstant(snapshot.asOf);
    let label = snapshot.label;
    if (label === undefined) {
      if (options.observedUntil === undefined) throw new Error(`snapshots[${i}].label: absent, and no observedUntil given to derive it`);
      const outcome = referralLabel(snapshot.history, asOf, { horizonDays: snapshot.horizonDays ?? options.horizonDays ?? DEFAULT_HORIZON_DAYS, observedUntil: options.observedUntil });
      if (outcome.status === 'censored') {
        dropped++;
        return;
      }
      label = outcome.label;
    }
    rows.push({ snapshot, asOf, label });
  });
  const n = rows.length;
  const X = new Float32Array(n * d);
  const y = new Float32Array(n);
  const asOf = new Float64Array(n);
  const loanIds: string[] = new Array<string>(n);
  rows.forEach((row, i) => {
    computeFeaturesInto(X, i * d, row.snapshot.history, row.asOf, config);
    y[i] = row.label;
    asOf[i] = row.asOf;
    loanIds[i] = row.snapshot.history.loanId;
  });
  return { X, y, loanIds, asOf, n, d, featureNames: featureNames(config), featureSetVersion: featureSetVersion(config), dropped };
}

export interface TimeSplitOptions {
  /** Share of loans (the latest-starting ones) in the test side; ignored when `cutoff` is given. */
  testFraction?: number;
  /** Epoch ms: loans whose first snapshot is at or after it are test. */
  cutoff?: number;
  /**
   * Drop train rows whose label window (asOf, asOf + horizon] reaches past the cutoff, so that no
   * training label peeks into the test period. Default true.
   */
  embargo?: boolean;
  horizonDays?: number;
}

export interface TimeSplit {
  readonly train: Int32Array;
  readonly test: Int32Array;
  readonly cutoff: number;
  /** Train rows dropped by the embargo. */
  readonly embargoed: number;
}

/**
 * Time-based split over rows (loanId, asOf): a loan belongs to the side of its first as-of point, so
 * all its rows land on one side; train is earlier, test later.
 */
export function splitByTime(loanIds: readonly string[], asOf: ArrayLike<number>, options: TimeSplitOptions = {}): TimeSplit {
  const n = loanIds.length;
  if (asOf.length !== n) throw new RangeError(`splitByTime: ${asOf.length} as-of instants for ${n} loan ids`);
  const first = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const prev = first.get(loanIds[i]!);
    if (prev === undefined || asOf[i]! < prev) first.set(loanIds[i]!, asOf[i]!);
  }
  let cutoff = options.cutoff;
  if (cutoff === undefined) {
    const fraction = options.testFraction ?? 0.2;
    if (!(fraction > 0 && fraction < 1)) throw new RangeError(`testFraction: expected a number in (0, 1), got ${fraction}`);
    const starts = [...first.values()].sort((a, b) => a - b);
    const testLoans = Math.max(1, Math.round(starts.length * fraction));
    cutoff = starts.length === 0 ? 0 : starts[Math.max(0, starts.length - testLoans)]!;
  }
  const horizonMs = (options.horizonDays ?? DEFAULT_HORIZON_DAYS) * DAY_MS;
  const embargo = options.embargo ?? true;
  const train: number[] = [];
  const test: number[] = [];
  let embargoed = 0;
  for (let i = 0; i < n; i++) {
    if (first.get(loanIds[i]!)! >= cutoff) test.push(i);
    else if (embargo && asOf[i]! + horizonMs > cutoff) embargoed++;
    else train.push(i);
  }
  return { train: Int32Array.from(train), test: Int32Array.from(test), cutoff, embargoed };
}

/** Rows of a training matrix picked by index (e.g. a split side). */
export function takeRows(m: TrainingMatrix, rows: Int32Array): TrainingMatrix {
  const X = new Float32Array(rows.length * m.d);
  const y = new Float32Array(rows.length);
  const asOf = new Float64Array(rows.length);
  const loanIds: string[] = [];
  rows.forEach((r, i) => {
    X.set(m.X.subarray(r * m.d, (r + 1) * m.d), i * m.d);
    y[i] = m.y[r]!;
    asOf[i] = m.asOf[r]!;
    loanIds.push(m.loanIds[r]!);
  });
  return { ...m, X, y, asOf, loanIds, n: rows.length, dropped: 0 };
}
