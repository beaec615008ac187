// One score worker's job of a JSON batch (runBatchJob over 256 typical histories) in one thread: by default
// with the text reader against without it (READER=ab); with READER=1 or 0, parsed,
// validated and scored JOB_SLICE histories at a time against all 256 at once (the code before), interleaved
// in one run: CPU µs per loan (all threads, GC helpers included) and the main thread's GC pauses per loan.
// Run: npm run bench:batch-job   (ROUNDS, default 9 per variant)
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { loadDefaultScoring } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { JOB_SLICE, runBatchJob } from '../src/http/batch-job.js';
import { passTimer } from './support/timed-pass.js';
import { typicalBatchJobs } from './support/batch-jobs.js';
import { median } from './support/median.js';

const ROUNDS = Number(process.env.ROUNDS ?? 9);
const N = 2000;
const JOB = 256;
const { scorer } = await loadDefaultScoring(loadConfig({}));
const jobs = typicalBatchJobs(N, JOB);

const timed = passTimer();

async function pass(slice: number, readText: boolean): Promise<number> {
  let bytes = 0;
  for (const job of jobs) {
    const r = await runBatchJob(scorer, job, slice, readText);
    if (r.ok) bytes += r.results.byteLength;
  }
  return bytes;
}

// SLICES=4,16,64 compares more sizes; the first is the shipped one unless told otherwise.
// READER=0 leaves the text reader out (JSON.parse + the validator, the code before it) in every variant;
// READER=ab (the default) runs the shipped slice with and without it instead of comparing sizes.
const sizes = (process.env.SLICES ?? `${JOB_SLICE},${JOB}`).split(',').map(Number);
const reader = process.env.READER ?? 'ab';
const variants: Record<string, [number, boolean]> =
  reader === 'ab'
    ? { [`slice ${JOB_SLICE}, text reader`]: [JOB_SLICE, true], [`slice ${JOB_SLICE}, JSON.parse + validator`]: [JOB_SLICE, false] }
    : Object.fromEntries(sizes.map((n) => [n >= JOB ? `all ${JOB} at once` : `slice ${n}`, [n, reader !== '0']]));
const samples = new Map<string, Array<{ cpu: number; gc: number; bytes: number }>>(Object.keys(variants).map((k) => [k, []]));
for (const [slice, readText] of Object.values(variants)) for (let w = 0; w < 2; w++) await pass(slice, readText);
const loadBefore = loadavg()[0]!;
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, [slice, readText]] of Object.entries(variants)) {
    const t = await timed(() => pass(slice, readText));
    samples.get(name)!.push({ cpu: t.cpuMicros / N, gc: (t.gcMs * 1000) / N, bytes: t.result });
  }
}
const result = Object.fromEntries(
  [...samples].map(([name, xs]) => [name, { cpuMicrosPerLoan: Number(median(xs.map((x) => x.cpu)).toFixed(1)), gcPauseMicrosPerLoan: Number(median(xs.map((x) => x.gc)).toFixed(1)), replyBytes: xs[0]!.bytes }]),
);
const all = Object.values(result);
const [a, b] = [all[0]!, all[all.length - 1]!];
if (all.some((r) => r.replyBytes !== a.replyBytes)) throw new Error('the variants wrote different replies');
const out = { benchmark: 'one batch worker job, 256 typical histories (bench/batch-job.ts)', when: new Date().toISOString(), rounds: ROUNDS, load1: { before: loadBefore, after: loadavg()[0] }, result, cpuRatioFirstToLast: Number((a.cpuMicrosPerLoan / b.cpuMicrosPerLoan).toFixed(3)) };
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/batch-job.json', `${JSON.stringify(out, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
