// The CLI's model loader: a model directory -> the RiskModel port plus the FeatureConfig it was
// trained with (so the scorer computes exactly the model's features).
import { FeatureConfig, featureSetVersion } from '../domain/features/index.js';
import { loadRiskModel } from '../model/load.js';
import type { ScoringModel } from './backtest-run.js';

export async function loadScoringModel(dir: string): Promise<ScoringModel> {
  const model = await loadRiskModel(dir, { featureSetVersion: (config) => featureSetVersion(FeatureConfig.parse(config ?? {})) });
  return { model, featureConfig: FeatureConfig.parse(model.manifest.featureConfig ?? {}) };
}
