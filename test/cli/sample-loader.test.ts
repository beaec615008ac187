import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSample } from '../../src/cli/sample-loader.js';
import { createServicing } from '../../src/scoring/servicing.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { makeHistoryInput } from '../support/histories.js';
import { createTestScorer } from '../support/test-scorer.js';

const dir = mkdtempSync(join(tmpdir(), 'ews-sample-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sample portfolio loader', () => {
  it('registers every valid history from gzip NDJSON, reports and skips bad lines', async () => {
    const lines = Array.from({ length: 700 }, (_, i) => JSON.stringify(makeHistoryInput({ loanId: `S-${i}`, due: 4, missed: i % 3 })));
    lines.splice(3, 0, '{"loanId": ', '');
    lines.splice(10, 0, JSON.stringify({ ...makeHistoryInput({ loanId: 'S-bad' }), currency: 'rmb' }));
    const file = join(dir, 'histories.ndjson.gz');
    writeFileSync(file, gzipSync(lines.join('\n')));
    const store = SqliteStore.open(':memory:');
    const servicing = createServicing({ store, scorer: createTestScorer(), now: () => Date.parse('2025-05-20T04:00:00Z') });
    const r = await loadSample(file, servicing, store);
    expect(r.loaded).toBe(700);
    expect(r.rejected).toBe(2);
    expect(r.problems[0]).toMatch(/^line 4: not JSON/);
    expect(r.problems[1]).toBe('line 11: currency: expected an ISO 4217 code, e.g. CNY');
    expect(store.countLoans()).toBe(700);
    expect(servicing.getLoan('S-699')!.decision!.trigger).toBe('register');
    expect(store.listAlerts({ limit: 1000 }).items.length).toBeGreaterThan(0);
    store.close();
  });
});
