// The forward pass's two hot loops in WebAssembly SIMD (two float64 lanes), for the one-hidden-layer
// network the bundled model is: the first layer's pre-activations of a row (over its non-zero inputs)
// and the explain's ablations (the head over the pre-activations shifted by one kernel row each).
// Each lane does exactly the float64 operations of forward.ts's JavaScript loops in the same order
// (separate multiply and add, the same partial sums), so the results are the same bits
// (test/model/simd-kernels.test.ts); they run in about half the time. Where WebAssembly SIMD is
// missing, or the layer's width is not a multiple of 8, there are no kernels and the JavaScript runs.
import { encodeModule, F64, type FunctionDef, I32, op, V128 } from './wasm-encode.js';

/** The kernels' buffers live in the module's memory: the model writes its weights and rows into these views. */
export interface SimdKernels {
  /** The folded first-layer kernel by input, kr[a·h1 + u]. */
  readonly kr: Float64Array;
  readonly bias: Float64Array;
  /** The head's weights, halved (relu(v)·w = (v + |v|)·w/2). */
  readonly w2h: Float64Array;
  /** The row's first-layer pre-activations. */
  readonly pre: Float64Array;
  /** The transformed row, the reference row, and the ablated log-odds by input. */
  readonly x: Float64Array;
  readonly xRef: Float64Array;
  readonly ablated: Float64Array;
  /** The inputs of x that are not 0. */
  readonly nz: Int32Array;
  /** pre = bias + Σ over nz[0..m) of x[a]·kr[a] (units in blocks of 8, inputs in nz order). */
  firstPre(m: number): void;
  /** ablated[a] = b2 + Σ_u relu(pre[u] + (xRef[a] - x[a])·kr[a·h1 + u])·w2[u], for each a whose difference is not 0. */
  ablate(b2: number): void;
}

// firstPre(x, nz, m, kr, bias, pre, rowBytes): byte addresses; rowBytes = h1·8.
const FIRST_PRE: FunctionDef = (() => {
  const [x, nz, m, kr, bias, pre, rowBytes] = [0, 1, 2, 3, 4, 5, 6];
  const [g, k, mEnd, o, v, acc0] = [7, 8, 9, 10, 11, 12];
  const accs = [acc0, acc0 + 1, acc0 + 2, acc0 + 3];
  return {
    name: 'firstPre',
    params: [I32, I32, I32, I32, I32, I32, I32],
    locals: [I32, I32, I32, I32, V128, V128, V128, V128, V128],
    body: [
      ...op.localGet(m), ...op.i32Const(2), ...op.i32Shl, ...op.localSet(mEnd),
      ...op.i32Const(0), ...op.localSet(g),
      ...op.block, ...op.loop,
      ...op.localGet(g), ...op.localGet(rowBytes), ...op.i32GeU, ...op.brIf(1),
      // Eight units' accumulators start at their biases.
      ...accs.flatMap((acc, i) => [...op.localGet(bias), ...op.localGet(g), ...op.i32Add, ...op.v128Load(16 * i), ...op.localSet(acc)]),
      ...op.i32Const(0), ...op.localSet(k),
      ...op.block, ...op.loop,
      ...op.localGet(k), ...op.localGet(mEnd), ...op.i32GeU, ...op.brIf(1),
      // a = nz[k]; v = (x[a], x[a]); o = kr + a·rowBytes + g
      ...op.localGet(nz), ...op.localGet(k), ...op.i32Add, ...op.i32Load(), ...op.localTee(o),
      ...op.i32Const(3), ...op.i32Shl, ...op.localGet(x), ...op.i32Add, ...op.f64Load(), ...op.f64x2Splat, ...op.localSet(v),
      ...op.localGet(o), ...op.localGet(rowBytes), ...op.i32Mul, ...op.localGet(kr), ...op.i32Add, ...op.localGet(g), ...op.i32Add, ...op.localSet(o),
      // acc += v·kr[o..] (a multiply, then an add, as the JavaScript does)
      ...accs.flatMap((acc, i) => [...op.localGet(acc), ...op.localGet(v), ...op.localGet(o), ...op.v128Load(16 * i), ...op.f64x2Mul, ...op.f64x2Add, ...op.localSet(acc)]),
      ...op.localGet(k), ...op.i32Const(4), ...op.i32Add, ...op.localSet(k),
      ...op.br(0),
      ...op.end, ...op.end,
      ...accs.flatMap((acc, i) => [...op.localGet(pre), ...op.localGet(g), ...op.i32Add, ...op.localGet(acc), ...op.v128Store(16 * i)]),
      ...op.localGet(g), ...op.i32Const(64), ...op.i32Add, ...op.localSet(g),
      ...op.br(0),
      ...op.end, ...op.end,
    ],
  };
})();

