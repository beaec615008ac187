// The feature registry: every feature in vector order, and the functions the rest of the system
// calls. Base features come first in group order; declared attributes (from a FeatureConfig) last.
import type { LoanHistory } from '../history/schema.js';
import { EMPTY_FEATURE_CONFIG, type FeatureConfig } from './feature-config.js';
import type { Feature } from './feature.js';
import { application } from './groups/application.js';
import { calendar } from './groups/calendar.js';
import { contact } from './groups/contact.js';
import { declaredFeatures } from './groups/declared.js';
import { delinquency } from './groups/delinquency.js';
import { exposure } from './groups/exposure.js';
import { hardship } from './groups/hardship.js';
import { performance } from './groups/performance.js';
import { promise } from './groups/promise.js';
import { revolving } from './groups/revolving.js';
import { stability } from './groups/stability.js';
import { timing } from './groups/timing.js';
import { LoanScan } from './scan.js';
import type { FeatureDef } from './types.js';
import { versionOf } from './version.js';

/** Every base feature (no declared attributes), in vector order. */
export const FEATURES: readonly Feature[] = Object.freeze([
  ...delinquency,
  ...performance,
  ...timing,
  ...exposure,
  ...revolving,
  ...contact,
  ...promise,
  ...hardship,
  ...stability,
  ...calendar,
  ...application,
]);

interface FeatureSet {
  readonly features: readonly Feature[];
  readonly names: readonly string[];
  readonly version: string;
}

const sets = new WeakMap<FeatureConfig, FeatureSet>();

function featureSet(config: FeatureConfig = EMPTY_FEATURE_CONFIG): FeatureSet {
  let set = sets.get(config);
  if (set === undefined) {
    const features = [...FEATURES, ...declaredFeatures(config)];
    const names = features.map((f) => f.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate !== undefined) throw new Error(`feature config: feature name "${duplicate}" is defined twice`);
    set = { features, names, version: versionOf(features, config) };
    sets.set(config, set);
  }
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

/** Writes the feature vector of one loan as of `asOfMs` into out[offset .. offset + d). */
export function computeFeaturesInto(out: Float32Array, offset: number, history: LoanHistory, asOfMs: number, config?: FeatureConfig): void {
  const features = featureSet(config).features;
  if (offset < 0 || offset + features.length > out.length) throw new RangeError(`computeFeaturesInto: no room for ${features.length} features at offset ${offset}`);
  scan.run(history, asOfMs);
  for (let i = 0; i < features.length; i++) {
    const f = features[i]!;
    const v = f.value(scan);
    out[offset + i] = Number.isFinite(v) ? v : f.missing;
  }
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
