import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTfModel, toLayersArtefacts } from '../../src/model/artefact.js';
import { createFastModel } from '../../src/model/forward.js';
import { loadRiskModel } from '../../src/model/load.js';
import { evaluate } from '../../src/model/metrics.js';
import { normaliseRows } from '../../src/model/normalise.js';
import { saveModel, type Provenance } from '../../src/model/save.js';
import { loadTf } from '../../src/model/tf.js';
import { seededRng } from '../../src/model/rng.js';
import { LOGISTIC_DEFAULTS, MLP_DEFAULTS, stratifiedFolds, stratifiedSplit, trainMembers, trainModel, type TrainedModel } from '../../src/model/train.js';
import { makeSynthetic } from './support/synthetic.js';

const train = makeSynthetic(3000, 11);
const test = makeSynthetic(3000, 12);
const HP = { ...MLP_DEFAULTS, members: 2, maxEpochs: 40, hidden: [16] };
const names = Array.from({ length: train.d }, (_, j) => `f${j}`);
const provenance = (name: string): Provenance => ({
  name,
  featureSetVersion: 'fs-test-1',
  featureNames: names,
  featureConfig: { test: true },
  label: { definition: 'synthetic', horizonDays: 60 },
  trainingData: { source: 'synthetic', sha256: 'x', rows: train.n, positives: 0, split: 'none' },
  metrics: { validation: { auc: 0, logLoss: 0 } },
});

let mlp: TrainedModel;
let dir: string;

