// The tfjs batch path: raw feature rows -> PDs through TensorFlow.js. The standardisation is folded
// into the first kernel (fold.ts): the rows go in raw, through the signed log and the clip only,
// and only the features that varied in training get a column. Each layer is one tf.fused.matMul
// (matMul + bias + ReLU in one kernel): on the wasm backend predictOnBatch of the same layers model
// cost 8.7x more CPU (docs/model.md). The output is raw log-odds; calibration stays in plain code
// shared with the fast path.
import type { Tensor, Tensor2D } from '@tensorflow/tfjs';
import { pdFunction, type Calibration } from './calibration.js';
import { foldedInputWriter, foldFirstLayer, permutedKernel } from './fold.js';
import type { Network } from './network.js';
import type { Normalisation } from './normalise.js';
import type { Tf } from './tf.js';

/** Rows per tfjs call: large enough to amortise the call, small enough to bound memory. */
const TFJS_CHUNK = 16_384;
/**
 * float32 matMul over folded inputs: a column whose mean lies more than this many standard
 * deviations from 0 is centred on its mean (else its raw value and the folded bias cancel digits).
 */
const TFJS_CENTRE_ABOVE = 8;

/** The wasm backend's view of a tensor's bytes on its heap (public on BackendWasm; absent elsewhere). */
type HeapView = (info: { shape: number[]; dtype: 'float32'; dataId: object }) => Float32Array;

/** PDs of n raw feature rows (row-major) through tfjs; `tf` must have its backend selected. */
export function createTfBatch(tf: Tf, network: Network, norm: Normalisation, calibration: Calibration): (rows: Float32Array, n: number) => Float32Array {
  const d = network.layers[0]!.inputs;
  const fold = foldFirstLayer(network.layers[0]!, norm, TFJS_CENTRE_ABOVE);
  const writer = foldedInputWriter(fold);
  const k = fold.active.length;
  const layers = [
    { kernel: tf.tensor2d(permutedKernel(fold, writer.order), [k, fold.units]), bias: tf.tensor1d(Float32Array.from(fold.bias)), activation: network.layers[0]!.activation },
    ...network.layers.slice(1).map((l) => ({ kernel: tf.tensor2d(l.kernel, [l.inputs, l.units]), bias: tf.tensor1d(l.bias), activation: l.activation })),
  ];
  const toPd = pdFunction(calibration);
  const run = (x: Tensor2D): Tensor => tf.tidy(() => layers.reduce<Tensor>((a, l) => tf.fused.matMul({ a, b: l.kernel, bias: l.bias, activation: l.activation }), x));

  // On wasm the writer fills the input tensor where it lives on the heap: no JS buffer and no copy
  // into the heap per chunk. Two tensors are kept for the next call (full chunks, and the last
  // shorter tail): the matMuls have read them by then, as tfjs ops on wasm are synchronous. The view
  // is taken afresh per chunk because a growing heap detaches the old one.
  const backend = tf.backend() as unknown as { typedArrayFromHeap?: HeapView };
  const heapView = tf.getBackend() === 'wasm' && typeof backend.typedArrayFromHeap === 'function' ? backend.typedArrayFromHeap.bind(backend) : undefined;
  let full: Tensor2D | undefined;
  let tail: Tensor2D | undefined;
  const inputTensor = (m: number): Tensor2D => {
    if (m === TFJS_CHUNK) return (full ??= tf.zeros([m, k], 'float32') as Tensor2D);
    if (tail?.shape[0] !== m) {
      tail?.dispose();
      tail = tf.zeros([m, k], 'float32') as Tensor2D;
    }
    return tail;
  };
  let input = new Float32Array(0);

  return (rows, n) => {
    const out = new Float32Array(n);
    for (let start = 0; start < n; start += TFJS_CHUNK) {
      const m = Math.min(TFJS_CHUNK, n - start);
      const chunk = rows.subarray(start * d, (start + m) * d);
      let y: Tensor;
      if (heapView !== undefined) {
        const x = inputTensor(m);
        writer.into(chunk, m, d, heapView({ shape: [m, k], dtype: 'float32', dataId: x.dataId }));
        y = run(x);
      } else {
        if (input.length < m * k) input = new Float32Array(m * k);
        writer.into(chunk, m, d, input);
        y = tf.tidy(() => run(tf.tensor2d(input.subarray(0, m * k), [m, k])));
      }
      const raw = y.dataSync();
      y.dispose();
      for (let i = 0; i < m; i++) out[start + i] = toPd(raw[i]!);
    }
    return out;
  };
}
