// The train use case end to end: a feature matrix with train/test rows -> the chosen model and the
// logistic baseline, both evaluated, the chosen one saved with manifest and model card.
import { join } from 'node:path';
import type { FeatureConfig } from '../domain/features/index.js';
import { renderModelCard, type CardText } from './card.js';
import type { Matrix } from './dataset.js';
import { evaluateScores, headline, type Evaluation } from './evaluation.js';
import { createFastModel } from './forward.js';
import type { Manifest } from './manifest.js';
import { auc, evaluate } from './metrics.js';
import { buildArtefacts } from './save.js';
import { writeModelDir } from './artefact.js';
import { LOGISTIC_DEFAULTS, MLP_DEFAULTS, trainModel, type HyperParams, type TrainedModel, type TrainLog } from './train.js';

export interface TrainRequest {
  readonly name: string;
  readonly out: string;
  readonly train: Matrix;
  /** Test rows (never used for fitting or choices); absent when there is no split. */
  readonly test?: Matrix;
  readonly testGroups?: { occupation: string[]; ageBand: string[] };
  readonly featureConfig: FeatureConfig;
  readonly architecture: 'mlp' | 'logistic';
  readonly hyperParams?: Partial<HyperParams>;
  readonly baseline: boolean;
  readonly label: Manifest['label'];
  readonly source: string;
  readonly sha256: string;
  readonly split: string;
  readonly card?: CardText;
  /** True probabilities of the test rows (NaN where unknown), for the ceiling AUC. */
  readonly testTruth?: { readonly pd: Float64Array; readonly source: string };
}

export interface TrainOutcome {
  readonly manifest: Manifest;
  readonly baseline?: Manifest['metrics']['baseline'];
  readonly evaluation?: Evaluation;
}

function pdOf(m: TrainedModel, x: Matrix): Float32Array {
  return createFastModel(m.network, m.normalisation, m.calibration, m.reference).pdBatch(x.x, x.n);
}

export async function trainAndSave(req: TrainRequest, log: TrainLog): Promise<TrainOutcome> {
  const base = req.architecture === 'logistic' ? LOGISTIC_DEFAULTS : MLP_DEFAULTS;
  const hp: HyperParams = { ...base, ...req.hyperParams, ...(req.architecture === 'logistic' ? { hidden: [], members: 1 } : {}) };
  log(`training ${req.architecture} on ${req.train.n} rows × ${req.train.d} features`);
  const trained = await trainModel(req.train.x, req.train.y, req.train.d, hp, log);
  const heldOut = headline(evaluate(trained.heldOutPd, trained.heldOutLabels));
  const testPd = req.test ? pdOf(trained, req.test) : undefined;
  const test = req.test && testPd ? headline(evaluate(testPd, req.test.y)) : undefined;
  let baseline: Manifest['metrics']['baseline'];
  if (req.baseline && req.architecture !== 'logistic') {
    log('training the logistic baseline');
    const lr = await trainModel(req.train.x, req.train.y, req.train.d, { ...LOGISTIC_DEFAULTS, seed: hp.seed }, log);
    baseline = {
      name: 'logistic',
      heldOut: headline(evaluate(lr.heldOutPd, lr.heldOutLabels)),
      ...(req.test ? { test: headline(evaluate(pdOf(lr, req.test), req.test.y)) } : {}),
    };
  }
  let positives = 0;
  for (const v of req.train.y) positives += v;
  let ceiling: Manifest['metrics']['ceiling'];
  if (req.test && req.testTruth) {
    const rows = Array.from(req.testTruth.pd.keys()).filter((i) => !Number.isNaN(req.testTruth!.pd[i]!));
    ceiling = { auc: auc(req.testTruth.pd, req.test.y, rows), modelAuc: auc(testPd!, req.test.y, rows), n: rows.length, source: req.testTruth.source };
  }
  const files = await buildArtefacts(trained, {
    name: req.name,
    featureSetVersion: req.train.version,
    featureNames: req.train.names,
    featureConfig: req.featureConfig,
    label: req.label,
    trainingData: { source: req.source, sha256: req.sha256, rows: req.train.n, positives, split: req.split },
    metrics: { validation: trained.validation, heldOut, ...(test ? { test } : {}), ...(baseline ? { baseline } : {}), ...(ceiling ? { ceiling } : {}) },
  });
  const evaluation = req.test && req.testGroups ? evaluateScores(testPd!, req.test.y, req.testGroups, files.manifest) : undefined;
  const card = renderModelCard(files.manifest, evaluation, 'test rows', req.card);
  await writeModelDir(req.out, { ...files, card });
  log(`wrote ${join(req.out, 'manifest.json')} (${files.manifest.version})`);
  return { manifest: files.manifest, ...(baseline ? { baseline } : {}), ...(evaluation ? { evaluation } : {}) };
}
