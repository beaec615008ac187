// The feature registry: every feature in vector order, and the functions the rest of the system
// calls. Base features come first in group order; declared attributes (from a FeatureConfig) last.
import type { LoanHistory } from '../history/schema.js';
import { EMPTY_FEATURE_CONFIG, type FeatureConfig } from './feature-config.js';
import type { FeatureBlock } from './feature.js';
import { application, occupation } from './groups/application.js';
import { calendar } from './groups/calendar.js';
import { contact } from './groups/contact.js';
import { declaredBlock } from './groups/declared.js';
import { delinquency } from './groups/delinquency.js';
import { exposure } from './groups/exposure.js';
import { arrangements, hardshipByReason } from './groups/hardship.js';
import { performance } from './groups/performance.js';
import { promise } from './groups/promise.js';
import { revolving } from './groups/revolving.js';
import { stability } from './groups/stability.js';
import { timing } from './groups/timing.js';
import { LoanScan } from './scan.js';
import type { FeatureDef } from './types.js';
import { versionOf } from './version.js';

/** The base blocks (no declared attributes), in vector order. */
export const BASE_BLOCKS: readonly FeatureBlock[] = Object.freeze([
  delinquency,
  performance,
  timing,
  exposure,
  revolving,
  contact,
  promise,
  hardshipByReason,
  arrangements,
  stability,
  calendar,
  occupation,
  application,
]);

/** Every base feature (no declared attributes), in vector order. */
export const FEATURES: readonly FeatureDef[] = Object.freeze(BASE_BLOCKS.flatMap((b) => b.defs));

interface FeatureSet {
  readonly blocks: readonly FeatureBlock[];
  readonly offsets: Int32Array;
  readonly features: readonly FeatureDef[];
  readonly missing: Float32Array;
  readonly names: readonly string[];
  readonly version: string;
}

const sets = new WeakMap<FeatureConfig, FeatureSet>();
// The hot path asks for the same configuration loan after loan: skip the WeakMap then.
let lastConfig: FeatureConfig | undefined;
let lastSet: FeatureSet | undefined;

function featureSet(config: FeatureConfig = EMPTY_FEATURE_CONFIG): FeatureSet {
  if (config === lastConfig && lastSet !== undefined) return lastSet;
  let set = sets.get(config);
  if (set === undefined) {
    const blocks = [...BASE_BLOCKS, declaredBlock(config)];
    const features = blocks.flatMap((b) => b.defs);
    const names = features.map((f) => f.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate !== undefined) throw new Error(`feature config: feature name "${duplicate}" is defined twice`);
    const offsets = new Int32Array(blocks.length);
    for (let i = 1; i < blocks.length; i++) offsets[i] = offsets[i - 1]! + blocks[i - 1]!.defs.length;
    set = { blocks, offsets, features, missing: Float32Array.from(features, (f) => f.missing), names, version: versionOf(features, config) };
    sets.set(config, set);
  }
  lastConfig = config;
  lastSet = set;
  return set;
}

/** Definitions (without code) of every feature a configuration yields, in vector order. */
export function featureDefs(config?: FeatureConfig): readonly FeatureDef[] {
  return featureSet(config).features;
}

export function featureNames(config?: FeatureConfig): readonly string[] {
  return featureSet(config).names;
}

export function featureCount(config?: FeatureConfig): number {
  return featureSet(config).features.length;
}

export function featureSetVersion(config?: FeatureConfig): string {
  return featureSet(config).version;
}

const scan = new LoanScan();

const [b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12] = BASE_BLOCKS as [FeatureBlock, ...FeatureBlock[]];
const UNROLLED = 13;
const BASE_OFFSETS = Int32Array.from(BASE_BLOCKS, (_, i) => BASE_BLOCKS.slice(0, i).reduce((n, b) => n + b.defs.length, 0));

/**
 * The base blocks, one call site per block: each site sees a single writer, so the compiler inlines
 * them all (a loop over the blocks makes one megamorphic call per block instead). Blocks added
 * beyond the unrolled ones go through the loop.
 */