beforeAll(async () => {
  mlp = await trainModel(train.x, train.y, train.d, HP);
  dir = await mkdtemp(join(tmpdir(), 'ews-model-'));
  await saveModel(join(dir, 'm'), mlp, provenance('m'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('training', () => {
  it('gives byte-identical weights for the same seed, and different ones for another seed', async () => {
    const { tf } = await loadTf();
    const again = await trainModel(train.x, train.y, train.d, HP);
    const a = await toLayersArtefacts(tf, mlp.network);
    const b = await toLayersArtefacts(tf, again.network);
    expect(Buffer.from(b.weights).equals(Buffer.from(a.weights))).toBe(true);
    expect(again.calibration).toEqual(mlp.calibration);
    const other = await trainModel(train.x, train.y, train.d, { ...HP, seed: HP.seed + 1 });
    const c = await toLayersArtefacts(tf, other.network);
    expect(Buffer.from(c.weights).equals(Buffer.from(a.weights))).toBe(false);
  });

  it('learns the signal, is calibrated on unseen rows, and the MLP beats the logistic baseline on a non-linear target', async () => {
    const logistic = await trainModel(train.x, train.y, train.d, LOGISTIC_DEFAULTS);
    const pd = (m: TrainedModel) => createFastModel(m.network, m.normalisation, m.calibration, m.reference).pdBatch(test.x, test.n);
    const em = evaluate(pd(mlp), test.y, 20);
    const el = evaluate(pd(logistic), test.y, 20);
    const ceiling = evaluate(Float32Array.from(test.p), test.y, 20).auc;
    expect(em.auc).toBeGreaterThan(ceiling - 0.03);
    expect(em.auc).toBeGreaterThan(el.auc);
    expect(em.ece).toBeLessThan(0.04);
    expect(logistic.network.layers).toHaveLength(1);
  });

  it('normalises with statistics of the fit rows only (held-out rows do not move them)', async () => {
    const split = stratifiedSplit(train.y, [HP.validationFraction, HP.calibrationFraction], seededRng(HP.seed));
    const poisoned = train.x.slice();
    for (const r of [...split.validation, ...split.calibration]) poisoned[r * train.d] = 1e6;
    const again = await trainModel(poisoned, train.y, train.d, { ...HP, members: 1, maxEpochs: 1 });
    expect(again.normalisation.mean).toEqual(mlp.normalisation.mean);
    expect(again.normalisation.std).toEqual(mlp.normalisation.std);
    expect(split.fit.length + split.validation.length + split.calibration.length).toBe(train.n);
    expect(mlp.rows.fit).toBe(split.fit.length);
  });
});

describe('cross-fit calibration', () => {
  it('gives every training row an out-of-fold log-odds from the member that never fitted it, calibrates on all of them, and stays calibrated on unseen rows', async () => {
    const hp = { ...HP, calibrationData: 'cross-fit' as const, calibration: 'isotonic' as const, members: 3, maxEpochs: 12 };
    const parts = await trainMembers(train.x, train.y, train.d, hp);
    expect(parts.calLogits).toHaveLength(train.n);
    expect(Array.from(parts.calY)).toEqual(Array.from(train.y));
    expect(parts.rows.fit + parts.rows.validation).toBe(train.n);
    // a row's out-of-fold log-odds is one member's, never the merged network's (which has seen it)
    const merged = createFastModel(parts.network, parts.normalisation, { method: 'none' }, new Array(train.d).fill(0));
    let differs = 0;
    for (let i = 0; i < train.n; i += 10) if (Math.abs(merged.rawLogit(train.x.subarray(i * train.d, (i + 1) * train.d)) - parts.calLogits[i]!) > 1e-6) differs++;
    expect(differs).toBeGreaterThan(train.n / 10 - 5);
    const trained = await trainModel(train.x, train.y, train.d, hp);
    expect(trained.calibration.method).toBe('isotonic');
    expect(trained.heldOutPd).toHaveLength(train.n);
    const pd = createFastModel(trained.network, trained.normalisation, trained.calibration, trained.reference).pdBatch(test.x, test.n);
    expect(evaluate(pd, test.y, 20).ece).toBeLessThan(0.04);
    const again = await trainModel(train.x, train.y, train.d, hp);
    expect(again.calibration).toEqual(trained.calibration);
  });

  it('refuses cross-fit with a single member (no fold to hold out)', async () => {
    await expect(trainModel(train.x, train.y, train.d, { ...HP, calibrationData: 'cross-fit', members: 1 })).rejects.toThrow(/at least 2 members/);
  });

  it('assigns stratified folds: every fold holds its share of each class', () => {
    const folds = stratifiedFolds(train.y, 5, seededRng(3));
    for (let f = 0; f < 5; f++) {
      let n = 0, pos = 0, total = 0;
      for (let i = 0; i < train.n; i++) {
        total += train.y[i]!;
        if (folds[i] === f) {
          n++;
          pos += train.y[i]!;
        }
      }
      expect(Math.abs(n - train.n / 5)).toBeLessThanOrEqual(2);
      expect(Math.abs(pos - total / 5)).toBeLessThanOrEqual(1);
    }
  });
});

describe('artefacts and inference', () => {
  it('keeps tfjs predictOnBatch and the plain forward pass within 1e-5', async () => {
    const { tf } = await loadTf();
    const model = await readTfModel(tf, join(dir, 'm'));
    const z = normaliseRows(mlp.normalisation, test.x, test.n, test.d);
    const t = tf.tensor2d(z, [test.n, test.d]);
    const out = model.predictOnBatch(t) as import('@tensorflow/tfjs').Tensor;
    const tfLogits = await out.data();
    t.dispose();
    out.dispose();
    const fast = createFastModel(mlp.network, mlp.normalisation, { method: 'none' }, mlp.reference);
    let worst = 0;
    for (let i = 0; i < test.n; i++) worst = Math.max(worst, Math.abs(fast.rawLogit(test.x.subarray(i * test.d, (i + 1) * test.d)) - tfLogits[i]!));
    expect(worst).toBeLessThanOrEqual(1e-5);
  });

  it('loads through the RiskModel port; tfjs and plain batches agree with predictOne', async () => {
    const plain = await loadRiskModel(join(dir, 'm'), { featureSetVersion: () => 'fs-test-1' });
    const viaTf = await loadRiskModel(join(dir, 'm'), { featureSetVersion: () => 'fs-test-1', batch: 'tfjs' });
    const a = await plain.predictBatch(test.x, test.n);
    const b = await viaTf.predictBatch(test.x, test.n);
    expect(viaTf.info.backend).toMatch(/^tfjs-(wasm|cpu|tensorflow)$/);
    for (let i = 0; i < test.n; i += 97) {
      const one = plain.predictOne(test.x.subarray(i * test.d, (i + 1) * test.d));
      expect(Math.abs(a[i]! - one)).toBeLessThan(1e-6);
      expect(Math.abs(b[i]! - one)).toBeLessThan(1e-5);
    }
    expect(plain.manifest.version).toMatch(/^m@[0-9a-f]{12}$/);
    expect(plain.info.featureNames).toEqual(names);
  });

  it('refuses a model trained on another feature-set version, naming both versions', async () => {
    await expect(loadRiskModel(join(dir, 'm'), { featureSetVersion: () => 'fs-test-2' })).rejects.toThrow(/trained on feature set fs-test-1.*computes feature set fs-test-2/);
  });

  it('refuses a damaged artefact with a clear message', async () => {
    const broken = join(dir, 'broken');
    await saveModel(broken, mlp, provenance('broken'));
    const weights = await readFile(join(broken, 'weights.bin'));
    await writeFile(join(broken, 'weights.bin'), weights.subarray(0, 10));
    await expect(loadRiskModel(broken, { featureSetVersion: () => 'fs-test-1' })).rejects.toThrow(/weights.bin is shorter than its manifest/);
  });
});

describe('attribution', () => {
  it('is faithful: moving the top reason to its reference value lowers the PD by exactly its contribution', async () => {
    const model = await loadRiskModel(join(dir, 'm'), { featureSetVersion: () => 'fs-test-1' });
    let checked = 0;
    for (let i = 0; i < test.n && checked < 200; i++) {
      const row = test.x.slice(i * test.d, (i + 1) * test.d);
      const pd = model.predictOne(row);
      if (pd < 0.3) continue;
      const reasons = model.explain(row, 4);
      expect(reasons.length).toBeGreaterThan(0);
      expect(reasons.length).toBeLessThanOrEqual(4);
      for (let k = 1; k < reasons.length; k++) expect(reasons[k]!.contribution).toBeLessThanOrEqual(reasons[k - 1]!.contribution);
      const top = reasons[0]!;
      const moved = row.slice();
      moved[top.feature] = model.manifest.reference[top.feature]!;
      const after = model.predictOne(moved);
      expect(after).toBeLessThan(pd);
      const logit = (p: number) => Math.log(p / (1 - p));
      expect(logit(pd) - logit(after)).toBeCloseTo(top.contribution, 3);
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
  });
});
