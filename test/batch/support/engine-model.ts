// A real model directory for engine-scorer tests: a logistic network over the full default feature
// set with hand-set weights (DPD and overdue counts raise the risk), saved by the model's own saver.
import { EMPTY_FEATURE_CONFIG, featureNames, featureSetVersion } from '../../../src/domain/features/index.js';
import { saveModel } from '../../../src/model/save.js';
import { MLP_DEFAULTS, type TrainedModel } from '../../../src/model/train.js';

export async function writeEngineModel(dir: string): Promise<void> {
  const names = featureNames(EMPTY_FEATURE_CONFIG);
  const d = names.length;
  const kernel = new Float32Array(d);
  names.forEach((n, i) => {
    if (n === 'dpd') kernel[i] = 0.06;
    else if (n === 'instalments_overdue') kernel[i] = 0.3;
  });
  const heldOutPd = Float32Array.from({ length: 1000 }, (_, i) => 0.01 + (0.9 * i) / 1000);
  const trained: TrainedModel = {
    network: { layers: [{ inputs: d, units: 1, activation: 'linear', kernel, bias: Float32Array.of(-3) }] },
    normalisation: { transform: names.map(() => 'none' as const), mean: names.map(() => 0), std: names.map(() => 1), clip: 1e6 },
    calibration: { method: 'none' },
    reference: names.map(() => 0),
    backend: 'test',
    hyperParams: { ...MLP_DEFAULTS, hidden: [] },
    epochs: [1],
    rows: { fit: 1, validation: 1, calibration: 1000 },
    validation: { auc: 0.5, logLoss: 0.7 },
    heldOutPd,
    heldOutLabels: new Uint8Array(1000),
  };
  await saveModel(dir, trained, {
    name: 'batch-test',
    featureSetVersion: featureSetVersion(EMPTY_FEATURE_CONFIG),
    featureNames: names,
    featureConfig: EMPTY_FEATURE_CONFIG,
    label: { definition: 'test', horizonDays: 60 },
    trainingData: { source: 'test', sha256: '0', rows: 1000, positives: 0, split: 'none' },
    metrics: { validation: { auc: 0.5, logLoss: 0.7 } },
  });
}
