// The legal review's evidence summary read without the full timeline (evidenceAt) must equal the one
// read from it (evidenceOf) whenever it answers, and answer for the usual in-order history.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evidenceAt, evidenceOf } from '../../../src/domain/decision/evidence.js';
import { buildLedger } from '../../../src/domain/history/ledger.js';
import type { LoanHistory } from '../../../src/domain/history/schema.js';
import { buildTimeline } from '../../../src/domain/history/timeline.js';
import { historyAtArb } from '../../support/history-arbitrary.js';
import { call, loan, pay, sh } from '../../support/rules-history.js';

const ms = (iso: string) => Date.parse(iso);
const inOrder = (h: LoanHistory): LoanHistory => ({ ...h, events: [...h.events].sort((a, b) => ms(a.at) - ms(b.at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) });
const full = (h: LoanHistory, asOf: number) => {
  const t = buildTimeline(h, asOf);
  return evidenceOf(t, buildLedger(t));
};

describe('evidenceAt', () => {
  it('equals evidenceOf over the full timeline whenever it answers, and answers for in-order histories without re-sent ids', () => {
    fc.assert(
      fc.property(historyAtArb({ maxEvents: 60 }), fc.boolean(), ({ history, asOf }, sorted) => {
        const h = sorted ? inOrder(history) : history;
        const direct = evidenceAt(h, asOf);
        const unique = new Set(h.events.map((e) => e.id)).size === h.events.length;
        if (sorted && unique) expect(direct).not.toBeNull();
        if (direct !== null) expect(JSON.stringify(direct)).toBe(JSON.stringify(full(h, asOf)));
      }),
      { numRuns: 400 },
    );
  });

  it('declines out-of-order events and re-sent ids', () => {
    const h = loan({ events: [pay('2025-02-01T09:00:00+08:00'), call('2025-03-01T10:00:00+08:00', 'refused')] });
    const asOf = sh('2025-06-02', '10:00');
    expect(evidenceAt(h, asOf)).toMatchObject({ refusals: 1, contactAttempts: 1, lastPaymentAt: '2025-02-01T09:00:00+08:00' });
    expect(evidenceAt({ ...h, events: [...h.events].reverse() }, asOf)).toBeNull();
    expect(evidenceAt({ ...h, events: [...h.events, { ...h.events[1]!, at: '2025-03-02T10:00:00+08:00' }] }, asOf)).toBeNull();
  });
});
