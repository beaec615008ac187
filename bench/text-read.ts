// What does the text reader (src/domain/history/text-read.ts) save? CPU µs per history, in one process,
// rounds interleaved, for: JSON.parse alone; JSON.parse + parseHistory (today's path from text); the
// text reader (parse and validation in one pass); and for the flat tables' three texts per loan,
// historyFromParts + parseHistory against readHistoryParts; and the byte mode (ASCII texts read through
// their UTF-8 bytes) against the text mode, for whole texts and parts. Inputs: typical service histories
// (12 instalments, ~24 events), the 50k bench portfolio's NDJSON lines, and the rescore's long ones (lines
// of the 200k bench portfolio with 60 events or more).
// CPU time (process.cpuUsage), fastest round kept (load only adds time); compare ratios within a run.
//
//   npm run bench:text-read [-- --rounds 9 --count 1000]
import { existsSync, mkdirSync, openSync, readSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { historyFromParts } from '../src/batch/history-sql.js';
import { historyTextReader, readHistoryAscii, readHistoryParts, readHistoryText, type HistoryTexts } from '../src/domain/history/text-history.js';
import { parseHistory } from '../src/domain/history/validate.js';
import { synthesiseHistories } from './support/typical-histories.js';

const REPLICATED = 'data/bench/replicated-50000-from-10000/histories.ndjson';
/** The rescore bench portfolio (npm run bench:rescore-stages -- --loans 200000 writes it): its long histories. */
const LONG = 'data/bench/origination-200000-seed-7/histories.ndjson';
const LONG_EVENTS = 60;
const OUT = 'bench/results/text-read.json';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const rounds = flag('rounds', 9);
const count = flag('count', 1000);

/** The first `n` lines of a file (with at least `minEvents` events), reading only its first megabytes; each line decoded on its own, as the NDJSON reader does. */
function firstLines(file: string, n: number, minEvents = 0): string[] {
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(64 << 20);
  const got = readSync(fd, buf, 0, buf.length, 0);
  const out: string[] = [];
  for (let start = 0, nl = buf.indexOf(10, 0); nl >= 0 && nl < got && out.length < n; start = nl + 1, nl = buf.indexOf(10, start)) {
    const line = buf.toString('utf8', start, nl);
    if (minEvents === 0 || line.split('"type":').length - 1 >= minEvents) out.push(line);
  }
  return out;
}

/**
 * A text as the adapters get it: decoded from bytes (HTTP bodies, NDJSON lines, DuckDB's strings). A
 * JSON.stringify result was read up to 1.3x slower by the reader (not so by JSON.parse): V8 builds such
 * strings in another representation, which charCodeAt then walks.
 */
const fromBytes = (text: string): string => Buffer.from(text, 'utf8').toString('utf8');

/** The three texts the flat tables' SQL gives per loan (history-sql.ts): the loan without schedule and events, and the two arrays' items. */
function partsOf(text: string): HistoryTexts {
  const { schedule, events, ...loan } = JSON.parse(text) as Record<string, unknown>;
  const array = (v: unknown): string | null => (Array.isArray(v) && v.length > 0 ? JSON.stringify(v).slice(1, -1) : null);
  const bytes = (v: string | null): string | null => (v === null ? null : fromBytes(v));
  return { loan: fromBytes(JSON.stringify(loan)), schedule: bytes(array(schedule)), events: bytes(array(events)) };
}

function measure(name: string, texts: string[]) {
  const parts = texts.map(partsOf);
  const bytes = texts.map((t) => Buffer.from(t, 'utf8'));
  const reader = historyTextReader()!;
  // Every history must be answered by the reader, or its figure would be the fallback's.
  const answered = texts.filter((t) => readHistoryText(t) !== undefined).length;
  const partsAnswered = parts.filter((p) => readHistoryParts(p) !== undefined).length;
  let sink = 0;
  const candidates: Record<string, (i: number) => void> = {
    'JSON.parse': (i) => { sink += (JSON.parse(texts[i]!) as { loanId: string }).loanId.length; },
    'JSON.parse + parseHistory': (i) => { sink += parseHistory(JSON.parse(texts[i]!)).ok ? 1 : 0; },
    'text reader': (i) => { sink += readHistoryText(texts[i]!) === undefined ? 0 : 1; },
    // The byte mode (ASCII texts): the bytes as the adapters have them (a body, an NDJSON line).
    'text reader, bytes': (i) => { sink += readHistoryAscii(texts[i]!, bytes[i]!) === undefined ? 0 : 1; },
    'historyFromParts + parseHistory': (i) => { sink += parseHistory(historyFromParts(parts[i]!)).ok ? 1 : 0; },
    'text reader, parts as text': (i) => { const p = parts[i]!; sink += reader.readParts(p.loan, [p.schedule, p.events]) === undefined ? 0 : 1; },
    // readHistoryParts: the texts encoded into scratch memory (included), then the byte mode.
    'text reader, parts': (i) => { sink += readHistoryParts(parts[i]!) === undefined ? 0 : 1; },
  };
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(candidates).map((k) => [k, []]));
  for (let round = 0; round <= rounds; round++) {
    for (const [key, fn] of Object.entries(candidates)) {
      const t0 = process.cpuUsage();
      for (let i = 0; i < texts.length; i++) fn(i);
      const cpu = process.cpuUsage(t0);
      if (round > 0) times[key]!.push((cpu.user + cpu.system) / texts.length); // round 0 warms up
    }
  }
  const us = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Number(Math.min(...v).toFixed(2))])) as Record<string, number>;
  const ratio = (a: string, b: string): number => Number((us[a]! / us[b]!).toFixed(2));
  const events = texts.reduce((s, t) => s + (JSON.parse(t) as { events: unknown[] }).events.length, 0) / texts.length;
  return {
    input: name,
    histories: texts.length,
    meanEvents: Number(events.toFixed(1)),
    meanBytes: Math.round(texts.reduce((s, t) => s + t.length, 0) / texts.length),
    answered,
    partsAnswered,
    cpuUsPerHistory: us,
    speedup: ratio('JSON.parse + parseHistory', 'text reader'),
    speedupParts: ratio('historyFromParts + parseHistory', 'text reader, parts'),
    /** The byte mode against the text mode, whole texts and parts (the parts' encoding included). */
    bytesSpeedup: ratio('text reader', 'text reader, bytes'),
    bytesSpeedupParts: ratio('text reader, parts as text', 'text reader, parts'),
    sink,
  };
}

