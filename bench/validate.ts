// What does accepting a loan history cost? CPU µs per history, in one run, for: JSON.parse; zod's
// LoanHistory.safeParse (the reference); the validator compiled from the zod schema (fast-parse.ts); and end
// to end from JSON text, as the adapters do it: JSON.parse then zod, and JSON.parse then parseHistory
// (compiled validator, zod only when it is unsure); and, for the record, the same validator as a tree of
// closures instead of generated code (bench/support/closure-validator.ts, not used). Two inputs: typical synthetic histories (12 instalments, ~25 events)
// and the committed sample. Rounds are interleaved; CPU time (process.cpuUsage) and the fastest round are
// kept, since background load only ever adds time; ratios between candidates of one run are what to compare.
//
//   npm run bench:validate [-- --rounds 7 --count 2000]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { compileFastParse } from '../src/domain/history/fast-parse.js';
import { LoanHistory } from '../src/domain/history/schema.js';
import { parseHistory } from '../src/domain/history/validate.js';
import { closureValidator } from './support/closure-validator.js';
import { synthesiseHistories } from './support/typical-histories.js';
import { median } from './support/median.js';

const SAMPLE = 'data/sample/histories.ndjson.gz';
const OUT = 'bench/results/validate.json';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const rounds = flag('rounds', 15);
const count = flag('count', 1000);

interface Input {
  name: string;
  texts: string[];
}

function inputs(): Input[] {
  const typical = synthesiseHistories(count, 7).map((h) => JSON.stringify(h));
  const out: Input[] = [{ name: 'typical', texts: typical }];
  if (existsSync(SAMPLE)) {
    const lines = gunzipSync(readFileSync(SAMPLE)).toString('utf8').split('\n').filter((l) => l !== '');
    out.push({ name: 'sample', texts: lines.slice(0, count) });
  }
  return out;
}


function measure(input: Input) {
  const raws = input.texts.map((t) => JSON.parse(t) as unknown);
  const fast = compileFastParse(LoanHistory);
  // Every history must be answered by the fast path, or the figure would be zod's in disguise.
  const answered = raws.filter((r) => fast(r) !== undefined).length;
  const closures = closureValidator(LoanHistory);
  const closuresAgree = raws.every((r) => JSON.stringify(closures(r)) === JSON.stringify(LoanHistory.parse(r)));
  let sink = 0;
  const candidates: Record<string, (i: number) => void> = {
    'JSON.parse': (i) => { sink += (JSON.parse(input.texts[i]!) as { loanId: string }).loanId.length; },
    'zod safeParse': (i) => { sink += LoanHistory.safeParse(raws[i]).success ? 1 : 0; },
    'compiled validator': (i) => { sink += fast(raws[i]) === undefined ? 0 : 1; },
    'closure tree (not used)': (i) => { sink += closures(raws[i]) === undefined ? 0 : 1; },
    'JSON.parse + zod': (i) => { sink += LoanHistory.safeParse(JSON.parse(input.texts[i]!)).success ? 1 : 0; },
    'JSON.parse + parseHistory': (i) => { sink += parseHistory(JSON.parse(input.texts[i]!)).ok ? 1 : 0; },
  };
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(candidates).map((k) => [k, []]));
  for (let round = 0; round <= rounds; round++) {
    for (const [name, fn] of Object.entries(candidates)) {
      const t0 = process.cpuUsage();
      for (let i = 0; i < raws.length; i++) fn(i);
      const cpu = process.cpuUsage(t0);
      const us = (cpu.user + cpu.system) / raws.length;
      if (round > 0) times[name]!.push(us); // round 0 warms up
    }
  }
  const us = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Number(Math.min(...v).toFixed(2))])) as Record<string, number>;
  const usMedian = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Number(median(v).toFixed(2))]));
  const ratio = (a: string, b: string): number => Number((us[a]! / us[b]!).toFixed(2));
  const events = raws.reduce<number>((s, r) => s + (r as { events: unknown[] }).events.length, 0) / raws.length;
  const bytes = input.texts.reduce((s, t) => s + t.length, 0) / input.texts.length;
  return {
    input: input.name,
    histories: raws.length,
    answeredByFastPath: answered,
    closureTreeAnswersAsZod: closuresAgree,
    eventsPerHistory: Number(events.toFixed(1)),
    bytesPerHistory: Math.round(bytes),
    cpuUsPerHistoryFastestRound: us,
    cpuUsPerHistoryMedianRound: usMedian,
    zodOverCompiled: ratio('zod safeParse', 'compiled validator'),
    jsonParseOverCompiled: ratio('JSON.parse', 'compiled validator'),
    closureTreeOverCompiled: ratio('closure tree (not used)', 'compiled validator'),
    endToEndZodOverParseHistory: ratio('JSON.parse + zod', 'JSON.parse + parseHistory'),
    sink: sink > 0,
  };
}

const results = inputs().map(measure);
const report = { node: process.version, loadAverage1m: Number(loadavg()[0]!.toFixed(2)), rounds, results, at: new Date().toISOString() };
console.log(JSON.stringify(report, null, 2));
mkdirSync('bench/results', { recursive: true });
writeFileSync(OUT, `${JSON.stringify(report, null, 2)}\n`);
