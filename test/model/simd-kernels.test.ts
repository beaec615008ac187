// The WebAssembly SIMD kernels against the JavaScript loops they replace: the same bits for the PD,
// the batch and the reasons, on random one-hidden-layer networks (widths that are multiples of 8),
// every calibration, rows with zeros, NaN and clipped values, and the bundled model's shape.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFastModel } from '../../src/model/forward.js';
import { createSimdKernels } from '../../src/model/simd-kernels.js';
import { calibrations, randomCase } from './support/random-network.js';

describe('SIMD kernels of the forward pass', () => {
  it('exist on this runtime for widths that are multiples of 8, and not for others', () => {
    expect(createSimdKernels(126, 96)).not.toBeNull();
    expect(createSimdKernels(3, 8)).not.toBeNull();
    expect(createSimdKernels(10, 12)).toBeNull();
    expect(createSimdKernels(10, 0)).toBeNull();
  });

  it('give the JavaScript loops\' bits: raw log-odds, batch PDs and reasons (random networks and rows)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 1, max: 40 }), fc.constantFrom(8, 16, 24, 96), fc.constantFrom(...calibrations), fc.integer({ min: 1, max: 8 }), (seed, d, hidden, cal, max) => {
        const c = randomCase(seed, d, [hidden], cal);
        const simd = createFastModel(c.net, c.norm, c.cal, c.reference);
        const js = createFastModel(c.net, c.norm, c.cal, c.reference, { simd: false });
        const a = simd.pdBatch(c.rows, c.n);
        const b = js.pdBatch(c.rows, c.n);
        expect(Buffer.from(a.buffer)).toEqual(Buffer.from(b.buffer));
        for (let i = 0; i < c.n; i++) {
          const row = c.rows.subarray(i * d, (i + 1) * d);
          expect(Object.is(simd.rawLogit(row), js.rawLogit(row))).toBe(true);
          // explain right after the row's forward pass (the memo) and on a fresh row object (recomputed)
          expect(simd.explain(row, max)).toStrictEqual(js.explain(row, max));
          expect(simd.explain(Float64Array.from(row), max)).toStrictEqual(js.explain(Float64Array.from(row), max));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('ablate the row the last forward pass read, after a batch has used the buffers', () => {
    const c = randomCase(7, 30, [16], { method: 'platt', a: 1.1, b: 0.2 });
    const simd = createFastModel(c.net, c.norm, c.cal, c.reference);
    const js = createFastModel(c.net, c.norm, c.cal, c.reference, { simd: false });
    const row = c.rows.subarray(3 * 30, 4 * 30);
    const before = simd.explain(row, 5);
    simd.pdBatch(c.rows, c.n);
    js.pdBatch(c.rows, c.n);
    expect(simd.explain(row, 5)).toStrictEqual(before);
    expect(simd.explain(row, 5)).toStrictEqual(js.explain(row, 5));
    expect(before.length).toBeGreaterThan(0);
  });
});
