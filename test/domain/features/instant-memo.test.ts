// The feature scan and the contact guardrails take an event's instant from the text reader's memo
// (instant-memo.ts) only beside the very `at` string it was computed from: features and contact state of
// histories read in the byte mode equal those of the same histories parsed, also after an event is
// edited in place, and once the memo is evicted.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contactStateAt } from '../../../src/domain/decision/contact.js';
import { computeFeatures } from '../../../src/domain/features/index.js';
import { formatInstant, parseInstant } from '../../../src/domain/history/calendar.js';
import { eventInstantsOf, INSTANT_MEMOS } from '../../../src/domain/history/instant-memo.js';
import type { LoanEvent, LoanHistory } from '../../../src/domain/history/schema.js';
import { readHistoryAscii } from '../../../src/domain/history/text-history.js';
import { parseHistory } from '../../../src/domain/history/validate.js';
import { historyAtArb } from '../../support/history-arbitrary.js';

/** The history read from its JSON text in the byte mode (with a memo), and parsed (without one). */
function readBoth(history: LoanHistory): { read: LoanHistory; parsed: LoanHistory } {
  const text = JSON.stringify(history);
  const read = readHistoryAscii(text, Buffer.from(text, 'utf8'));
  const parsed = parseHistory(JSON.parse(text) as unknown);
  if (read === undefined || !parsed.ok) throw new Error('a valid ASCII history the reader did not answer');
  return { read, parsed: parsed.value };
}

const inAtIdOrder = (events: readonly LoanEvent[]): LoanEvent[] => [...events].sort((a, b) => parseInstant(a.at) - parseInstant(b.at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

const sameFeatures = (a: LoanHistory, b: LoanHistory, asOf: number): void => {
  expect(Array.from(computeFeatures(a, asOf))).toEqual(Array.from(computeFeatures(b, asOf)));
  expect(contactStateAt(a, asOf)).toEqual(contactStateAt(b, asOf));
};

describe('the reader\'s instants in the feature scan', () => {
  it('give the features of the parsed history, in and out of time order', () => {
    let remembered = 0;
    fc.assert(
      fc.property(historyAtArb({ maxEvents: 20 }), fc.boolean(), ({ history, asOf }, inOrder) => {
        const events = inOrder ? inAtIdOrder(history.events) : history.events;
        const { read, parsed } = readBoth({ ...history, events });
        if (eventInstantsOf(read.events) !== undefined) remembered++;
        sameFeatures(read, parsed, asOf);
      }),
      { numRuns: 300, seed: 20261130 },
    );
    expect(remembered).toBeGreaterThan(200);
  });

  it('are not taken for an event edited after the read, nor after the memo was let go', () => {
    fc.assert(
      fc.property(historyAtArb({ maxEvents: 20 }), fc.nat(), fc.integer({ min: -90, max: 90 }), ({ history, asOf }, at, days) => {
        fc.pre(history.events.length > 0);
        const { read, parsed } = readBoth(history);
        expect(eventInstantsOf(read.events)).toBeDefined();
        // The same edit to both: one event moved by some days (a new object, a new `at`), in place.
        const k = at % history.events.length;
        const moved = (e: LoanEvent): LoanEvent => ({ ...e, at: formatInstant(parseInstant(e.at) + days * 86_400_000, read.timeZone) });
        (read.events as LoanEvent[])[k] = moved(read.events[k]!);
        (parsed.events as LoanEvent[])[k] = moved(parsed.events[k]!);
        sameFeatures(read, parsed, asOf);
      }),
      { numRuns: 200, seed: 20261201 },
    );
    // Evicted: more histories read since than the memos kept.
    const { history, asOf } = fc.sample(historyAtArb({ maxEvents: 20 }), { numRuns: 50, seed: 7 }).find((s) => s.history.events.length >= 3)!;
    const { read, parsed } = readBoth(history);
    expect(eventInstantsOf(read.events)).toBeDefined();
    for (let i = 0; i < INSTANT_MEMOS; i++) readBoth(history);
    expect(eventInstantsOf(read.events)).toBeUndefined();
    sameFeatures(read, parsed, asOf);
  });

  it('are what the scan reads: instants planted after asOf hide every event', () => {
    const { history, asOf } = fc.sample(historyAtArb({ maxEvents: 20 }), { numRuns: 100, seed: 11 }).find(
      (s) => s.history.events.length >= 3 && Array.from(computeFeatures(s.history, s.asOf)).join() !== Array.from(computeFeatures({ ...s.history, events: [] }, s.asOf)).join(),
    )!;
    const none = Array.from(computeFeatures({ ...history, events: [] }, asOf));
    // In (at, id) order (the scan's single pass) and as drawn (its sorting path).
    for (const events of [inAtIdOrder(history.events), history.events]) {
      const { read } = readBoth({ ...history, events });
      const memo = eventInstantsOf(read.events)!;
      (memo.ms as number[]).fill(asOf + 1);
      expect(Array.from(computeFeatures(read, asOf))).toEqual(none);
    }
  });
});
