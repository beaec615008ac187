// scoreMany on a model that offers predictRow (the bundled model on the plain pass) goes row by row;
// its decisions must be exactly those of the batch composition it replaces: prepare every loan, one
// predictBatch call, then finish each.
import { beforeAll, describe, expect, it } from 'vitest';
import { FeatureConfig } from '../../src/domain/features/index.js';
import type { LoanHistory } from '../../src/domain/history/schema.js';
import { loadRiskModel, type LoadedRiskModel } from '../../src/model/load.js';
import { pdToPoints } from '../../src/domain/decision/points.js';
import { clampPd, createScorerFrom } from '../../src/scoring/create-scorer.js';
import { createScorer, featureEngine } from '../../src/scoring/feature-engine.js';
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

  it('reuses one vector and row across loans, and a Prepared from prepare() keeps its own', async () => {
    const config = FeatureConfig.parse(model.manifest.featureConfig);
    const engine = featureEngine(config);
    const asOf = Date.parse(GOLDEN_AS_OF[3]);
    // vectorInto a dirty buffer writes what vector() returns.
    const dirty = new Float32Array(engine.names.length).fill(Number.NaN);
    for (const h of histories.slice(0, 200)) {
      engine.vectorInto!(h, asOf, dirty);
      expect(Array.from(dirty)).toEqual(Array.from(engine.vector(h, asOf)));
    }
    const scorer = createScorer({ model, featureConfig: config, ruleSet: defaultRuleSet(), policy: defaultPolicy() });
    const held = scorer.prepare(histories[0]!, asOf);
    const vector = Array.from(held.vector);
    const row = Array.from(held.row);
    scorer.scoreOne(histories[1]!, asOf);
    await scorer.scoreMany(histories.slice(2, 30), asOf);
    expect(Array.from(held.vector)).toEqual(vector);
    expect(Array.from(held.row)).toEqual(row);
    // And scoring in between does not change a loan's decision.
    expect(JSON.stringify(scorer.scoreOne(histories[5]!, asOf))).toBe(JSON.stringify(scorer.finish(scorer.prepare(histories[5]!, asOf), scorer.scoreOne(histories[5]!, asOf).pd)));
  });

  it('reads the evidence off the feature scan only while it holds that loan at that instant, and decides as without it', async () => {
    const config = FeatureConfig.parse(model.manifest.featureConfig);
    const engine = featureEngine(config);
    const asOf = Date.parse(GOLDEN_AS_OF[3]);
    const [a, b] = [histories[0]!, histories[1]!];
    engine.vector(a, asOf);
    expect(engine.evidence!(a, asOf)).toBeDefined();
    expect(engine.evidence!(a, asOf + 1)).toBeUndefined();
    expect(engine.evidence!({ ...a }, asOf)).toBeUndefined();
    engine.vector(b, asOf);
    expect(engine.evidence!(a, asOf)).toBeUndefined();
    // A scorer whose feature engine offers no evidence builds it from the timeline: the same decisions.
    const scorer = createScorer({ model, featureConfig: config, ruleSet: defaultRuleSet(), policy: defaultPolicy() });
    const { evidence: _unused, ...withoutEvidence } = engine;
    const plain = createScorerFrom({ model, features: withoutEvidence, ruleSet: defaultRuleSet(), policy: defaultPolicy(), points: pdToPoints });
    const decided = histories.map((h) => scorer.scoreOne(h, asOf));
    const reviews = decided.filter((d) => d.evidence !== null).length;
    expect(reviews).toBeGreaterThan(20);
    expect(decided.map((d) => JSON.stringify(d))).toEqual(histories.map((h) => JSON.stringify(plain.scoreOne(h, asOf))));
  });
});
