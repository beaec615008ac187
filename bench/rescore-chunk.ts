// One rescore chunk stage (processChunk: JSON.parse, validation, scoring, encoding) in one thread over
// active loans of the 50k bench portfolio, with several scoreMany batch sizes interleaved in one run:
// CPU µs per loan (all threads, GC helpers included) and the main thread's GC pauses per loan.
// Run: npm run bench:rescore-chunk   (SIZES, default "SCORE_BATCH,1024"; ROUNDS, default 3; LOANS, default 8192)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { isActive } from '../src/batch/active.js';
import { processChunk, SCORE_BATCH, type RawRecord } from '../src/batch/chunk.js';
import { loadDefaultScoring } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import { passTimer } from './support/timed-pass.js';
import { ensurePortfolio } from './support/write-portfolio.js';
import { median } from './support/median.js';

const SIZES = (process.env.SIZES ?? `${SCORE_BATCH},1024`).split(',').map(Number);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const LOANS = Number(process.env.LOANS ?? 8192);
const CHUNK = 4096;
const asOf = Date.parse('2025-12-31T00:00:00Z');

const files = await ensurePortfolio(join(process.cwd(), 'data', 'bench'), 50_000, 10_000, (s) => process.stderr.write(`${s}\n`));
const { scorer } = await loadDefaultScoring(loadConfig({}));
// Fresh strings of the active loans only (as the Parquet reader hands them over); the file's text let go.
const lines: string[] = [];
for (const line of readFileSync(files.ndjson, 'utf8').split('\n')) {
  if (lines.length >= LOANS) break;
  if (line.length > 0 && isActive(JSON.parse(line), asOf)) lines.push(Buffer.from(line).toString('utf8'));
}
const chunks: RawRecord[][] = [];
for (let i = 0; i < lines.length; i += CHUNK) chunks.push(lines.slice(i, i + CHUNK).map((text, k) => ({ position: `histories.ndjson:${i + k + 1}`, text })));

const timed = passTimer();

async function pass(scoreBatch: number): Promise<number> {
  let bytes = 0;
  for (let i = 0; i < chunks.length; i++) bytes += (await processChunk(i, chunks[i]!, { scorer, asOf, shard: { index: 0, count: 1 }, format: 'parquet', referenceEdges: [], scoreBatch })).output.length;
  return bytes;
}

for (const size of SIZES) await pass(size);
const loadBefore = loadavg()[0]!;
const samples = new Map<number, Array<{ cpu: number; gc: number; bytes: number }>>(SIZES.map((s) => [s, []]));
for (let r = 0; r < ROUNDS; r++) {
  for (const size of SIZES) {
    const t = await timed(() => pass(size));
    samples.get(size)!.push({ cpu: t.cpuMicros / lines.length, gc: (t.gcMs * 1000) / lines.length, bytes: t.result });
  }
}
const result = Object.fromEntries(
  [...samples].map(([size, xs]) => [`scoreBatch ${size}`, { cpuMicrosPerLoan: Number(median(xs.map((x) => x.cpu)).toFixed(1)), gcPauseMicrosPerLoan: Number(median(xs.map((x) => x.gc)).toFixed(1)), outputChars: xs[0]!.bytes }]),
);
if (new Set(Object.values(result).map((r) => r.outputChars)).size !== 1) throw new Error('the batch sizes wrote different output');
const out = { benchmark: 'one rescore chunk stage, active loans of the 50k bench portfolio (bench/rescore-chunk.ts)', when: new Date().toISOString(), loans: lines.length, rounds: ROUNDS, load1: { before: loadBefore, after: loadavg()[0] }, result };
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/rescore-chunk.json', `${JSON.stringify(out, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
