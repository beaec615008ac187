// Artefact I/O: models/<name>/model.json + weights.bin (TensorFlow.js layers format) and
// manifest.json. Reading the network back needs no tfjs: the weights are sliced straight out of
// weights.bin by the weights manifest, which keeps worker start-up cheap.
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { Manifest } from './manifest.js';
import { checkNetwork, type Activation, type DenseLayer, type Network } from './network.js';
import { toTfModel, type Tf } from './tf.js';

export const FILES = { topology: 'model.json', weights: 'weights.bin', manifest: 'manifest.json', card: 'MODEL_CARD.md' } as const;

interface ModelJson {
  modelTopology: { config?: { layers?: Array<{ class_name: string; config: { name: string; units: number; activation: string } }> } };
  format: string;
  weightsManifest: Array<{ paths: string[]; weights: Array<{ name: string; shape: number[]; dtype: string }> }>;
}

/** Serialises the network in tfjs layers format; returns model.json text and weights.bin bytes. */
export async function toLayersArtefacts(tf: Tf, net: Network): Promise<{ modelJson: string; weights: Uint8Array }> {
  const model = toTfModel(tf, net);
  let saved: TF.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
  }));
  model.dispose();
  if (saved === undefined || saved.weightData === undefined) throw new Error('tfjs produced no artefacts');
  const data = saved.weightData;
  const weights = new Uint8Array(Array.isArray(data) ? Buffer.concat(data.map((b) => Buffer.from(b))) : Buffer.from(data));
  const json = {
    modelTopology: saved.modelTopology,
    format: 'layers-model',
    generatedBy: saved.generatedBy,
    convertedBy: null,
    weightsManifest: [{ paths: [FILES.weights], weights: saved.weightSpecs }],
  };
  return { modelJson: JSON.stringify(json), weights };
}

export const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

export async function writeModelDir(dir: string, files: { modelJson: string; weights: Uint8Array; manifest: Manifest; card?: string }): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, FILES.topology), files.modelJson);
  await writeFile(join(dir, FILES.weights), files.weights);
  await writeFile(join(dir, FILES.manifest), `${JSON.stringify(files.manifest, null, 2)}\n`);
  if (files.card !== undefined) await writeFile(join(dir, FILES.card), files.card);
}

export class ModelLoadError extends Error {
  constructor(dir: string, problem: string) {
    super(`cannot load model from ${dir}: ${problem}`);
    this.name = 'ModelLoadError';
  }
}

async function readOrFail(dir: string, file: string): Promise<Buffer> {
  try {
    return await readFile(join(dir, file));
  } catch (error) {
    throw new ModelLoadError(dir, `${file} unreadable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

export async function readManifest(dir: string): Promise<Manifest> {
  const raw = await readOrFail(dir, FILES.manifest);
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new ModelLoadError(dir, `${FILES.manifest} is not JSON (${(error as Error).message})`);
  }
  const parsed = Manifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ModelLoadError(dir, `${FILES.manifest}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Reads model.json + weights.bin into a plain Network (no tfjs). */
export async function readNetwork(dir: string): Promise<{ network: Network; modelJson: ModelJson; weights: Buffer }> {
  const modelJson = JSON.parse((await readOrFail(dir, FILES.topology)).toString('utf8')) as ModelJson;
  const weights = await readOrFail(dir, FILES.weights);
  const specs = modelJson.weightsManifest.flatMap((g) => g.weights);
  const byName = new Map<string, Float32Array>();
  let offset = 0;
  for (const spec of specs) {
    if (spec.dtype !== 'float32') throw new ModelLoadError(dir, `weight ${spec.name} has dtype ${spec.dtype}, expected float32`);
    const count = spec.shape.reduce((a, b) => a * b, 1);
    if (offset + count * 4 > weights.length) throw new ModelLoadError(dir, `${FILES.weights} is shorter than its manifest (${spec.name})`);
    byName.set(spec.name, new Float32Array(weights.buffer.slice(weights.byteOffset + offset, weights.byteOffset + offset + count * 4)));
    offset += count * 4;
  }
  const layerCfgs = modelJson.modelTopology.config?.layers ?? [];
  const layers: DenseLayer[] = layerCfgs.map((l) => {
    if (l.class_name !== 'Dense') throw new ModelLoadError(dir, `unsupported layer ${l.class_name}; only Dense layers`);
    const kernel = byName.get(`${l.config.name}/kernel`);
    const bias = byName.get(`${l.config.name}/bias`);
    if (kernel === undefined || bias === undefined) throw new ModelLoadError(dir, `weights of layer ${l.config.name} missing`);
    const units = l.config.units;
    return { inputs: kernel.length / units, units, activation: l.config.activation as Activation, kernel, bias };
  });
  const network = { layers };
  try {
    checkNetwork(network);
  } catch (error) {
    throw new ModelLoadError(dir, (error as Error).message);
  }
  return { network, modelJson, weights };
}

/** Loads the same artefacts into a tfjs LayersModel (for batch inference through tfjs). */
export async function readTfModel(tf: Tf, dir: string): Promise<TF.LayersModel> {
  const { modelJson, weights } = await readNetwork(dir);
  const weightSpecs = modelJson.weightsManifest.flatMap((g) => g.weights) as TF.io.WeightsManifestEntry[];
  const buffer = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.length) as ArrayBuffer;
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology as TF.io.ModelArtifacts['modelTopology'], weightSpecs, weightData: buffer }));
}
