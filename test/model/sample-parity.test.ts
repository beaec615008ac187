// The shipped default model on the committed sample's real feature vectors: the folded paths (plain
// forward pass, single row and batch; tfjs batch over raw inputs) give the PDs of the textbook
// unfolded computation (standardise every feature, dense layers in float64, calibrate) to float
// rounding: <= 1e-6.
import { describe, expect, it } from 'vitest';
import { computeFeatureMatrix, FeatureConfig } from '../../src/domain/features/index.js';
import { readHistories } from '../../src/history-files.js';
import { readNetwork } from '../../src/model/artefact.js';
import { calibratedPd } from '../../src/model/calibration.js';
import { loadRiskModel } from '../../src/model/load.js';
import type { Network } from '../../src/model/network.js';
import { normaliseValue, type Normalisation } from '../../src/model/normalise.js';

function textbookLogit(net: Network, norm: Normalisation, row: Float32Array): number {
  let act = Float64Array.from(row, (v, j) => normaliseValue(norm, j, v));
  for (const l of net.layers) {
    const next = Float64Array.from(l.bias);
    for (let i = 0; i < l.inputs; i++) for (let u = 0; u < l.units; u++) next[u] = next[u]! + act[i]! * l.kernel[i * l.units + u]!;
    act = l.activation === 'relu' ? next.map((v) => Math.max(0, v)) : next;
  }
  return act[0]!;
}

describe('models/default on the committed sample', () => {
  it('folded plain and tfjs PDs = unfolded PDs within 1e-6 (10,000 real feature vectors)', async () => {
    const dir = 'models/default';
    const plain = await loadRiskModel(dir);
    const viaTf = await loadRiskModel(dir, { batch: 'tfjs' });
    const { network } = await readNetwork(dir);
    const { histories } = await readHistories('data/sample/histories.ndjson.gz');
    expect(histories.length).toBe(5000);
    // two as-of dates per loan: early in its life and two months on
    const picked = [...histories, ...histories];
    const asOf = picked.map((h, i) => Date.parse(h.schedule[0]?.dueDate ?? h.contract.originationDate) + (i < histories.length ? 0 : 60) * 86_400_000);
    const config = FeatureConfig.parse(plain.manifest.featureConfig);
    const rows = computeFeatureMatrix(picked, asOf, config);
    const n = picked.length;
    const d = plain.info.featureNames.length;
    const batchPlain = await plain.predictBatch(rows, n);
    const batchTf = await viaTf.predictBatch(rows, n);
    const worst = { one: 0, plain: 0, tfjs: 0 };
    let zeros = 0;
    for (let i = 0; i < n; i++) {
      const row = rows.subarray(i * d, (i + 1) * d);
      for (const v of row) if (v === 0) zeros++;
      const want = calibratedPd(plain.manifest.calibration, textbookLogit(network, plain.manifest.normalisation, row));
      worst.one = Math.max(worst.one, Math.abs(plain.predictOne(row) - want));
      worst.plain = Math.max(worst.plain, Math.abs(batchPlain[i]! - want));
      worst.tfjs = Math.max(worst.tfjs, Math.abs(batchTf[i]! - want));
    }
    expect(worst.one).toBeLessThanOrEqual(1e-9);
    expect(worst.plain).toBeLessThanOrEqual(1e-6);
    expect(worst.tfjs).toBeLessThanOrEqual(1e-6);
    // real rows: mostly zeros, as in a nightly rescore
    expect(zeros / (n * d)).toBeGreaterThan(0.4);
  });
});