// ablate(x, xRef, nBytes, kr, pre, w2h, rowBytes, out, b2): byte addresses; nBytes = nA·8.
const ABLATE: FunctionDef = (() => {
  const [x, xRef, nBytes, kr, pre, w2h, rowBytes, out, b2] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [ab, row, j, delta, dv, s01, s23, v] = [9, 10, 11, 12, 13, 14, 15, 16];
  // s += (v + |v|)·w2h, v = pre + dv·kr: the JavaScript head's s0/s1 (lanes of s01) and s2/s3 (s23).
  const step = (s: number, offset: number) => [
    ...op.localGet(pre), ...op.localGet(j), ...op.i32Add, ...op.v128Load(offset),
    ...op.localGet(dv), ...op.localGet(row), ...op.localGet(j), ...op.i32Add, ...op.v128Load(offset), ...op.f64x2Mul,
    ...op.f64x2Add, ...op.localSet(v),
    ...op.localGet(s), ...op.localGet(v), ...op.localGet(v), ...op.f64x2Abs, ...op.f64x2Add,
    ...op.localGet(w2h), ...op.localGet(j), ...op.i32Add, ...op.v128Load(offset), ...op.f64x2Mul,
    ...op.f64x2Add, ...op.localSet(s),
  ];
  return {
    name: 'ablate',
    params: [I32, I32, I32, I32, I32, I32, I32, I32, F64],
    locals: [I32, I32, I32, F64, V128, V128, V128, V128],
    body: [
      ...op.i32Const(0), ...op.localSet(ab),
      ...op.localGet(kr), ...op.localSet(row),
      ...op.block, ...op.loop,
      ...op.localGet(ab), ...op.localGet(nBytes), ...op.i32GeU, ...op.brIf(1),
      ...op.localGet(xRef), ...op.localGet(ab), ...op.i32Add, ...op.f64Load(),
      ...op.localGet(x), ...op.localGet(ab), ...op.i32Add, ...op.f64Load(),
      ...op.f64Sub, ...op.localTee(delta), ...op.f64Const0, ...op.f64Ne,
      ...op.if,
      ...op.localGet(delta), ...op.f64x2Splat, ...op.localSet(dv),
      ...op.v128Zero, ...op.localSet(s01), ...op.v128Zero, ...op.localSet(s23),
      ...op.i32Const(0), ...op.localSet(j),
      ...op.block, ...op.loop,
      ...op.localGet(j), ...op.localGet(rowBytes), ...op.i32GeU, ...op.brIf(1),
      ...step(s01, 0),
      ...step(s23, 16),
      ...op.localGet(j), ...op.i32Const(32), ...op.i32Add, ...op.localSet(j),
      ...op.br(0),
      ...op.end, ...op.end,
      // out[a] = b2 + ((s0 + s1) + (s2 + s3))
      ...op.localGet(out), ...op.localGet(ab), ...op.i32Add,
      ...op.localGet(b2),
      ...op.localGet(s01), ...op.f64x2ExtractLane(0), ...op.localGet(s01), ...op.f64x2ExtractLane(1), ...op.f64Add,
      ...op.localGet(s23), ...op.f64x2ExtractLane(0), ...op.localGet(s23), ...op.f64x2ExtractLane(1), ...op.f64Add,
      ...op.f64Add, ...op.f64Add,
      ...op.f64Store(),
      ...op.end,
      ...op.localGet(ab), ...op.i32Const(8), ...op.i32Add, ...op.localSet(ab),
      ...op.localGet(row), ...op.localGet(rowBytes), ...op.i32Add, ...op.localSet(row),
      ...op.br(0),
      ...op.end, ...op.end,
    ],
  };
})();

const PAGE = 65536;
/** Room for n values of `size` bytes, from a 16-byte boundary. */
const span = (n: number, size: number): number => Math.ceil((n * size) / 16) * 16;

/** Kernels for nA inputs and h1 hidden units, or null where they cannot run (see the file's comment). */
export function createSimdKernels(nA: number, h1: number): SimdKernels | null {
  if (h1 === 0 || h1 % 8 !== 0 || typeof WebAssembly === 'undefined') return null;
  const sizes = { kr: span(nA * h1, 8), bias: span(h1, 8), w2h: span(h1, 8), pre: span(h1, 8), x: span(nA, 8), xRef: span(nA, 8), ablated: span(nA, 8), nz: span(nA, 4) };
  const at: Record<keyof typeof sizes, number> = { kr: 0, bias: 0, w2h: 0, pre: 0, x: 0, xRef: 0, ablated: 0, nz: 0 };
  let total = 0;
  for (const key of Object.keys(sizes) as (keyof typeof sizes)[]) {
    at[key] = total;
    total += sizes[key];
  }
  const bytes = encodeModule(Math.max(1, Math.ceil(total / PAGE)), [FIRST_PRE, ABLATE]);
  if (!WebAssembly.validate(bytes)) return null; // no SIMD in this runtime
  const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as {
    memory: WebAssembly.Memory;
    firstPre: (x: number, nz: number, m: number, kr: number, bias: number, pre: number, rowBytes: number) => void;
    ablate: (x: number, xRef: number, nBytes: number, kr: number, pre: number, w2h: number, rowBytes: number, out: number, b2: number) => void;
  };
  const buffer = exports.memory.buffer;
  const f64 = (key: keyof typeof sizes, n: number) => new Float64Array(buffer, at[key], n);
  const rowBytes = h1 * 8;
  const { firstPre, ablate } = exports;
  return {
    kr: f64('kr', nA * h1),
    bias: f64('bias', h1),
    w2h: f64('w2h', h1),
    pre: f64('pre', h1),
    x: f64('x', nA),
    xRef: f64('xRef', nA),
    ablated: f64('ablated', nA),
    nz: new Int32Array(buffer, at.nz, nA),
    firstPre: (m) => firstPre(at.x, at.nz, m, at.kr, at.bias, at.pre, rowBytes),
    ablate: (b2) => ablate(at.x, at.xRef, nA * 8, at.kr, at.pre, at.w2h, rowBytes, at.ablated, b2),
  };
}
