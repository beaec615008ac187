// The point-in-time timeline against a plain oracle (filter, keep the first-recorded version of each id,
// sort by (at, id)): in-order input takes buildTimeline's no-sort path, shuffled input and re-sent ids
// the general one, and both must give the oracle's answer.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localDayOf } from '../../../src/domain/history/calendar.js';
import type { LoanEvent, LoanHistory } from '../../../src/domain/history/schema.js';
import { buildTimeline } from '../../../src/domain/history/timeline.js';
import { historyAtArb } from '../../support/history-arbitrary.js';

const ms = (iso: string) => Date.parse(iso);

function oracle(history: LoanHistory, asOf: number): Array<{ id: string; at: number; day: number; event: LoanEvent }> {
  const visible = history.events.filter((e) => ms(e.at) <= asOf && ms(e.recordedAt ?? e.at) <= asOf);
  const key = (e: LoanEvent) => [ms(e.recordedAt ?? e.at), ms(e.at), JSON.stringify(e)] as const;
  const first = new Map<string, LoanEvent>();
  for (const e of visible) {
    const prev = first.get(e.id);
    if (prev === undefined) first.set(e.id, e);
    else {
      const [a, b] = [key(e), key(prev)];
      if (a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && a[2] < b[2])))) first.set(e.id, e);
    }
  }
  return [...first.values()]
    .map((event) => ({ id: event.id, at: ms(event.at), day: localDayOf(ms(event.at), history.timeZone), event }))
    .sort((x, y) => x.at - y.at || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

const view = (history: LoanHistory, asOf: number) => {
  const t = buildTimeline(history, asOf);
  return { events: t.events.map((e) => ({ id: e.event.id, at: e.at, day: e.day, event: e.event })), schedule: t.schedule.map((s) => s.seq) };
};

const inInputOrder = (h: LoanHistory): LoanHistory => ({ ...h, events: [...h.events].sort((a, b) => ms(a.at) - ms(b.at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) });

describe('buildTimeline', () => {
  it('equals the oracle for events in (at, id) order, shuffled, and with re-sent ids recorded later or earlier', () => {
    fc.assert(
      fc.property(historyAtArb(), fc.integer({ min: 0, max: 2 }), fc.nat(), ({ history, asOf }, variant, seed) => {
        let h = inInputOrder(history);
        if (variant === 1) h = { ...h, events: [...h.events].reverse() };
        if (variant === 2 && h.events.length > 0) {
          const e = h.events[seed % h.events.length]!;
          const shift = (seed % 3) - 1; // a day earlier, the same time, a day later
          h = { ...h, events: [...h.events, { ...e, recordedAt: new Date(ms(e.recordedAt ?? e.at) + shift * 86_400_000).toISOString() } as LoanEvent] };
        }
        const got = view(h, asOf);
        expect(got.events).toEqual(oracle(h, asOf));
        const dueDays = got.schedule.map((seq) => h.schedule.find((s) => s.seq === seq)!.dueDate);
        expect(dueDays).toEqual([...dueDays].sort());
      }),
      { numRuns: 300 },
    );
  });

  it('an out-of-order schedule comes back sorted by due date', () => {
    fc.assert(
      fc.property(historyAtArb(), ({ history, asOf }) => {
        const reversed = { ...history, schedule: [...history.schedule].reverse() };
        expect(view(reversed, asOf).schedule).toEqual(view(history, asOf).schedule);
      }),
      { numRuns: 100 },
    );
  });
});
