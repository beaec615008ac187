// Profiling driver (not a benchmark): scoreMany over typical or long histories in a loop.
// node --cpu-prof tmp/bench-build/bench/prof-score.js [typical|long] [seconds]
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isActive } from '../src/batch/active.js';
import { loadDefaultScoring } from '../src/compose.js';
import { loadConfig } from '../src/config.js';
import type { LoanHistory } from '../src/domain/history/schema.js';
import { parseHistory } from '../src/domain/history/validate.js';
import { synthesiseHistories } from './support/typical-histories.js';

const which = process.argv[2] ?? 'typical';
const seconds = Number(process.argv[3] ?? 8);
const { scorer } = await loadDefaultScoring(loadConfig({}));
const parse = (raw: unknown): LoanHistory => {
  const p = parseHistory(raw);
  if (!p.ok) throw new Error('bad');
  return p.value;
};
let hs: LoanHistory[];
let asOf: number;
if (which === 'typical') {
  hs = synthesiseHistories(2000, 7).map((h) => parse(JSON.parse(JSON.stringify(h))));
  asOf = Date.parse('2026-11-29T09:00:00Z');
} else {
  asOf = Date.parse('2025-12-31T00:00:00Z');
  const lines = (await readFile(join('data', 'bench', 'replicated-50000-from-10000', 'histories.ndjson'), 'utf8')).split('\n', 20000);
  hs = [];
  for (const l of lines) if (l !== '' && hs.length < 2000) { const h = parse(JSON.parse(l)); if (isActive(h, asOf)) hs.push(h); }
}
const end = Date.now() + seconds * 1000;
let n = 0;
let bytes = 0;
while (Date.now() < end) {
  const ds = await scorer.scoreMany(hs, asOf);
  for (const d of ds) bytes += JSON.stringify(d).length;
  n += hs.length;
}
console.log(which, n, 'loans', bytes);
