// A block of features: their declarations (FeatureDef, in vector order) and one writer that computes
// all of them from the shared scan into a slice of the output. One writer per group keeps the hot
// path to a dozen calls per loan instead of one per feature; `at` maps each name to its slot, so a
// writer names what it writes, and a test checks that every slot is written exactly once.
import type { LoanScan } from './scan.js';
import type { FeatureDef, FeatureGroup } from './types.js';

export interface FeatureSpec {
  readonly unit: string;
  readonly windowDays?: number | null;
  readonly missing?: number;
  readonly en: string;
  readonly zh: string;
}

export interface FeatureBlock {
  readonly defs: readonly FeatureDef[];
  /** Writes defs.length values into out[o .. o + defs.length). */
  readonly write: (s: LoanScan, out: Float32Array, o: number) => void;
  /** The same writer taking its slot map: one direct call (inlinable) on the hot path. */
  fill(s: LoanScan, out: Float32Array, o: number, slots: Slots<string>): void;
  readonly slots: Slots<string>;
}

export type Slots<K extends string> = { readonly [name in K]: number };

export function block<K extends string>(
  group: FeatureGroup,
  specs: Readonly<Record<K, FeatureSpec>>,
  write: (s: LoanScan, out: Float32Array, o: number, at: Slots<K>) => void,
): FeatureBlock {
  const names = Object.keys(specs) as K[];
  const defs = names.map(
    (name): FeatureDef => {
      const spec = specs[name];
      return { name, group, en: spec.en, zh: spec.zh, unit: spec.unit, windowDays: spec.windowDays ?? null, missing: spec.missing ?? 0 };
    },
  );
  const at = Object.freeze(Object.fromEntries(names.map((n, i) => [n, i]))) as Slots<K>;
  return { defs, write: (s, out, o) => write(s, out, o, at), fill: write, slots: at };
}
