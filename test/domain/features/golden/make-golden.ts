// Writes features-golden.json.gz: feature vectors computed by the feature engine as it was BEFORE the
// scan was optimised and split (commit 6908cb8 on branch features), for the golden test to compare
// against bit for bit. Run it ONCE, from that code; never regenerate it to make a failing test pass
// (a real change of computation bumps ENGINE_REVISION and the feature-set version instead).
//
//   npx tsc -p tsconfig.json --noEmit false --outDir tmp/golden-build \
//     && TZ=UTC node tmp/golden-build/test/domain/features/golden/make-golden.js
//
// The inputs are stored beside the expected values, so the golden does not drift when the sample,
// the generator or the test arbitraries change: committed sample loans chosen to cover every event
// type (and some with their events reversed or duplicated: the sort-and-dedupe path), random
// histories from the fast-check arbitrary (several zones, late recordings, statements, duplicate
// ids), and UCI Taiwan revolving snapshots (statements). Values are Float32 bytes in base64.
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync, gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { parseTaiwanLine, taiwanRowToSnapshot } from '../../../../src/batch/import-uci-taiwan.js';
import { computeFeatures, featureSetVersion, FeatureConfig } from '../../../../src/domain/features/index.js';
import { parseInstant } from '../../../../src/domain/history/calendar.js';
import { LoanHistory, LabelledSnapshot } from '../../../../src/domain/history/schema.js';
import { historyAtArb } from '../../../support/history-arbitrary.js';
import { sharedFile } from '../../../support/shared-data.js';
import { GOLDEN_CONFIG, GOLDEN_PATH, type GoldenCase, type GoldenFile } from './golden-format.js';

const config = FeatureConfig.parse(GOLDEN_CONFIG);

function vectorBase64(history: LoanHistory, asOf: number): string {
  const v = computeFeatures(history, asOf, config);
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
}

/** Round-trip through JSON and the schema, exactly as the test will read it. */
function asStored(raw: unknown): LoanHistory {
  return LoanHistory.parse(JSON.parse(JSON.stringify(raw)));
}

function caseOf(source: string, raw: unknown, asOfs: readonly number[]): GoldenCase {
  const history = asStored(raw);
  return { source, history: JSON.parse(JSON.stringify(raw)) as unknown, asOf: [...asOfs], values: asOfs.map((t) => vectorBase64(history, t)) };
}

function sampleCases(): GoldenCase[] {
  const text = gunzipSync(readFileSync('data/sample/histories.ndjson.gz')).toString('utf8');
  const loans = text.split('\n').filter((l) => l.trim() !== '').map((l) => LoanHistory.parse(JSON.parse(l)));
  const picked = new Set<number>();
  for (let i = 0; i < 8; i++) picked.add(i);
  // The first three loans holding each event type, and the ones with the most events.
  const types = new Map<string, number>();
  loans.forEach((h, i) => {
    for (const t of new Set(h.events.map((e) => e.type))) {
      const seen = types.get(t) ?? 0;
      if (seen < 3) {
        picked.add(i);
        types.set(t, seen + 1);
      }
    }
  });
  [...loans.keys()].sort((a, b) => loans[b]!.events.length - loans[a]!.events.length).slice(0, 3).forEach((i) => picked.add(i));
  const global = ['2024-06-30T23:59:59+08:00', '2024-12-31T23:59:59+08:00', '2025-06-30T23:59:59+08:00'].map(parseInstant);
  const cases: GoldenCase[] = [];
  let k = 0;
  for (const i of [...picked].sort((a, b) => a - b)) {
    const h = loans[i]!;
    const origin = parseInstant(`${h.contract.originationDate}T23:59:59+08:00`);
    const asOfs = [origin, origin + 75 * 86_400_000, ...global];
    cases.push(caseOf(`sample:${h.loanId}`, h, asOfs));
    // Every fourth: events reversed (sort path); every seventh: two events duplicated (dedupe path).
    if (k % 4 === 0) cases.push(caseOf(`sample-reversed:${h.loanId}`, { ...h, events: [...h.events].reverse() }, asOfs));
    if (k % 7 === 0 && h.events.length > 3) {
      const dup = [h.events[1]!, h.events[Math.floor(h.events.length / 2)]!];
      cases.push(caseOf(`sample-duplicated:${h.loanId}`, { ...h, events: [...h.events, ...dup] }, asOfs));
    }
    k++;
  }
  return cases;
}

function randomCases(): GoldenCase[] {
  const draws = fc.sample(historyAtArb(), { numRuns: 120, seed: 20261129 });
  return draws.map(({ history, asOf }, i) => {
    const later = [asOf, asOf + 30 * 86_400_000, asOf - 20 * 86_400_000];
    return caseOf(`random:${i}`, history, later);
  });
}

function taiwanCases(): GoldenCase[] {
  const lines = readFileSync(sharedFile('data/uci-taiwan/UCI_Credit_Card.csv'), 'utf8').split('\n');
  const header = lines[0]!.split(',').map((h) => h.trim().replace(/^"|"$/g, ''));
  const asOfs = ['2005-06-30T23:59:59+08:00', '2005-08-15T12:00:00+08:00', '2005-09-30T23:59:59+08:00'].map(parseInstant);
  const cases: GoldenCase[] = [];
  for (let r = 1; r <= 40; r++) {
    const snapshot = LabelledSnapshot.parse(taiwanRowToSnapshot(parseTaiwanLine(header, lines[r]!)));
    cases.push(caseOf(`uci-taiwan:${snapshot.history.loanId}`, snapshot.history, asOfs));
  }
  return cases;
}

function main(): void {
  const cases = [...sampleCases(), ...randomCases(), ...taiwanCases()];
  const file: GoldenFile = {
    note: 'Generated once by test/domain/features/golden/make-golden.ts from the pre-optimisation scan (branch features, commit 6908cb8). Do not regenerate.',
    featureSetVersion: featureSetVersion(config),
    config: GOLDEN_CONFIG,
    cases,
  };
  writeFileSync(GOLDEN_PATH, gzipSync(JSON.stringify(file), { level: 9 }));
  const rows = cases.reduce((s, c) => s + c.asOf.length, 0);
  console.log(`${cases.length} histories, ${rows} vectors, version ${file.featureSetVersion} -> ${GOLDEN_PATH}`);
}

main();
