import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeDecisionLine } from '../../src/batch/decision-row.js';
import { Utf8Writer } from '../../src/domain/decision/utf8-writer.js';
import { rescore } from '../../src/batch/rescore.js';
import { psi } from '../../src/batch/psi.js';
import { binOf } from '../../src/batch/stats.js';
import { WHOLE } from '../../src/batch/shard.js';
import { Decision } from '../../src/domain/decision/schema.js';
import { binShares, psi as modelPsi } from '../../src/model/metrics.js';
import { makeHistory } from './support/histories.js';
import { writeEngineModel } from './support/engine-model.js';
import { AS_OF, tempDir, writeNdjson } from './support/run.js';

describe('engine scorer in the batch', () => {
  it('scores with the real pipeline (model, features, rules, policy) the same in-process and in 2 workers, with PSI', async () => {
    const dir = tempDir();
    await writeEngineModel(join(dir, 'model'));
    const input = writeNdjson(dir, 'in.ndjson', Array.from({ length: 300 }, (_, i) => makeHistory(i)));
    const scorer = { kind: 'engine', modelDir: join(dir, 'model'), rulesFile: 'config/rules/default.json', policyFile: 'config/policy/default.json' } as const;
    const base = { input: { kind: 'ndjson', files: [input] } as const, format: 'ndjson' as const, asOf: AS_OF, shard: WHOLE, chunkSize: 64, scorer };
    const one = await rescore({ ...base, out: join(dir, 'a.ndjson'), workers: 0 });
    const two = await rescore({ ...base, out: join(dir, 'b.ndjson'), workers: 2 });
    expect(readFileSync(join(dir, 'b.ndjson'), 'utf8')).toBe(readFileSync(join(dir, 'a.ndjson'), 'utf8'));
    const decisions = readFileSync(join(dir, 'a.ndjson'), 'utf8').trim().split('\n').map((l) => Decision.parse(JSON.parse(l)));
    expect(decisions).toHaveLength(300);
    // The output writes decisions with the decision serializers: byte for byte what JSON.stringify writes.
    const w = new Utf8Writer();
    for (const d of decisions) {
      w.reset();
      writeDecisionLine(w, d, 'ndjson');
      expect(w.toString()).toBe(`${JSON.stringify(d)}\n`);
    }
    expect(decisions[0]!.versions.model).toMatch(/^batch-test@/);
    expect(new Set(decisions.map((d) => d.band)).size).toBeGreaterThan(1);
    expect(one.versions).toEqual(two.versions);
    expect(one.psi.value).not.toBeNull();
    // The same PSI the model's own evaluation computes from the same PDs.
    const manifest = JSON.parse(readFileSync(join(dir, 'model', 'manifest.json'), 'utf8'));
    const expected = modelPsi(manifest.scoreDistribution.shares, binShares(decisions.map((d) => d.pd), manifest.scoreDistribution.edges));
    expect(one.psi.value!).toBeCloseTo(expected, 9);
    expect(one.psi.drift).toBe(one.psi.value! > 0.2);
  });

  it('bins PDs as the model does: (edge[b-1], edge[b]]', () => {
    const edges = [0.1, 0.2, 0.3];
    const values = [0, 0.1, 0.1000001, 0.2, 0.25, 0.3, 0.9];
    const counts = [0, 0, 0, 0];
    for (const v of values) counts[binOf(v, edges)]!++;
    expect(counts.map((c) => c / values.length)).toEqual(binShares(values, edges));
    expect(psi([0.25, 0.25, 0.25, 0.25], [5, 5, 5, 5])).toBeCloseTo(0, 12);
  });
});

describe('history validation in the batch hot path', () => {
  it('still rejects a bad time zone every time after the zone check is memoised, and accepts good ones', async () => {
    const { parseHistory } = await import('../../src/domain/history/validate.js');
    for (let i = 0; i < 3; i++) {
      const bad = parseHistory({ ...makeHistory(1), timeZone: 'Mars/Olympus_Mons' });
      expect(bad.ok).toBe(false);
      if (!bad.ok) expect(bad.problems).toEqual([{ path: 'timeZone', message: 'expected an IANA time zone, e.g. Asia/Shanghai' }]);
      expect(parseHistory({ ...makeHistory(1), timeZone: 'Europe/Berlin' }).ok).toBe(true);
    }
  });
});
