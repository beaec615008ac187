// How much does SQLite's synchronous level cost per acknowledged event? One write transaction per event
// (append + decision row), as POST /v1/events does, on a file in the working directory's file system.
// Run: npm run bench:store-sync
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BANDS, type Decision } from '../src/domain/decision/schema.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { mustParseHistory } from '../src/domain/history/validate.js';

const N = Number(process.env.N ?? 2000);
const dir = mkdtempSync(join(process.cwd(), '.bench-sync-'));

const history = mustParseHistory({
  loanId: 'L-1', borrowerId: 'B-1',
  contract: { originationDate: '2025-01-10', principal: 5000, instalmentCount: 12 },
  borrower: { occupation: 'factory' },
  schedule: Array.from({ length: 12 }, (_, i) => ({ seq: i + 1, dueDate: `2025-${String(i + 2).padStart(2, '0')}-10`.replace('2025-13', '2026-01'), amountDue: 450 })),
});
const decision: Decision = {
  loanId: 'L-1', asOf: '2025-05-20T12:00:00+08:00', horizonDays: 60, pd: 0.05, points: 640, band: BANDS[1], reasons: [], ruleHits: [],
  step: { action: 'none', channel: 'none', priority: 'low', earliestContactAt: null, en: '', zh: '' }, guardrails: [], evidence: null,
  versions: { model: 'm', featureSet: 'f', ruleSet: 'r', policy: 'p' },
};

function run(sync: 'normal' | 'full'): number {
  const store = SqliteStore.open(join(dir, `${sync}.db`), { synchronous: sync });
  store.putLoan(history, new Date().toISOString());
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    store.transaction(() => {
      store.appendEvent('L-1', { id: `e${i}`, type: 'contact', at: '2025-05-19T10:00:00+08:00', channel: 'call', direction: 'outbound', outcome: 'answered' }, '2025-05-20T00:00:00Z');
      store.saveDecision({ loanId: 'L-1', createdAt: '2025-05-20T00:00:00Z', trigger: 'events', revision: 1, eventWatermark: i, fingerprint: 'x'.repeat(64), decision });
    });
  }
  const perSec = N / ((performance.now() - t0) / 1000);
  store.close();
  return perSec;
}

try {
  const normal = run('normal');
  const full = run('full');
  const result = { n: N, transactionsPerSecond: { normal: Math.round(normal), full: Math.round(full) }, fullOverNormal: Number((full / normal).toFixed(3)) };
  console.log(JSON.stringify(result, null, 2));
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/store-sync.json', `${JSON.stringify({ ...result, at: new Date().toISOString() }, null, 2)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
