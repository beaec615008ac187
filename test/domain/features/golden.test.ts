// Bit-identity with the engine as it was before the scan was optimised and split: models trained on
// the feature-set version depend on every value staying the same. The golden file holds its own
// inputs (sample loans, random histories, UCI Taiwan snapshots) and was generated once
// (golden/make-golden.ts); a difference here is a change of computation, not a stale fixture.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { computeFeatures, computeFeaturesInto, featureNames, featureSetVersion, FeatureConfig } from '../../../src/domain/features/index.js';
import { LoanHistory } from '../../../src/domain/history/schema.js';
import { GOLDEN_PATH, type GoldenFile } from './golden/golden-format.js';

const golden = JSON.parse(gunzipSync(readFileSync(GOLDEN_PATH)).toString('utf8')) as GoldenFile;
const config = FeatureConfig.parse(golden.config);
const names = featureNames(config);

function expected(base64: string): Float32Array {
  const bytes = Buffer.from(base64, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** Names and both values of every feature that differs (Object.is: -0 and NaN count too). */
function differences(got: Float32Array, want: Float32Array): string[] {
  const out: string[] = [];
  for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) out.push(`${names[i]}: ${got[i]} (golden ${want[i]})`);
  return out;
}

describe('golden feature vectors (pre-optimisation engine)', () => {
  it('keeps the feature-set version', () => {
    expect(featureSetVersion(config)).toBe(golden.featureSetVersion);
    expect(names.length).toBe(expected(golden.cases[0]!.values[0]!).length);
  });

  it('covers the sample, random histories and revolving statements', () => {
    const kinds = new Set(golden.cases.map((c) => c.source.split(':')[0]));
    expect([...kinds].sort()).toEqual(['random', 'sample', 'sample-duplicated', 'sample-reversed', 'uci-taiwan']);
  });

  it('computes every vector bit for bit as the golden file has it (per loan and batch forms)', () => {
    const d = names.length;
    const failures: string[] = [];
    let rows = 0;
    for (const c of golden.cases) {
      const history = LoanHistory.parse(c.history);
      const batch = new Float32Array(c.asOf.length * d);
      c.asOf.forEach((t, r) => computeFeaturesInto(batch, r * d, history, t, config));
      c.asOf.forEach((t, r) => {
        const want = expected(c.values[r]!);
        const perLoan = differences(computeFeatures(history, t, config), want);
        const inBatch = differences(batch.subarray(r * d, (r + 1) * d), want);
        if (perLoan.length > 0) failures.push(`${c.source} @ ${new Date(t).toISOString()}: ${perLoan.join('; ')}`);
        else if (inBatch.length > 0) failures.push(`${c.source} @ ${new Date(t).toISOString()} (batch): ${inBatch.join('; ')}`);
        rows++;
      });
    }
    expect(failures.slice(0, 10)).toEqual([]);
    expect(rows).toBeGreaterThan(500);
  });
});
