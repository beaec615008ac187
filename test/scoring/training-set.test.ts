import { describe, expect, it } from 'vitest';
import { featureCount, featureNames, computeFeatures } from '../../src/domain/features/index.js';
import { DAY_MS, parseInstant } from '../../src/domain/history/calendar.js';
import { buildSnapshotSet, latestInstant, snapshotsToMatrix, splitByTime, takeRows } from '../../src/scoring/training-set.js';
import { endOfDay, ev, makeHistory } from '../support/history-factory.js';

const good = makeHistory({ loanId: 'good', originationDate: '2025-01-01', paidThrough: '2025-12-31' });
const bad = makeHistory({ loanId: 'bad', originationDate: '2025-02-01', paidThrough: '2025-05-15', events: [ev.contact('2025-06-10', 'no_answer'), ev.referral('2025-08-20')] });
const late = makeHistory({ loanId: 'late', originationDate: '2025-09-01', paidThrough: '2025-12-31' });
const observedUntil = endOfDay('2025-12-31');

describe('snapshots on an as-of grid', () => {
  const { snapshots, stats } = buildSnapshotSet([good, bad, late], { everyDays: 7, horizonDays: 60, observedUntil });

  it('takes weekly end-of-day snapshots while active and labels referral-grade delinquency', () => {
    const badSnaps = snapshots.filter((s) => s.history.loanId === 'bad');
    // Referral on 08-20: snapshots from 06-21 on see it within 60 days; none after the referral.
    const positives = badSnaps.filter((s) => s.label === 1).map((s) => s.asOf.slice(0, 10));
    expect(positives[0]).toBe('2025-06-21');
    expect(badSnaps.every((s) => parseInstant(s.asOf) < endOfDay('2025-08-20'))).toBe(true);
    expect(badSnaps.filter((s) => s.label === 0).every((s) => parseInstant(s.asOf) + 60 * DAY_MS < endOfDay('2025-08-20'))).toBe(true);
    const days = badSnaps.map((s) => parseInstant(s.asOf));
    expect(days.slice(1).every((d, i) => d - days[i]! === 7 * DAY_MS)).toBe(true);
    expect(stats.positives).toBe(positives.length);
  });

  it('drops censored points instead of labelling them 0', () => {
    // The good loan is observed to 12-31: no snapshot after 11-01 (60 days before) can be labelled.
    const goodSnaps = snapshots.filter((s) => s.history.loanId === 'good');
    expect(goodSnaps.every((s) => s.label === 0)).toBe(true);
    expect(Math.max(...goodSnaps.map((s) => parseInstant(s.asOf)))).toBeLessThanOrEqual(observedUntil - 60 * DAY_MS);
    expect(stats.censored).toBeGreaterThan(0);
    expect(stats.snapshots).toBe(snapshots.length);
  });

  it('latestInstant gives the extraction time implied by the data', () => {
    expect(latestInstant([bad])).toBe(parseInstant(bad.events.find((e) => e.type === 'legal_referral')!.at));
  });

  it('turns snapshots into a matrix with the same features as scoring', () => {
    const m = snapshotsToMatrix(snapshots);
    expect(m.n).toBe(snapshots.length);
    expect(m.d).toBe(featureCount());
    expect(m.featureNames).toEqual(featureNames());
    const i = 5;
    expect(Array.from(m.X.subarray(i * m.d, (i + 1) * m.d))).toEqual(Array.from(computeFeatures(snapshots[i]!.history, parseInstant(snapshots[i]!.asOf))));
    expect(m.y.reduce((a, b) => a + b, 0)).toBe(stats.positives);
  });

  it('derives absent labels when told how far the data is observed, dropping censored ones', () => {
    const unlabelled = snapshots.map(({ label: _label, ...rest }) => rest);
    expect(() => snapshotsToMatrix(unlabelled)).toThrow(/label/);
    const m = snapshotsToMatrix(unlabelled, undefined, { observedUntil });
    expect(Array.from(m.y)).toEqual(snapshots.map((s) => s.label));
    const shorter = snapshotsToMatrix(unlabelled, undefined, { observedUntil: endOfDay('2025-08-01') });
    expect(shorter.dropped).toBeGreaterThan(0);
    expect(shorter.n + shorter.dropped).toBe(snapshots.length);
  });
});

describe('time-based split', () => {
  const { snapshots } = buildSnapshotSet([good, bad, late], { everyDays: 7, horizonDays: 60, observedUntil });
  const m = snapshotsToMatrix(snapshots);

  it('keeps every loan on one side, train earlier than test', () => {
    const split = splitByTime(m.loanIds, m.asOf, { cutoff: endOfDay('2025-08-31') });
    const trainLoans = new Set(Array.from(split.train, (i) => m.loanIds[i]));
    const testLoans = new Set(Array.from(split.test, (i) => m.loanIds[i]));
    expect([...testLoans]).toEqual(['late']);
    expect([...trainLoans].sort()).toEqual(['bad', 'good']);
    const lastTrain = Math.max(...Array.from(split.train, (i) => m.asOf[i]!));
    const firstTest = Math.min(...Array.from(split.test, (i) => m.asOf[i]!));
    expect(lastTrain + 60 * DAY_MS).toBeLessThanOrEqual(split.cutoff);
    expect(firstTest).toBeGreaterThanOrEqual(split.cutoff);
    expect(split.train.length + split.test.length + split.embargoed).toBe(m.n);
  });

  it('without embargo keeps all rows; by fraction picks the latest-starting loans', () => {
    const split = splitByTime(m.loanIds, m.asOf, { testFraction: 0.34, embargo: false });
    expect(split.train.length + split.test.length).toBe(m.n);
    expect(new Set(Array.from(split.test, (i) => m.loanIds[i]))).toEqual(new Set(['late']));
    const side = takeRows(m, split.test);
    expect(side.n).toBe(split.test.length);
    expect(Array.from(side.X.subarray(0, m.d))).toEqual(Array.from(m.X.subarray(split.test[0]! * m.d, (split.test[0]! + 1) * m.d)));
  });
});