const inputs: [string, string[]][] = [['typical', synthesiseHistories(count, 7).map((h) => fromBytes(JSON.stringify(h)))]];
if (existsSync(REPLICATED)) inputs.push(['replicated (50k bench NDJSON)', firstLines(REPLICATED, count)]);
if (existsSync(LONG)) inputs.push([`long (200k bench NDJSON, >= ${LONG_EVENTS} events)`, firstLines(LONG, count, LONG_EVENTS)]);
const load = loadavg()[0]!;
const results = inputs.map(([name, texts]) => measure(name, texts));
const report = { when: new Date().toISOString(), node: process.version, loadAverage1m: Number(load.toFixed(2)), rounds, results };
for (const r of results) {
  console.log(`${r.input}: ${r.histories} histories, ${r.meanEvents} events, ${r.meanBytes} B; answered ${r.answered}, parts ${r.partsAnswered}`);
  for (const [k, v] of Object.entries(r.cpuUsPerHistory)) console.log(`  ${k.padEnd(34)} ${v.toFixed(2)} µs`);
  console.log(`  speedup ${r.speedup}x (whole text), ${r.speedupParts}x (parts); byte mode ${r.bytesSpeedup}x (whole text), ${r.bytesSpeedupParts}x (parts)`);
}
console.log(`load average (1 min) at start: ${report.loadAverage1m}`);
mkdirSync('bench/results', { recursive: true });
writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`);
