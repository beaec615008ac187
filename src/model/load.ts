// loadRiskModel: the RiskModel port over a model directory. Single rows and (by default) batches run
// on the plain forward pass; `batch: 'tfjs'` sends batches through TensorFlow.js (fused matMul per
// layer over the same weights), loaded on first use only. Refuses a model whose feature-set version differs from the code's.
// Usage (compose.ts, batch workers): `const model = await loadRiskModel('models/default')`, then
// createScorer({ model, featureConfig: FeatureConfig.parse(model.manifest.featureConfig), ... }).
import { FeatureConfig, featureSetVersion } from '../domain/features/index.js';
import type { RiskModel } from '../scoring/ports.js';
import { readManifest, readNetwork, ModelLoadError } from './artefact.js';
import { createFastModel, type FastModel } from './forward.js';
import type { Manifest } from './manifest.js';
import { loadTf } from './tf.js';
import { createTfBatch } from './tf-batch.js';

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
    return createTfBatch(tf, network, manifest.normalisation, manifest.calibration);
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
      // Single rows always take the plain pass; batches too unless tfjs was asked for.
      backend: batchMode === 'tfjs' ? `tfjs-${(await loadTf()).backend}` : `plain-${fast.loops}`,
    },
    predictBatch(rows, n) {
      if (batchMode === 'plain') return fast.pdBatch(rows, n);
      tfBatch ??= makeTfBatch();
      return tfBatch.then((f) => f(rows, n));
    },
    // Batches on the plain pass are row by row anyway; tfjs batches are not bit-identical to it.
    ...(batchMode === 'plain' ? { predictRow: (row: Float32Array) => fast.pdLikeBatch(row) } : {}),
    predictOne: (row) => fast.pd(row),
    explain: (row, max) => fast.explain(row, max),
  };
}

