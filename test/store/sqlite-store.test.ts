import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { contactEvent, makeHistory, paymentEvent } from '../support/histories.js';
import { testDecision } from '../support/test-scorer.js';

const AT = '2025-06-01T00:00:00.000Z';
const stores: SqliteStore[] = [];
const open = (path = ':memory:') => {
  const s = SqliteStore.open(path);
  stores.push(s);
  return s;
};
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

function newAlert(store: SqliteStore, loanId: string, band: 'watch' | 'high', step: 'reminder' | 'collector_call' = 'reminder') {
  return store.raiseAlert({
    loanId, decisionId: 1, createdAt: AT, triggers: ['band_rise'], band, previousBand: 'low', newRules: [], step, priority: 'normal', earliestContactAt: null,
  });
}

describe('SqliteStore', () => {
  it('migrates a file once and reopens it with the data intact', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ews-store-'));
    try {
      const path = join(dir, 'a.db');
      const first = open(path);
      first.putLoan(makeHistory({ loanId: 'L-9' }), AT);
      expect(first.db.pragma('journal_mode', { simple: true })).toBe('wal');
      first.close();
      const again = open(path);
      expect(again.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(again.getLoan('L-9')?.history.loanId).toBe('L-9');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('round-trips a loan history and bumps the revision on replace', () => {
    const store = open();
    const h = makeHistory({ due: 3, missed: 1 });
    const first = store.putLoan(h, AT);
    expect(first).toEqual({ revision: 1, created: true, events: ['accepted', 'accepted'] });
    expect(store.getLoan('L-1')?.history).toEqual(h);
    const second = store.putLoan(h, AT);
    expect(second).toEqual({ revision: 2, created: false, events: ['duplicate', 'duplicate'] });
    expect(store.getLoan('L-1')?.revision).toBe(2);
    expect(store.countLoans()).toBe(1);
    expect(store.getLoan('nope')).toBeNull();
  });

  it('appends events idempotently by id and reports a changed body as a conflict', () => {
    const store = open();
    store.putLoan(makeHistory(), AT);
    const e = paymentEvent('2025-02-10T10:00:00+08:00', 500, 'p-x');
    expect(store.appendEvent('L-1', e, AT)).toBe('accepted');
    expect(store.appendEvent('L-1', { ...e }, AT)).toBe('duplicate');
    // Same content, fields in another order: still a duplicate.
    expect(store.appendEvent('L-1', { amount: 500, type: 'payment', at: e.at, id: 'p-x' } as typeof e, AT)).toBe('duplicate');
    expect(store.appendEvent('L-1', { ...e, amount: 501 }, AT)).toBe('conflict');
    expect(store.getLoan('L-1')!.history.events).toHaveLength(1);
    // The same id on another loan is another event.
    store.putLoan(makeHistory({ loanId: 'L-2' }), AT);
    expect(store.appendEvent('L-2', e, AT)).toBe('accepted');
  });

  it('reconstructs a loan at an audit watermark', () => {
    const store = open();
    store.putLoan(makeHistory(), AT);
    store.appendEvent('L-1', contactEvent('2025-03-01T10:00:00+08:00', 'answered', 'c-a'), AT);
    const mark = store.getLoan('L-1')!;
    store.appendEvent('L-1', contactEvent('2025-03-02T10:00:00+08:00', 'refused', 'c-b'), AT);
    store.putLoan(makeHistory({ amountDue: 600 }), AT);
    const then = store.getLoanAt('L-1', mark.revision, mark.eventWatermark)!;
    expect(then.history).toEqual(mark.history);
    expect(then.history.events.map((e) => e.id)).toEqual(['c-a']);
    expect(store.getLoan('L-1')!.history.events.map((e) => e.id)).toEqual(['c-a', 'c-b']);
  });

  it('keeps the decision audit trail newest first with cursor paging', () => {
    const store = open();
    const h = makeHistory();
    store.putLoan(h, AT);
    const ids = [1, 2, 3, 4, 5].map((i) =>
      store.saveDecision({
        loanId: 'L-1', createdAt: AT, trigger: 'rescore', revision: 1, eventWatermark: i, fingerprint: `f${i}`, decision: testDecision(h, Date.parse(AT)),
      }).id,
    );
    expect(store.latestDecision('L-1')!.id).toBe(ids[4]);
    const p1 = store.decisions('L-1', undefined, 2);
    expect(p1.items.map((d) => d.id)).toEqual([ids[4], ids[3]]);
    const p2 = store.decisions('L-1', p1.nextCursor!, 2);
    const p3 = store.decisions('L-1', p2.nextCursor!, 2);
    expect([...p2.items, ...p3.items].map((d) => d.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(p3.nextCursor).toBeNull();
    expect(p3.items[0]!.decision).toEqual(testDecision(h, Date.parse(AT)));
  });

  it('stores a decision as TEXT, exactly JSON.stringify of it, Chinese texts included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ews-store-'));
    const path = join(dir, 'd.db');
    const store = open(path);
    const h = makeHistory();
    store.putLoan(h, AT);
    const decision = testDecision(h, Date.parse(AT));
    const { id } = store.saveDecision({ loanId: 'L-1', createdAt: AT, trigger: 'rescore', revision: 1, eventWatermark: 0, fingerprint: 'f', decision });
    const raw = new Database(path, { readonly: true });
    try {
      const row = raw.prepare('SELECT typeof(body) AS type, body FROM decisions WHERE id = ?').get(id) as { type: string; body: string };
      expect(row.type).toBe('text');
      expect(row.body).toBe(JSON.stringify(decision));
      expect(/[\u4e00-\u9fff]/.test(row.body)).toBe(true);
      expect(store.decisions('L-1', undefined, 1).items[0]!.decision).toEqual(decision);
    } finally {
      raw.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('filters and pages alerts, acknowledges and assigns them', () => {
    const store = open();
    const a1 = newAlert(store, 'L-1', 'watch');
    const a2 = newAlert(store, 'L-2', 'high', 'collector_call');
    const a3 = newAlert(store, 'L-3', 'high', 'collector_call');
    expect([a1.id, a2.id, a3.id]).toEqual([1, 2, 3]);
    expect(a1.status).toBe('open');
    expect(store.listAlerts({ band: 'high', limit: 10 }).items.map((a) => a.id)).toEqual([3, 2]);
    expect(store.listAlerts({ step: 'reminder', limit: 10 }).items.map((a) => a.id)).toEqual([1]);
    const page = store.listAlerts({ limit: 2 });
    expect(page.items.map((a) => a.id)).toEqual([3, 2]);
    expect(store.listAlerts({ limit: 2, before: page.nextCursor! }).items.map((a) => a.id)).toEqual([1]);

    const acked = store.acknowledge(2, 'key-ops', '2025-06-02T00:00:00.000Z')!;
    expect(acked).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'key-ops' });
    // Acknowledging again keeps the first acknowledgement.
    expect(store.acknowledge(2, 'key-other', '2025-06-03T00:00:00.000Z')).toMatchObject({ acknowledgedBy: 'key-ops', acknowledgedAt: '2025-06-02T00:00:00.000Z' });
    expect(store.assign(3, 'collector-7')!.assignee).toBe('collector-7');
    expect(store.listAlerts({ status: 'open', limit: 10 }).items.map((a) => a.id)).toEqual([3, 1]);
    expect(store.listAlerts({ assignee: 'collector-7', limit: 10 }).items.map((a) => a.id)).toEqual([3]);
    expect(store.acknowledge(99, 'x', AT)).toBeNull();
    expect(store.alertsAfter(1, 10).map((a) => a.id)).toEqual([2, 3]);
  });

  it('rolls a failed transaction back completely', () => {
    const store = open();
    expect(() =>
      store.transaction(() => {
        store.putLoan(makeHistory({ loanId: 'L-t' }), AT);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(store.hasLoan('L-t')).toBe(false);
    expect(store.ping()).toBe(true);
  });
});

describe('SqliteStore nested transactions', () => {
  it('rolls back an inner failure to its savepoint and keeps the outer work', () => {
    const store = open();
    store.transaction(() => {
      store.putLoan(makeHistory({ loanId: 'L-outer' }), AT);
      expect(() =>
        store.transaction(() => {
          store.putLoan(makeHistory({ loanId: 'L-inner' }), AT);
          throw new Error('inner');
        }),
      ).toThrow('inner');
      store.transaction(() => store.putLoan(makeHistory({ loanId: 'L-inner-2' }), AT));
    });
    expect([store.hasLoan('L-outer'), store.hasLoan('L-inner'), store.hasLoan('L-inner-2')]).toEqual([true, false, true]);
    expect(store.db.inTransaction).toBe(false);
  });
});

describe('SqliteStore loan cache', () => {
  it('sees events and revisions written by another connection to the same file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ews-cache-'));
    try {
      const path = join(dir, 'c.db');
      const a = open(path);
      const b = open(path);
      a.putLoan(makeHistory(), AT);
      expect(a.getLoan('L-1')!.history.events).toHaveLength(0);
      b.appendEvent('L-1', contactEvent('2025-03-01T10:00:00+08:00', 'answered', 'from-b'), AT);
      expect(a.getLoan('L-1')!.history.events.map((e) => e.id)).toEqual(['from-b']);
      b.putLoan(makeHistory({ amountDue: 777 }), AT);
      const seen = a.getLoan('L-1')!;
      expect(seen.revision).toBe(2);
      expect(seen.history.schedule[0]!.amountDue).toBe(777);
      expect(seen.history.events.map((e) => e.id)).toEqual(['from-b']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('forgets events of a rolled-back transaction', () => {
    const store = open();
    store.putLoan(makeHistory(), AT);
    expect(() =>
      store.transaction(() => {
        store.appendEvent('L-1', contactEvent('2025-03-01T10:00:00+08:00', 'answered', 'ghost'), AT);
        expect(store.getLoan('L-1')!.history.events.map((e) => e.id)).toEqual(['ghost']);
        throw new Error('abort');
      }),
    ).toThrow('abort');
    store.appendEvent('L-1', contactEvent('2025-03-02T10:00:00+08:00', 'answered', 'real'), AT);
    expect(store.getLoan('L-1')!.history.events.map((e) => e.id)).toEqual(['real']);
  });

  it('returns histories that later appends do not change', () => {
    const store = open();
    store.putLoan(makeHistory(), AT);
    const before = store.getLoan('L-1')!;
    store.appendEvent('L-1', contactEvent('2025-03-01T10:00:00+08:00', 'answered', 'later'), AT);
    store.getLoan('L-1');
    expect(before.history.events).toHaveLength(0);
  });
});

describe('SqliteStore history JSON and latest-decision cache', () => {
  it('hands out the JSON of each history exactly as JSON.stringify would write it', () => {
    const store = open();
    store.putLoan(makeHistory({ due: 3, missed: 1 }), AT);
    const check = (loan: ReturnType<SqliteStore['getLoan']>) => expect(loan!.historyJson).toBe(JSON.stringify(loan!.history));
    check(store.getLoan('L-1'));
    store.appendEvent('L-1', contactEvent('2025-03-01T10:00:00+08:00', 'refused', 'c-1'), AT);
    store.appendEvent('L-1', { ...paymentEvent('2025-03-02T10:00:00+08:00', 12.5, 'p-1'), recordedAt: '2025-03-03T10:00:00+08:00' }, AT);
    const mark = store.getLoan('L-1')!;
    check(mark);
    store.putLoan(makeHistory({ due: 3, amountDue: 610 }), AT);
    check(store.getLoan('L-1'));
    check(store.getLoanAt('L-1', mark.revision, mark.eventWatermark));
  });

  it('answers latestDecision from its cache only while no other writer saved a newer one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ews-latest-'));
    try {
      const path = join(dir, 'd.db');
      const a = open(path);
      const b = open(path);
      const h = makeHistory();
      a.putLoan(h, AT);
      a.getLoan('L-1');
      const save = (s: SqliteStore, i: number) =>
        s.saveDecision({ loanId: 'L-1', createdAt: AT, trigger: 'rescore', revision: 1, eventWatermark: i, fingerprint: `f${i}`, decision: testDecision(h, Date.parse(AT)) });
      const first = save(a, 1);
      expect(a.latestDecision('L-1')).toEqual(first);
      const second = save(b, 2);
      expect(a.latestDecision('L-1')).toEqual(second);
      // A rolled-back decision is forgotten with its transaction.
      expect(() =>
        a.transaction(() => {
          save(a, 3);
          throw new Error('abort');
        }),
      ).toThrow('abort');
      expect(a.latestDecision('L-1')).toEqual(second);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SqliteStore caches against a cache-less reader (property)', () => {
  it('keeps the latest decision right when one is saved right after a new revision, with no read between', () => {
    const store = open();
    const h = makeHistory();
    store.putLoan(h, AT);
    store.getLoan('L-1');
    const save = (i: number) => store.saveDecision({ loanId: 'L-1', createdAt: AT, trigger: 'rescore', revision: 1, eventWatermark: 0, fingerprint: `f${i}`, decision: testDecision(h, Date.parse(AT)) });
    save(1);
    store.putLoan(makeHistory({ amountDue: 611 }), AT);
    const second = save(2);
    expect(store.latestDecision('L-1')).toEqual(second);
  });

  it('hands out what a fresh connection reads, whatever two writers interleave', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ews-interleave-'));
    try {
      const path = join(dir, 'i.db');
      // One op: who writes (a or b), what (append an event, a new revision, a decision with or without reading
      // the loan first, a rolled-back append), to which loan.
      const op = fc.record({ writer: fc.constantFrom('a', 'b'), kind: fc.constantFrom('append', 'put', 'decide', 'decideBlind', 'abort'), loan: fc.constantFrom('L-1', 'L-2') });
      let run = 0;
      fc.assert(
        fc.property(fc.array(op, { minLength: 1, maxLength: 25 }), (ops) => {
          run++;
          const a = open(path);
          const b = open(path);
          const ids = ['L-1', 'L-2'].map((id) => `${id}-${run}`);
          for (const id of ids) a.putLoan(makeHistory({ loanId: id }), AT);
          ops.forEach((o, i) => {
            const s = o.writer === 'a' ? a : b;
            const loanId = `${o.loan}-${run}`;
            const event = contactEvent('2025-03-01T10:00:00+08:00', 'answered', `e${i}`);
            if (o.kind === 'append') s.transaction(() => s.appendEvent(loanId, event, AT));
            if (o.kind === 'put') s.putLoan(makeHistory({ loanId, amountDue: 500 + i }), AT);
            if (o.kind === 'decide') {
              const loan = s.getLoan(loanId)!;
              s.saveDecision({ loanId, createdAt: AT, trigger: 'rescore', revision: loan.revision, eventWatermark: loan.eventWatermark, fingerprint: `f${i}`, decision: testDecision(loan.history, Date.parse(AT)) });
            }
            if (o.kind === 'decideBlind') {
              s.saveDecision({ loanId, createdAt: AT, trigger: 'rescore', revision: 1, eventWatermark: 0, fingerprint: `b${i}`, decision: testDecision(makeHistory({ loanId }), Date.parse(AT)) });
            }
            if (o.kind === 'abort') {
              expect(() =>
                s.transaction(() => {
                  s.appendEvent(loanId, event, AT);
                  s.getLoan(loanId);
                  throw new Error('abort');
                }),
              ).toThrow('abort');
            }
            // Reads through a's caches, inside and outside a transaction, equal a cache-less connection's
            // (not right after a put, so that another write may follow a put with no read between).
            if (o.kind === 'put') return;
            const oracle = open(path);
            for (const id of ids) {
              const want = { loan: oracle.getLoan(id), decision: oracle.latestDecision(id) };
              expect({ loan: a.getLoan(id), decision: a.latestDecision(id) }).toEqual(want);
              expect(a.transaction(() => ({ loan: a.getLoan(id), decision: a.latestDecision(id) }))).toEqual(want);
              expect(a.hasLoan(id)).toBe(true);
            }
            oracle.close();
          });
          a.close();
          b.close();
        }),
        { numRuns: 30 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
