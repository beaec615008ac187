// The bundled models: they load through the scoring path, tfjs and the plain forward pass agree
// within 1e-5, and the top reason is faithful on real feature vectors.
import { describe, expect, it } from 'vitest';
import { Decision } from '../../src/domain/decision/schema.js';
import { computeFeatures, FeatureConfig } from '../../src/domain/features/index.js';
import { readNetwork, readTfModel } from '../../src/model/artefact.js';
import { createFastModel } from '../../src/model/forward.js';
import { loadRiskModel } from '../../src/model/load.js';
import { normaliseRows } from '../../src/model/normalise.js';
import { loadTf } from '../../src/model/tf.js';
import { createScorer } from '../../src/scoring/feature-engine.js';
import { endOfDay, makeHistory } from '../support/history-factory.js';
import { defaultPolicy, defaultRuleSet } from '../support/rule-config.js';

const BUNDLED = ['models/default', 'models/uci-taiwan'];

function histories() {
  return [
    makeHistory(),
    makeHistory({ missedInstalments: 2 }),
    makeHistory({ missedInstalments: 4 }),
  ];
}

describe('models/default through the scoring path', () => {
  it('scores loans into valid decisions carrying the model version', async () => {
    const model = await loadRiskModel('models/default');
    const scorer = createScorer({ model, featureConfig: FeatureConfig.parse(model.manifest.featureConfig), ruleSet: defaultRuleSet(), policy: defaultPolicy() });
    for (const h of histories()) {
      const d = scorer.scoreOne(h, endOfDay('2025-06-30'));
      expect(Decision.safeParse(d).success).toBe(true);
      expect(d.versions.model).toContain(model.manifest.version.split('@')[1]!);
      expect(d.pd).toBeGreaterThanOrEqual(0);
      expect(d.pd).toBeLessThanOrEqual(1);
    }
  });
});

describe.each(BUNDLED)('%s', (dir) => {
  it('tfjs predictOnBatch and the plain forward pass agree within 1e-5 (log-odds and PD)', async () => {
    const model = await loadRiskModel(dir);
    const { network } = await readNetwork(dir);
    const { tf } = await loadTf();
    const tfModel = await readTfModel(tf, dir);
    const d = model.info.featureNames.length;
    const config = FeatureConfig.parse(model.manifest.featureConfig);
    // real vectors from factory histories plus perturbed copies around the training reference
    const rows: number[][] = histories().map((h) => Array.from(computeFeatures(h, endOfDay('2025-06-30'), config)));
    for (let k = 0; k < 200; k++) rows.push(model.manifest.reference.map((v, j) => v * (1 + ((k * 31 + j * 7) % 13) / 10) + ((k + j) % 3)));
    const x = Float32Array.from(rows.flat());
    const n = rows.length;
    const z = normaliseRows(model.manifest.normalisation, x, n, d);
    const out = tfModel.predictOnBatch(tf.tensor2d(z, [n, d])) as import('@tensorflow/tfjs').Tensor;
    const tfLogits = await out.data();
    out.dispose();
    const raw = createFastModel(network, model.manifest.normalisation, { method: 'none' }, model.manifest.reference);
    const viaTf = await (await loadRiskModel(dir, { batch: 'tfjs' })).predictBatch(x, n);
    let worstLogit = 0, worstPd = 0;
    for (let i = 0; i < n; i++) {
      const row = x.subarray(i * d, (i + 1) * d);
      worstLogit = Math.max(worstLogit, Math.abs(raw.rawLogit(row) - tfLogits[i]!));
      worstPd = Math.max(worstPd, Math.abs(model.predictOne(row) - viaTf[i]!));
    }
    expect(worstLogit).toBeLessThanOrEqual(1e-5);
    expect(worstPd).toBeLessThanOrEqual(1e-5);
  });

  it('moving the top reason to its reference value lowers the PD', async () => {
    const model = await loadRiskModel(dir);
    const d = model.info.featureNames.length;
    let checked = 0;
    for (let k = 0; k < 300; k++) {
      const row = Float32Array.from(model.manifest.reference, (v, j) => v * (1 + ((k * 17 + j * 5) % 11) / 5) + ((k * j) % 4));
      const pd = model.predictOne(row);
      const [top] = model.explain(row, 4);
      if (top === undefined) continue;
      const moved = row.slice();
      moved[top.feature] = model.manifest.reference[top.feature]!;
      expect(model.predictOne(moved)).toBeLessThan(pd);
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
    expect(d).toBe(model.manifest.featureNames.length);
  });
});
