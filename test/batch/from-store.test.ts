import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rescore } from '../../src/batch/rescore.js';
import { WHOLE } from '../../src/batch/shard.js';
import { LoanHistory } from '../../src/domain/history/schema.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { makeHistory } from './support/histories.js';
import { AS_OF, tempDir } from './support/run.js';

describe('rescore --from-store', () => {
  it('scores every stored loan, saves the decisions and raises alerts where the band rose', async () => {
    const dir = tempDir();
    const store = SqliteStore.open(join(dir, 'ews.db'));
    try {
      const behind = new Set([3, 9, 14, 22, 31]);
      for (let i = 0; i < 40; i++) store.putLoan(LoanHistory.parse(makeHistory(i, { missed: behind.has(i) ? 4 : 0 })), '2025-07-01T00:00:00Z');
      const base = { input: { kind: 'store' } as const, store, format: 'ndjson' as const, shard: WHOLE, chunkSize: 16, scorer: { kind: 'fixture' } as const, now: () => AS_OF };
      // Early on every loan is current or a few days late: all low.
      const first = await rescore({ ...base, asOf: Date.parse('2025-02-18T00:00:00Z'), out: join(dir, 'night1.ndjson'), workers: 0 });
      expect(first.counts.scored).toBe(40);
      expect(first.store).toEqual({ decisionsSaved: 40, alertsRaised: 0 });
      expect(store.latestDecision('L0000007')?.trigger).toBe('rescore');

      // Months later five loans are far behind: the run alerts on exactly those.
      const second = await rescore({ ...base, asOf: AS_OF, out: join(dir, 'night2.ndjson'), workers: 2 });
      expect(second.store).toEqual({ decisionsSaved: 40, alertsRaised: 5 });
      const alerts = store.listAlerts({ limit: 50 }).items;
      expect(alerts.map((a) => a.loanId).sort()).toEqual(['L0000003', 'L0000009', 'L0000014', 'L0000022', 'L0000031']);
      expect(alerts.every((a) => a.triggers.includes('band_rise') && a.previousBand === 'low')).toBe(true);
      expect(readFileSync(join(dir, 'night2.ndjson'), 'utf8').trim().split('\n')).toHaveLength(40);
    } finally {
      store.close();
    }
  });
});
