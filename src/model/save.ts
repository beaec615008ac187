// Turns a trained model plus its provenance into a model directory: tfjs artefacts, manifest with a
// content-addressed version, and (when given) the model card.
import { sha256, toLayersArtefacts, writeModelDir } from './artefact.js';
import { MANIFEST_FORMAT, type Manifest } from './manifest.js';
import { binShares, quantileEdges } from './metrics.js';
import { loadTf } from './tf.js';
import type { TrainedModel } from './train.js';

export interface Provenance {
  readonly name: string;
  readonly featureSetVersion: string;
  readonly featureNames: readonly string[];
  readonly featureConfig: unknown;
  readonly label: Manifest['label'];
  readonly trainingData: Manifest['trainingData'];
  readonly metrics: Manifest['metrics'];
}

export async function buildArtefacts(trained: TrainedModel, p: Provenance): Promise<{ modelJson: string; weights: Uint8Array; manifest: Manifest }> {
  const { tf } = await loadTf();
  const { modelJson, weights } = await toLayersArtefacts(tf, trained.network);
  const edges = quantileEdges(trained.heldOutPd);
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    name: p.name,
    version: `${p.name}@${sha256(weights).slice(0, 12)}`,
    architecture: trained.hyperParams.hidden.length === 0 ? 'logistic' : 'mlp',
    featureSetVersion: p.featureSetVersion,
    featureNames: [...p.featureNames],
    featureConfig: p.featureConfig,
    normalisation: { transform: [...trained.normalisation.transform], mean: [...trained.normalisation.mean], std: [...trained.normalisation.std], clip: trained.normalisation.clip },
    calibration: trained.calibration.method === 'isotonic' ? { method: 'isotonic', x: [...trained.calibration.x], y: [...trained.calibration.y] } : trained.calibration,
    reference: trained.reference,
    label: p.label,
    trainingData: p.trainingData,
    seed: trained.hyperParams.seed,
    hyperParams: { ...trained.hyperParams, hidden: [...trained.hyperParams.hidden] },
    epochs: trained.epochs,
    backend: trained.backend,
    metrics: p.metrics,
    scoreDistribution: { edges, shares: binShares(trained.heldOutPd, edges) },
  };
  return { modelJson, weights, manifest };
}

export async function saveModel(dir: string, trained: TrainedModel, p: Provenance, card?: (m: Manifest) => string): Promise<Manifest> {
  const files = await buildArtefacts(trained, p);
  await writeModelDir(dir, { ...files, ...(card ? { card: card(files.manifest) } : {}) });
  return files.manifest;
}
