// scoreMany on a model that offers predictRow (the bundled model on the plain pass) goes row by row;
// its decisions must be exactly those of the batch composition it replaces: prepare every loan, one
// predictBatch call, then finish each.
import { beforeAll, describe, expect, it } from 'vitest';
import { FeatureConfig } from '../../src/domain/features/index.js';
import type { LoanHistory } from '../../src/domain/history/schema.js';
import { loadRiskModel, type LoadedRiskModel } from '../../src/model/load.js';
import { clampPd } from '../../src/scoring/create-scorer.js';
import { createScorer } from '../../src/scoring/feature-engine.js';
import { GOLDEN_AS_OF, goldenHistories } from '../support/decision-digest.js';
import { defaultPolicy, defaultRuleSet } from '../support/rule-config.js';

describe('scoreMany row by row (models/default, plain pass)', () => {
  let model: LoadedRiskModel;
  let histories: LoanHistory[];
  beforeAll(async () => {
    model = await loadRiskModel('models/default');
    // Every other loan of the sample (with its reversed, re-zoned and duplicated-event variants).
    histories = goldenHistories().filter((_, i) => i % 2 === 0);
  });

  it('the model offers predictRow, and scoreMany uses it, not predictBatch', async () => {
    expect(model.predictRow).toBeDefined();
    let batches = 0;
    const counted = { ...model, predictBatch: (rows: Float32Array, n: number) => (batches++, model.predictBatch(rows, n)) };
    const scorer = createScorer({ model: counted, featureConfig: FeatureConfig.parse(model.manifest.featureConfig), ruleSet: defaultRuleSet(), policy: defaultPolicy() });
    await scorer.scoreMany(histories.slice(0, 20), Date.parse(GOLDEN_AS_OF[3]));
    expect(batches).toBe(0);
  });

  it.each([GOLDEN_AS_OF[1], GOLDEN_AS_OF[3]])('decides exactly as prepare -> predictBatch -> finish at %s', async (iso) => {
    const scorer = createScorer({ model, featureConfig: FeatureConfig.parse(model.manifest.featureConfig), ruleSet: defaultRuleSet(), policy: defaultPolicy() });
    const asOf = Date.parse(iso);
    const rowByRow = await scorer.scoreMany(histories, asOf);
    const prepared = histories.map((h) => scorer.prepare(h, asOf));
    const pds = await scorer.predict(prepared);
    const batched = prepared.map((p, i) => scorer.finish(p, clampPd(pds[i]!)));
    expect(rowByRow.map((d) => JSON.stringify(d))).toEqual(batched.map((d) => JSON.stringify(d)));
    // The reasons come from the model too, so the explain path is covered.
    expect(rowByRow.filter((d) => d.reasons.some((r) => r.source === 'model')).length).toBeGreaterThan(histories.length / 4);
  });
});
