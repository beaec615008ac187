// The point-in-time laws of issue 3, property-tested.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeFeatures, featureCount, featureNames } from '../../../src/domain/features/index.js';
import { FeatureConfig } from '../../../src/domain/features/feature-config.js';
import type { LoanEvent, LoanHistory } from '../../../src/domain/history/schema.js';
import { historyArb, historyAtArb } from '../../support/history-arbitrary.js';
import { endOfDay, makeHistory } from '../../support/history-factory.js';

const config = FeatureConfig.parse({ numeric: [{ name: 'bureau' }, { name: 'limit', missing: 0 }], categorical: [{ name: 'region', levels: ['north', 'south'] }] });
const RUNS = { numRuns: 250, seed: 7 };

function sameVector(a: Float32Array, b: Float32Array): void {
  const names = featureNames(config);
  const diffs: string[] = [];
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) diffs.push(`${names[i]}: ${a[i]} vs ${b[i]}`);
  expect(diffs).toEqual([]);
}

const withEvents = (h: LoanHistory, events: LoanEvent[]): LoanHistory => ({ ...h, events });

/** Events of another random history moved after asOf: by when they happened, or only by when they were recorded. */
function lateEventsArb(asOf: number): fc.Arbitrary<LoanEvent[]> {
  return fc.tuple(historyArb({ maxEvents: 15 }), fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 90 * 1440 })), { minLength: 15, maxLength: 15 })).map(([other, shifts]) =>
    other.events.map((e, i) => {
      const [byRecord, minutes] = shifts[i]!;
      const later = new Date(asOf + minutes * 60_000).toISOString();
      if (byRecord) return { ...e, at: new Date(Math.min(Date.parse(e.at), asOf)).toISOString(), recordedAt: later };
      const { recordedAt: _dropped, ...rest } = e;
      return { ...rest, at: later } as LoanEvent;
    }),
  );
}

describe('point-in-time laws', () => {
  it('appending events after asOf (by happened-at or recorded-at) never changes a feature', () => {
    fc.assert(
      fc.property(historyAtArb().chain(({ history, asOf }) => lateEventsArb(asOf).map((late) => ({ history, asOf, late }))), ({ history, asOf, late }) => {
        const before = computeFeatures(history, asOf, config);
        const after = computeFeatures(withEvents(history, [...history.events, ...late]), asOf, config);
        sameVector(before, after);
      }),
      RUNS,
    );
  });

  it('shuffling events and schedule never changes a feature', () => {
    fc.assert(
      fc.property(
        historyAtArb().chain(({ history, asOf }) =>
          fc
            .tuple(
              fc.shuffledSubarray(history.events, { minLength: history.events.length, maxLength: history.events.length }),
              fc.shuffledSubarray(history.schedule, { minLength: history.schedule.length, maxLength: history.schedule.length }),
            )
            .map(([events, schedule]) => ({ history, asOf, events, schedule })),
        ),
        ({ history, asOf, events, schedule }) => {
          sameVector(computeFeatures(history, asOf, config), computeFeatures({ ...history, events, schedule }, asOf, config));
        },
      ),
      RUNS,
    );
  });

  it('input already in time order (the fast path) gives the same vector as any other order', () => {
    fc.assert(
      fc.property(historyAtArb(), ({ history, asOf }) => {
        const inOrder = [...history.events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        sameVector(computeFeatures(history, asOf, config), computeFeatures(withEvents(history, inOrder), asOf, config));
        sameVector(computeFeatures(history, asOf, config), computeFeatures(withEvents(history, inOrder.reverse()), asOf, config));
      }),
      RUNS,
    );
  });

  it('a duplicate event id counts once', () => {
    fc.assert(
      fc.property(
        historyAtArb().chain(({ history, asOf }) =>
          fc.subarray(history.events).map((dups) => ({ history, asOf, dups })),
        ),
        ({ history, asOf, dups }) => {
          // Exact re-sends of events (same id and content), anywhere in the input.
          const doubled = [...dups, ...history.events, ...dups.map((e) => structuredClone(e))];
          sameVector(computeFeatures(history, asOf, config), computeFeatures(withEvents(history, doubled), asOf, config));
        },
      ),
      RUNS,
    );
  });

  it('a re-sent event with the same id counts once even when the copy says something else', () => {
    const base = makeHistory({ missedInstalments: 0, paidThrough: '2025-06-15' });
    const first = base.events[0]!;
    const copy = { ...first, amount: 999, recordedAt: new Date(Date.parse(first.at) + 3_600_000).toISOString() } as LoanEvent;
    const asOf = endOfDay('2025-06-15');
    sameVector(computeFeatures(base, asOf, config), computeFeatures(withEvents(base, [copy, ...base.events]), asOf, config));
  });

  it('an empty history (an application at origination) gives a valid, finite vector', () => {
    fc.assert(
      fc.property(historyArb({ maxEvents: 0 }), (history) => {
        const asOf = endOfDay(history.contract.originationDate, history.timeZone);
        const v = computeFeatures(history, asOf, config);
        expect(v.length).toBe(featureCount(config));
        expect(v.every(Number.isFinite)).toBe(true);
        const at = (name: string): number => v[featureNames(config).indexOf(name)]!;
        expect(at('dpd')).toBe(0);
        expect(at('loan_age_days')).toBe(0);
        expect(at('instalments_overdue')).toBe(0);
        expect(at('contact_attempts_30d')).toBe(0);
      }),
      { numRuns: 100, seed: 11 },
    );
  });

  it('every vector is finite for any history and as-of', () => {
    fc.assert(
      fc.property(historyAtArb(), ({ history, asOf }) => {
        expect(computeFeatures(history, asOf, config).every(Number.isFinite)).toBe(true);
      }),
      RUNS,
    );
  });
});
