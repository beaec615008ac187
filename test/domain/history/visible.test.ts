// VisibleWalk against a plain oracle: the visible events are those happened and recorded by asOf, and
// the walk reports (at, id) order exactly when the kept events' (at, id) keys strictly increase.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LoanEvent } from '../../../src/domain/history/schema.js';
import { VisibleWalk } from '../../../src/domain/history/visible.js';
import { historyAtArb } from '../../support/history-arbitrary.js';

const ms = (iso: string) => Date.parse(iso);
const visible = (e: LoanEvent, asOf: number) => ms(e.at) <= asOf && ms(e.recordedAt ?? e.at) <= asOf;
const inOrder = (events: readonly LoanEvent[]) => events.every((e, i) => i === 0 || ms(events[i - 1]!.at) < ms(e.at) || (ms(events[i - 1]!.at) === ms(e.at) && events[i - 1]!.id < e.id));

describe('VisibleWalk', () => {
  it('sees exactly the events happened and recorded by asOf, with their instants, and tracks the order of those kept (property)', () => {
    fc.assert(
      fc.property(historyAtArb(), fc.boolean(), fc.nat(), ({ history, asOf }, reverse, seed) => {
        const events = reverse ? [...history.events].reverse() : history.events;
        const walk = new VisibleWalk(asOf);
        const seen: LoanEvent[] = [];
        const kept: LoanEvent[] = [];
        let firstOutOfOrder = -1;
        events.forEach((event, i) => {
          if (!walk.sees(event.at, event.recordedAt)) return;
          seen.push(event);
          expect([walk.at, walk.recordedAt]).toEqual([ms(event.at), ms(event.recordedAt ?? event.at)]);
          // Keep some of them, as evidenceAt and contactStateAt keep only some types.
          if ((i + seed) % 3 === 0) return;
          kept.push(event);
          if (!walk.keep(event.id) && firstOutOfOrder < 0) firstOutOfOrder = kept.length - 1;
        });
        expect(seen).toEqual(events.filter((e) => visible(e, asOf)));
        expect(walk.ordered).toBe(inOrder(kept));
        // keep() says false from the first kept event out of order on.
        if (firstOutOfOrder >= 0) expect(inOrder(kept.slice(0, firstOutOfOrder + 1))).toBe(false);
        if (firstOutOfOrder > 0) expect(inOrder(kept.slice(0, firstOutOfOrder))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
