// loadRiskModel: the RiskModel port over a model directory. Single rows and (by default) batches run
// on the plain forward pass; `batch: 'tfjs'` sends batches through TensorFlow.js (fused matMul per
// layer over the same weights), loaded on first use only. Refuses a model whose feature-set version differs from the code's.
// Usage (compose.ts, batch workers): `const model = await loadRiskModel('models/default')`, then
// createScorer({ model, featureConfig: FeatureConfig.parse(model.manifest.featureConfig), ... }).
import type { Tensor } from '@tensorflow/tfjs';
import { FeatureConfig, featureSetVersion } from '../domain/features/index.js';
import type { RiskModel } from '../scoring/ports.js';
import { readManifest, readNetwork, ModelLoadError } from './artefact.js';
import { createFastModel, type FastModel } from './forward.js';
import { pdFunction } from './calibration.js';
import { foldedInputWriter, foldFirstLayer, permutedKernel } from './fold.js';
import type { Manifest } from './manifest.js';
import { loadTf } from './tf.js';

export interface LoadOptions {
  /**
   * The feature-set version the running code computes for the manifest's FeatureConfig. A model
   * trained on other features would silently read the wrong columns, so a mismatch is refused.
   */
  readonly featureSetVersion?: (featureConfig: unknown) => string;
  /** Where predictBatch runs: the plain forward pass (default, no tfjs) or TensorFlow.js. */
  readonly batch?: 'plain' | 'tfjs';
}

export type LoadedRiskModel = RiskModel & { readonly manifest: Manifest; readonly fast: FastModel };

/** Rows per tfjs call: large enough to amortise the call, small enough to bound memory. */
const TFJS_CHUNK = 16_384;
/**
 * float32 matMul over folded inputs: a column whose mean lies more than this many standard
 * deviations from 0 is centred on its mean (else its raw value and the folded bias cancel digits).
 */
const TFJS_CENTRE_ABOVE = 8;

/** The feature-set version this code computes for a FeatureConfig (the default check). */
export function codeFeatureSetVersion(featureConfig: unknown): string {
  const parsed = FeatureConfig.safeParse(featureConfig ?? {});
  if (!parsed.success) return `invalid FeatureConfig (${parsed.error.issues[0]?.message ?? 'unknown problem'})`;
  return featureSetVersion(parsed.data);
}

export async function loadRiskModel(dir: string, options: LoadOptions = {}): Promise<LoadedRiskModel> {
  const manifest = await readManifest(dir);
  const expected = (options.featureSetVersion ?? codeFeatureSetVersion)(manifest.featureConfig);
  if (expected !== manifest.featureSetVersion) {
    throw new ModelLoadError(dir, `the model was trained on feature set ${manifest.featureSetVersion}, but this code computes feature set ${expected} for its FeatureConfig; retrain the model (ews train) or run the code version it was trained with`);
  }
  const { network } = await readNetwork(dir);
  const d = manifest.featureNames.length;
  if (network.layers[0]!.inputs !== d) throw new ModelLoadError(dir, `network takes ${network.layers[0]!.inputs} inputs but the manifest names ${d} features`);
  const fast = createFastModel(network, manifest.normalisation, manifest.calibration, manifest.reference);
  const batchMode = options.batch ?? 'plain';
  let tfBatch: Promise<(rows: Float32Array, n: number) => Float32Array> | undefined;

  async function makeTfBatch(): Promise<(rows: Float32Array, n: number) => Float32Array> {
    const { tf } = await loadTf();
    // The standardisation is folded into the first kernel (fold.ts): the rows go in raw, through
    // the signed log and the clip only, and only the features that varied in training get a
    // column. Each layer is one tf.fused.matMul (matMul + bias + ReLU in one kernel): on the wasm
    // backend predictOnBatch of the same layers model cost 8.7x more CPU (docs/model.md). The
    // output is raw log-odds; calibration stays in plain code shared with the fast path.
    const fold = foldFirstLayer(network.layers[0]!, manifest.normalisation, TFJS_CENTRE_ABOVE);
    const writer = foldedInputWriter(fold);
    const k = fold.active.length;
    const layers = [
      { kernel: tf.tensor2d(permutedKernel(fold, writer.order), [k, fold.units]), bias: tf.tensor1d(Float32Array.from(fold.bias)), activation: network.layers[0]!.activation },
      ...network.layers.slice(1).map((l) => ({ kernel: tf.tensor2d(l.kernel, [l.inputs, l.units]), bias: tf.tensor1d(l.bias), activation: l.activation })),
    ];
    const toPd = pdFunction(manifest.calibration);
    let input = new Float32Array(0);
    return (rows, n) => {
      const out = new Float32Array(n);
      for (let start = 0; start < n; start += TFJS_CHUNK) {
        const m = Math.min(TFJS_CHUNK, n - start);
        if (input.length < m * k) input = new Float32Array(m * k);
        writer.into(rows.subarray(start * d, (start + m) * d), m, d, input);
        const y = tf.tidy(() => layers.reduce<Tensor>((a, l) => tf.fused.matMul({ a, b: l.kernel, bias: l.bias, activation: l.activation }), tf.tensor2d(input.subarray(0, m * k), [m, k])));
        const raw = y.dataSync();
        y.dispose();
        for (let i = 0; i < m; i++) out[start + i] = toPd(raw[i]!);
      }
      return out;
    };
  }

  return {
    manifest,
    fast,
    info: {
      name: manifest.name,
      version: manifest.version,
      featureSetVersion: manifest.featureSetVersion,
      featureNames: manifest.featureNames,
      horizonDays: manifest.label.horizonDays,
      backend: batchMode === 'tfjs' ? `tfjs-${(await loadTf()).backend}` : 'plain',
    },
    predictBatch(rows, n) {
      if (batchMode === 'plain') return fast.pdBatch(rows, n);
      tfBatch ??= makeTfBatch();
      return tfBatch.then((f) => f(rows, n));
    },
    predictOne: (row) => fast.pd(row),
    explain: (row, max) => fast.explain(row, max),
  };
}

