// Training and evaluation data: labelled snapshots read from NDJSON (bad lines reported, skipped),
// an optional fixed split file, and the feature matrix computed by the one feature engine.
import { readFile } from 'node:fs/promises';
import { computeFeatureMatrix, featureNames, featureSetVersion, type FeatureConfig } from '../domain/features/index.js';
import type { LabelledSnapshot, LoanHistory } from '../domain/history/schema.js';
import { describeProblems, parseSnapshot } from '../domain/history/validate.js';
import { NdjsonFile } from '../ndjson-file.js';
import { buildSnapshotSet, latestInstant, snapshotsToMatrix, splitByTime, type SnapshotStats } from '../scoring/training-set.js';

export interface Problem {
  readonly line: number;
  readonly message: string;
}

export interface SnapshotFile {
  readonly snapshots: LabelledSnapshot[];
  /** 0-based data-row index of each kept snapshot in the file (for split files). */
  readonly rowIndex: number[];
  readonly rows: number;
  readonly problems: Problem[];
}

/** Reads labelled snapshots; a line that is not JSON, breaks the contract or has no label is reported and skipped. */
export async function readSnapshots(file: string): Promise<SnapshotFile> {
  const snapshots: LabelledSnapshot[] = [];
  const rowIndex: number[] = [];
  const problems: Problem[] = [];
  let rows = 0;
  for await (const r of new NdjsonFile(file)) {
    const line = r.line;
    const row = rows++;
    if (!r.ok) {
      problems.push({ line, message: r.error });
      continue;
    }
    const parsed = parseSnapshot(r.value);
    if (!parsed.ok) {
      problems.push({ line, message: describeProblems(parsed.problems) });
      continue;
    }
    if (parsed.value.label === undefined) {
      problems.push({ line, message: 'label: expected 0 or 1 (a labelled snapshot)' });
      continue;
    }
    snapshots.push(parsed.value);
    rowIndex.push(row);
  }
  return { snapshots, rowIndex, rows, problems };
}

/** Reads a split file (`row_index,…,split` header; one line per data row): the split name of each row. */
export async function readSplit(file: string): Promise<string[]> {
  const lines = (await readFile(file, 'utf8')).split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines.shift() ?? '').split(',').map((h) => h.trim());
  const iRow = header.indexOf('row_index');
  const iSplit = header.indexOf('split');
  if (iRow < 0 || iSplit < 0) throw new Error(`${file}: expected a header with row_index and split columns, got "${header.join(',')}"`);
  const out: string[] = [];
  lines.forEach((l, k) => {
    const cells = l.split(',');
    const row = Number(cells[iRow]);
    const split = cells[iSplit]?.trim();
    if (!Number.isInteger(row) || row < 0 || split === undefined || split === '') throw new Error(`${file} line ${k + 2}: expected row_index and split, got "${l}"`);
    out[row] = split;
  });
  return out;
}

export interface Matrix {
  readonly x: Float32Array;
  readonly y: Uint8Array;
  readonly n: number;
  readonly d: number;
  readonly names: readonly string[];
  readonly version: string;
}

export function snapshotMatrix(snapshots: readonly LabelledSnapshot[], config: FeatureConfig): Matrix {
  const x = computeFeatureMatrix(snapshots.map((s) => s.history), snapshots.map((s) => Date.parse(s.asOf)), config);
  const names = featureNames(config);
  return { x, y: Uint8Array.from(snapshots, (s) => s.label ?? 0), n: snapshots.length, d: names.length, names, version: featureSetVersion(config) };
}

/** Rows of a matrix, by index. */
export function subset(m: Matrix, rows: readonly number[]): Matrix {
  const x = new Float32Array(rows.length * m.d);
  rows.forEach((r, k) => x.set(m.x.subarray(r * m.d, (r + 1) * m.d), k * m.d));
  return { ...m, x, y: Uint8Array.from(rows, (r) => m.y[r]!), n: rows.length };
}

const AGE_BANDS: ReadonlyArray<readonly [number, string]> = [[25, '<25'], [35, '25-34'], [45, '35-44'], [55, '45-54'], [Infinity, '55+']];

export function ageBand(age: number | undefined): string {
  if (age === undefined) return 'unknown';
  return AGE_BANDS.find(([hi]) => age < hi)![1];
}

/** Subgroup labels (occupation, age band) of each snapshot, for the model card. */
export function groupsOf(snapshots: readonly LabelledSnapshot[]): { occupation: string[]; ageBand: string[] } {
  return {
    occupation: snapshots.map((s) => s.history.borrower.occupation),
    ageBand: snapshots.map((s) => ageBand(s.history.borrower.age)),
  };
}

export interface TimeSplitDataset {
  readonly train: Matrix;
  readonly test: Matrix;
  readonly testSnapshots: LabelledSnapshot[];
  readonly stats: SnapshotStats;
  readonly cutoff: number;
  readonly embargoed: number;
  readonly observedUntil: number;
}

/** Weekly (or every N days) labelled snapshots from histories, features, and the time-based split. */
export function historiesDataset(histories: readonly LoanHistory[], config: FeatureConfig, options: { everyDays: number; horizonDays: number; observedUntil?: number; testFraction?: number }): TimeSplitDataset {
  const observedUntil = options.observedUntil ?? latestInstant(histories);
  const set = buildSnapshotSet(histories, { everyDays: options.everyDays, horizonDays: options.horizonDays, observedUntil });
  const m = snapshotsToMatrix(set.snapshots, config);
  const split = splitByTime(m.loanIds, m.asOf, { testFraction: options.testFraction ?? 0.2, horizonDays: options.horizonDays });
  const all: Matrix = { x: m.X, y: Uint8Array.from(m.y), n: m.n, d: m.d, names: m.featureNames, version: m.featureSetVersion };
  return {
    train: subset(all, Array.from(split.train)),
    test: subset(all, Array.from(split.test)),
    testSnapshots: Array.from(split.test, (r) => set.snapshots[r]!),
    stats: set.stats,
    cutoff: split.cutoff,
    embargoed: split.embargoed,
    observedUntil,
  };
}

/** Generator ground truth: the true PD of each (loanId, asOf) snapshot. */
export async function readGroundTruth(file: string): Promise<Map<string, number>> {
  const truth = new Map<string, number>();
  for await (const r of new NdjsonFile(file)) {
    if (!r.ok) throw new Error(`${file} line ${r.line}: ${r.error}`);
    const row = r.value as { loanId: string; snapshots: Array<{ asOf: string; pd: number }> };
    for (const s of row.snapshots) truth.set(`${row.loanId} ${s.asOf}`, s.pd);
  }
  return truth;
}
