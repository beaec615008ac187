// A before/after check for feature-engine changes that must not change a value: SHA-256 of the
// feature matrix of every loan of a sample at several as-of dates, with events as given and reversed
// (the sort-and-dedupe path). Run it on the old code and on the new one and compare the digests.
//
//   npm run bench:features-digest [-- --input data/sample/histories.ndjson.gz]
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { computeFeatureMatrix, FeatureConfig, featureSetVersion } from '../src/domain/features/index.js';
import { parseInstant } from '../src/domain/history/calendar.js';
import { LoanHistory } from '../src/domain/history/schema.js';

const AS_OF = ['2024-03-31T23:59:59+08:00', '2024-09-15T12:00:00+08:00', '2024-12-31T23:59:59+08:00', '2025-03-20T08:30:00+08:00', '2025-06-30T23:59:59+08:00'];
const CONFIG = FeatureConfig.parse({ numeric: [{ name: 'bureau_score' }], categorical: [] });

function main(): void {
  const flag = process.argv.indexOf('--input');
  const input = flag >= 0 ? process.argv[flag + 1]! : 'data/sample/histories.ndjson.gz';
  const bytes = readFileSync(input);
  const text = input.endsWith('.gz') ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  const loans = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const raw = JSON.parse(l) as Record<string, unknown>;
      return LoanHistory.parse('history' in raw ? raw.history : raw);
    });
  const reversed = loans.map((h) => ({ ...h, events: [...h.events].reverse() }));
  const digests: Record<string, string> = {};
  for (const iso of AS_OF) {
    const asOf = parseInstant(iso);
    for (const [name, set] of [['ordered', loans], ['reversed', reversed]] as const) {
      const m = computeFeatureMatrix(set, asOf, CONFIG);
      digests[`${iso} ${name}`] = createHash('sha256').update(new Uint8Array(m.buffer)).digest('hex').slice(0, 16);
    }
  }
  console.log(JSON.stringify({ input, loans: loans.length, featureSetVersion: featureSetVersion(CONFIG), digests }, null, 2));
}

main();
