// Where does an ingested event's time go? Store read, scoring, fingerprint, writes: measured apart.
// Run: npm run bench:ingest (the bundled scorer from models/default; per-call µs on this machine now)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mustParseHistory } from '../src/domain/history/validate.js';
import { inputFingerprint } from '../src/scoring/fingerprint.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { loadDefaultScoring } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { makeHistoryInput } from '../test/support/histories.js';

const dir = mkdtempSync(join(tmpdir(), 'ews-prof-'));
const store = SqliteStore.open(join(dir, 'p.db'));
const { scorer } = await loadDefaultScoring(loadConfig({}));
const h = mustParseHistory(makeHistoryInput({ due: 4 }));
store.putLoan(h, new Date().toISOString());
for (let i = 0; i < 20; i++) store.appendEvent('L-1', { id: `c${i}`, type: 'contact', at: '2025-05-19T10:00:00+08:00', channel: 'call', direction: 'outbound', outcome: 'answered' }, 'x');
const N = 3000;
const time = (name: string, fn: () => void) => {
  const t0 = performance.now();
  for (let i = 0; i < N; i++) fn();
  console.log(name.padEnd(14), (((performance.now() - t0) * 1000) / N).toFixed(1), 'µs');
};
const loan = store.getLoan('L-1')!;
const d = scorer.scoreOne(loan.history, Date.now());
time('getLoan', () => store.getLoan('L-1'));
time('scoreOne', () => scorer.scoreOne(loan.history, Date.now()));
time('fingerprint', () => inputFingerprint(loan.history, Date.now()));
time('stringify', () => JSON.stringify(loan.history));
time('latestDecision', () => store.latestDecision('L-1'));
time('parseHistory', () => mustParseHistory(makeHistoryInput({ due: 4 })));
let k = 0;
time('save+commit', () => store.transaction(() => store.saveDecision({ loanId: 'L-1', createdAt: 'x', trigger: 'events', revision: 1, eventWatermark: k++, fingerprint: 'f', decision: d })));
store.close();
rmSync(dir, { recursive: true, force: true });
