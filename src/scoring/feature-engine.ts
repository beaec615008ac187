// The domain feature engine behind the scorer's FeatureVectorizer port, and createScorer() with
// the signature the adapters use: { model, featureConfig, ruleSet, policy }.
import { evidenceCountsOf } from '../domain/decision/evidence.js';
import { pdToPoints } from '../domain/decision/points.js';
import type { Policy } from '../domain/decision/policy.js';
import { computeFeatures, computeFeaturesInto, EMPTY_FEATURE_CONFIG, featureDefs, featureNames, featureSetVersion, scanHolding, type FeatureConfig } from '../domain/features/index.js';
import type { RuleSet } from '../domain/rules/schema.js';
import { createScorerFrom, type ScoringPipeline } from './create-scorer.js';
import type { FeatureDescription, FeatureVectorizer } from './features-port.js';
import type { RiskModel } from './ports.js';

export function featureEngine(config: FeatureConfig = EMPTY_FEATURE_CONFIG): FeatureVectorizer {
  const text = new Map<string, FeatureDescription>(featureDefs(config).map((d) => [d.name, { en: d.en, zh: d.zh }]));
  return {
    names: featureNames(config),
    version: featureSetVersion(config),
    vector: (history, asOf) => computeFeatures(history, asOf, config),
    // computeFeatures writes into a zeroed array: so does this.
    vectorInto: (history, asOf, out) => {
      out.fill(0);
      computeFeaturesInto(out, 0, history, asOf, config);
    },
    evidence: (history, asOf) => {
      const scan = scanHolding(history, asOf);
      return scan === undefined ? undefined : evidenceCountsOf(scan);
    },
    describe: (name) => text.get(name),
  };
}

export interface CreateScorerOptions {
  readonly model: RiskModel;
  readonly featureConfig?: FeatureConfig;
  readonly ruleSet: RuleSet;
  readonly policy: Policy;
}

export function createScorer(options: CreateScorerOptions): ScoringPipeline {
  return createScorerFrom({ model: options.model, features: featureEngine(options.featureConfig), ruleSet: options.ruleSet, policy: options.policy, points: (pd) => pdToPoints(pd) });
}
