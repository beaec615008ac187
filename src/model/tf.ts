// TensorFlow.js behind one door: backend selection (tfjs-node when it loads, else wasm, else cpu)
// and conversion between the plain Network and a tfjs layers model. Imported lazily, so that a
// worker that only uses the fast forward pass never loads tfjs.
import type * as TF from '@tensorflow/tfjs';
import type { Network } from './network.js';

export type Tf = typeof TF;
export interface TfRuntime {
  readonly tf: Tf;
  /** 'tensorflow' (tfjs-node), 'wasm' or 'cpu'. */
  readonly backend: string;
}

let runtime: Promise<TfRuntime> | undefined;

async function tryNode(): Promise<Tf | undefined> {
  const name = '@tensorflow/tfjs-node';
  try {
    return (await import(name)) as Tf;
  } catch {
    return undefined;
  }
}

async function select(): Promise<TfRuntime> {
  const node = await tryNode();
  if (node !== undefined) {
    await node.ready();
    return { tf: node, backend: node.getBackend() };
  }
  const tf = await import('@tensorflow/tfjs');
  await import('@tensorflow/tfjs-backend-wasm');
  const ok = await tf.setBackend('wasm').catch(() => false);
  if (!ok) await tf.setBackend('cpu');
  await tf.ready();
  return { tf, backend: tf.getBackend() };
}

/** The process-wide TensorFlow.js runtime, selected once. */
export function loadTf(): Promise<TfRuntime> {
  runtime ??= select();
  return runtime;
}

/** Builds a tfjs Sequential model carrying exactly the network's weights. Layer names are fixed for reproducible artefacts. */
export function toTfModel(tf: Tf, net: Network): TF.Sequential {
  const model = tf.sequential({ name: 'ews_risk' });
  net.layers.forEach((l, k) => {
    model.add(tf.layers.dense({ units: l.units, activation: l.activation, name: `dense_${k}`, ...(k === 0 ? { inputShape: [l.inputs] } : {}) }));
  });
  const tensors = net.layers.flatMap((l) => [tf.tensor2d(l.kernel, [l.inputs, l.units]), tf.tensor1d(l.bias)]);
  model.setWeights(tensors);
  for (const t of tensors) t.dispose();
  return model;
}

/** Reads a tfjs model's dense weights back into a plain Network. */
export function fromTfModel(model: TF.LayersModel): Network {
  const weights = model.getWeights();
  const layers = model.layers.map((layer, k) => {
    const kernel = weights[2 * k]!;
    const bias = weights[2 * k + 1]!;
    const cfg = layer.getConfig() as { activation?: string };
    const [inputs, units] = kernel.shape as [number, number];
    return {
      inputs,
      units,
      activation: cfg.activation === 'relu' ? ('relu' as const) : ('linear' as const),
      kernel: kernel.dataSync() as Float32Array,
      bias: bias.dataSync() as Float32Array,
    };
  });
  return { layers };
}
