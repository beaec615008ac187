// What the scorer needs from a feature engine: a fixed vector order, a version, point-in-time
// vectors, and each feature's descriptions for reasons. createScorer() adapts the domain feature
// engine to it; tests may pass any engine that keeps the contract.
import type { LoanHistory } from '../domain/history/schema.js';

export interface FeatureDescription {
  readonly en: string;
  readonly zh: string;
}

export interface FeatureVectorizer {
  readonly names: readonly string[];
  readonly version: string;
  /** The point-in-time feature vector of `history` as of `asOf`, in `names` order. */
  vector(history: LoanHistory, asOf: number): Float32Array;
  describe(name: string): FeatureDescription | undefined;
}
