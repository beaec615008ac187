// The events path in process, without HTTP: CPU µs per ingested event through Servicing.ingestEventGroups
// (group commit as POST /v1/events uses it) at several group sizes, on the typical histories of
// bench:service (2,000 registered loans, one new event a request, spread over the loans).
// Run: npm run bench:events-ingest   (EVENTS=events per size, default 12000; ROUNDS, default 2; SIZES, default 1,4,10; interleaved)
// Figures: CPU µs per event of the main thread (/proc, Linux) and of the whole process. CPU time holds up
// on a loaded machine better than wall time; compare within one run.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDefaultScoring } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { createServicing, type EventItem } from '../src/scoring/servicing.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { threadCpu } from './support/thread-cpu.js';
import { synthesiseHistories } from './support/typical-histories.js';

const LOANS = 2000;
const EVENTS = Number(process.env.EVENTS ?? 12_000);
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const SIZES = (process.env.SIZES ?? '1,4,10').split(',').map(Number);

const dir = mkdtempSync(join(tmpdir(), 'ews-events-'));
// As the server opens it: checkpoints on their own thread.
const store = SqliteStore.open(join(dir, 'e.db'), { backgroundCheckpoints: true });
const { scorer } = await loadDefaultScoring(loadConfig({}));
let alerts = 0;
const servicing = createServicing({ store, scorer, now: Date.now, onAlert: () => alerts++ });
const histories = synthesiseHistories(LOANS, 7);
for (const h of histories) servicing.registerLoan(h);

let n = 0;
const outcomes = ['answered', 'no_answer', 'refused', 'busy'] as const;
function nextItem(): EventItem {
  n++;
  const loanId = histories[n % LOANS]!.loanId;
  const at = new Date().toISOString();
  const event = n % 3 === 0 ? { id: `ev-${n}`, type: 'payment' as const, at, amount: 10 } : { id: `ev-${n}`, type: 'contact' as const, at, channel: 'call' as const, outcome: outcomes[n % 4]! };
  return { loanId, event } as EventItem;
}

const mainThreadUs = () => threadCpu(process.pid).get(String(process.pid)) ?? 0;

/** CPU µs per event (main thread, whole process) for `count` events in groups of `size` single-event requests. */
function measure(size: number, count: number): { main: number; process: number } {
  const groups: EventItem[][][] = [];
  for (let i = 0; i < count; i += size) groups.push(Array.from({ length: size }, () => [nextItem()]));
  const t0 = process.cpuUsage();
  const m0 = mainThreadUs();
  for (const g of groups) {
    const out = servicing.ingestEventGroups(g);
    for (const r of out) if (r instanceof Error || r[0]!.status !== 'accepted') throw new Error(`not accepted: ${String(r instanceof Error ? r : r[0]!.status)}`);
  }
  const d = process.cpuUsage(t0);
  const n = groups.length * size;
  return { main: Number(((mainThreadUs() - m0) / n).toFixed(1)), process: Number(((d.user + d.system) / n).toFixed(1)) };
}

measure(4, 4000); // warm-up: JIT and the loan cache
const perSize: Record<string, Array<{ main: number; process: number }>> = {};
const loadAtStart = Number(loadavg()[0]!.toFixed(2));
for (let r = 0; r < ROUNDS; r++) for (const size of SIZES) (perSize[`group${size}`] ??= []).push(measure(size, EVENTS));
const result = { at: new Date().toISOString(), loadAtStart, eventsPerSize: EVENTS, rounds: ROUNDS, cpuMicrosPerEvent: perSize, alertsRaised: alerts };
console.log(JSON.stringify(result, null, 2));
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/events-ingest.json', `${JSON.stringify(result, null, 2)}\n`);
store.close();
rmSync(dir, { recursive: true, force: true });
