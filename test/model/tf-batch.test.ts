// The tfjs batch path against the plain forward pass on a random network: on wasm (the input
// written straight into the heap, tensors kept between calls) and on the cpu backend (the copying
// fallback), over batch sizes that cross the 16,384-row chunk and change from call to call.
import { afterAll, describe, expect, it } from 'vitest';
import { createFastModel } from '../../src/model/forward.js';
import type { Network } from '../../src/model/network.js';
import type { Normalisation } from '../../src/model/normalise.js';
import { seededRng } from '../../src/model/rng.js';
import { loadTf } from '../../src/model/tf.js';
import { createTfBatch } from '../../src/model/tf-batch.js';

const d = 9;
const rng = seededRng(11);
const g = () => rng() * 2 - 1;
const net: Network = {
  layers: [
    { inputs: d, units: 12, activation: 'relu', kernel: Float32Array.from({ length: d * 12 }, g), bias: Float32Array.from({ length: 12 }, g) },
    { inputs: 12, units: 1, activation: 'linear', kernel: Float32Array.from({ length: 12 }, g), bias: Float32Array.from([0.2]) },
  ],
};
const norm: Normalisation = {
  transform: Array.from({ length: d }, (_, j) => (j % 3 === 0 ? 'slog' : 'none')),
  mean: Array.from({ length: d }, (_, j) => (j === 4 ? 500 : g())), // feature 4: far from 0, centred for float32
  std: Array.from({ length: d }, (_, j) => (j === 7 ? 0 : 0.5 + rng())),
  clip: 8,
};
const cal = { method: 'platt' as const, a: 0.9, b: -0.3 };
const maxN = 16_384 + 3;
const rows = Float32Array.from({ length: maxN * d }, (_, i) => (i % 5 === 0 ? 0 : i % 97 === 0 ? NaN : i % d === 4 ? 500 + g() : g() * (i % 3 === 0 ? 200 : 2)));
const plain = createFastModel(net, norm, cal, new Array<number>(d).fill(0));

async function check(backend: string): Promise<void> {
  const { tf } = await loadTf();
  await tf.setBackend(backend);
  const batch = createTfBatch(tf, net, norm, cal);
  for (const n of [1, 5, maxN, 4096, 5, maxN]) {
    const got = batch(rows, n);
    expect(got.length).toBe(n);
    let worst = 0;
    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(got[i]! - plain.pd(rows.subarray(i * d, (i + 1) * d))));
    expect(worst).toBeLessThanOrEqual(1e-5);
  }
}

describe('tfjs batch path', () => {
  afterAll(async () => {
    const { tf } = await loadTf();
    await tf.setBackend('wasm');
  });
  it('matches the plain forward pass on the selected backend (wasm: input written into the heap)', async () => {
    const { backend } = await loadTf();
    await check(backend);
  });
  it('matches it on the cpu backend too (the copying fallback)', async () => {
    await check('cpu');
  });
});
