// Just enough of the WebAssembly binary format to write the forward pass's two SIMD kernels
// (simd-kernels.ts) as code, not as an opaque byte string: LEB128 numbers, sections, and the
// instructions the kernels use, named as in the specification's text format.
export type Bytes = number[];

/** Unsigned LEB128. */
export function u32(n: number): Bytes {
  const out: Bytes = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (i32.const). */
export function s32(n: number): Bytes {
  const out: Bytes = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}

const vec = (items: readonly Bytes[]): Bytes => [...u32(items.length), ...items.flat()];
const section = (id: number, body: Bytes): Bytes => [id, ...u32(body.length), ...body];
const name = (s: string): Bytes => vec([...new TextEncoder().encode(s)].map((b) => [b]));

export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;

const SIMD = 0xfd;
/** A memory access's alignment (log2 bytes) and the offset added to the address on the stack. */
const memarg = (alignLog2: number, offset: number): Bytes => [alignLog2, ...u32(offset)];

export const op = {
  localGet: (i: number): Bytes => [0x20, ...u32(i)],
  localSet: (i: number): Bytes => [0x21, ...u32(i)],
  localTee: (i: number): Bytes => [0x22, ...u32(i)],
  i32Const: (n: number): Bytes => [0x41, ...s32(n)],
  i32Add: [0x6a],
  i32Mul: [0x6c],
  i32Shl: [0x74],
  i32GeU: [0x4f],
  i32Load: (offset = 0): Bytes => [0x28, ...memarg(2, offset)],
  f64Load: (offset = 0): Bytes => [0x2b, ...memarg(3, offset)],
  f64Store: (offset = 0): Bytes => [0x39, ...memarg(3, offset)],
  f64Add: [0xa0],
  f64Sub: [0xa1],
  f64Ne: [0x62],
  f64Const0: [0x44, 0, 0, 0, 0, 0, 0, 0, 0],
  v128Load: (offset = 0): Bytes => [SIMD, ...u32(0x00), ...memarg(4, offset)],
  v128Store: (offset = 0): Bytes => [SIMD, ...u32(0x0b), ...memarg(4, offset)],
  v128Zero: [SIMD, ...u32(0x0c), ...new Array<number>(16).fill(0)],
  f64x2Splat: [SIMD, ...u32(0x14)],
  f64x2ExtractLane: (lane: number): Bytes => [SIMD, ...u32(0x21), lane],
  f64x2Abs: [SIMD, ...u32(0xec)],
  f64x2Add: [SIMD, ...u32(0xf0)],
  f64x2Mul: [SIMD, ...u32(0xf2)],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  br: (depth: number): Bytes => [0x0c, ...u32(depth)],
  brIf: (depth: number): Bytes => [0x0d, ...u32(depth)],
  end: [0x0b],
} as const;

export interface FunctionDef {
  readonly name: string;
  readonly params: readonly number[];
  /** Local variables after the parameters, by type, in order. */
  readonly locals: readonly number[];
  readonly body: Bytes;
}

/** A module with one memory of `pages` 64 KiB pages, exported as `memory`, and the functions (no results). */
export function encodeModule(pages: number, functions: readonly FunctionDef[]): Uint8Array {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec([])]);
  const bodies = functions.map((f) => {
    const locals = vec(f.locals.map((t) => [...u32(1), t]));
    const code = [...locals, ...f.body, ...op.end];
    return [...u32(code.length), ...code];
  });
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(3, vec(functions.map((_, i) => u32(i)))),
    ...section(5, vec([[0x00, ...u32(pages)]])),
    ...section(7, vec([...functions.map((f, i) => [...name(f.name), 0x00, ...u32(i)]), [...name('memory'), 0x02, 0]])),
    ...section(10, vec(bodies)),
  ]);
}