function writeBase(out: Float32Array, o: number): void {
  const s = scan;
  const at = BASE_OFFSETS;
  b0.fill(s, out, o + at[0]!, b0.slots);
  b1!.fill(s, out, o + at[1]!, b1!.slots);
  b2!.fill(s, out, o + at[2]!, b2!.slots);
  b3!.fill(s, out, o + at[3]!, b3!.slots);
  b4!.fill(s, out, o + at[4]!, b4!.slots);
  b5!.fill(s, out, o + at[5]!, b5!.slots);
  b6!.fill(s, out, o + at[6]!, b6!.slots);
  b7!.fill(s, out, o + at[7]!, b7!.slots);
  b8!.fill(s, out, o + at[8]!, b8!.slots);
  b9!.fill(s, out, o + at[9]!, b9!.slots);
  b10!.fill(s, out, o + at[10]!, b10!.slots);
  b11!.fill(s, out, o + at[11]!, b11!.slots);
  b12!.fill(s, out, o + at[12]!, b12!.slots);
  for (let b = UNROLLED; b < BASE_BLOCKS.length; b++) BASE_BLOCKS[b]!.write(s, out, o + at[b]!);
}

/**
 * The scan behind the last vector computed, when that was of this very history object as of asOf: its
 * facts serve the decision (the legal review's evidence) without walking the events again. Undefined
 * for any other loan or instant, or when that scan did not finish.
 */
export function scanHolding(history: LoanHistory, asOfMs: number): LoanScan | undefined {
  return scan.holds(history, asOfMs) ? scan : undefined;
}

/** Writes the feature vector of one loan as of `asOfMs` into out[offset .. offset + d). */
export function computeFeaturesInto(out: Float32Array, offset: number, history: LoanHistory, asOfMs: number, config?: FeatureConfig): void {
  const set = featureSet(config);
  const d = set.features.length;
  if (offset < 0 || offset + d > out.length) throw new RangeError(`computeFeaturesInto: no room for ${d} features at offset ${offset}`);
  scan.run(history, asOfMs);
  const { blocks, offsets, missing } = set;
  writeBase(out, offset);
  for (let b = BASE_BLOCKS.length; b < blocks.length; b++) blocks[b]!.write(scan, out, offset + offsets[b]!);
  // A NaN or infinity (say, a declared attribute of 1e39) becomes the feature's missing value.
  if (!rowIsFinite(out, offset, d)) {
    for (let i = 0; i < d; i++) {
      const v = out[offset + i]!;
      if (v - v !== 0) out[offset + i] = missing[i]!;
    }
  }
}

/**
 * Whether out[o .. o + d) holds no NaN or infinity: one sum instead of a test per value. Exact: a sum of
 * finite float32 values cannot overflow a double, and a NaN or an infinity makes it NaN or infinite.
 * Four partial sums, so that the additions do not wait on one another.
 */
function rowIsFinite(out: Float32Array, o: number, d: number): boolean {
  let a = 0;
  let b = 0;
  let c = 0;
  let e = 0;
  let i = 0;
  for (; i + 4 <= d; i += 4) {
    a += out[o + i]!;
    b += out[o + i + 1]!;
    c += out[o + i + 2]!;
    e += out[o + i + 3]!;
  }
  for (; i < d; i++) a += out[o + i]!;
  const sum = a + b + c + e;
  return sum - sum === 0;
}

/** The feature vector of one loan as of `asOfMs`, in registry order. */
export function computeFeatures(history: LoanHistory, asOfMs: number, config?: FeatureConfig): Float32Array {
  const out = new Float32Array(featureSet(config).features.length);
  computeFeaturesInto(out, 0, history, asOfMs, config);
  return out;
}

/** Many loans into one row-major n × d matrix; one as-of instant for all, or one per loan. */
export function computeFeatureMatrix(histories: readonly LoanHistory[], asOfMs: number | readonly number[], config?: FeatureConfig): Float32Array {
  const d = featureSet(config).features.length;
  const n = histories.length;
  if (typeof asOfMs !== 'number' && asOfMs.length !== n) throw new RangeError(`computeFeatureMatrix: ${asOfMs.length} as-of instants for ${n} histories`);
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) computeFeaturesInto(out, i * d, histories[i]!, typeof asOfMs === 'number' ? asOfMs : asOfMs[i]!, config);
  return out;
}
