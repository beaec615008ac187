// What the scorer needs from a feature engine: a fixed vector order, a version, point-in-time
// vectors, and each feature's descriptions for reasons. createScorer() adapts the domain feature
// engine to it; tests may pass any engine that keeps the contract.
import type { EvidenceCounts } from '../domain/decision/evidence.js';
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
  /**
   * Optional: the same vector written into `out` (of names.length), so that a caller scoring loans one
   * after another reuses one buffer (a fresh 126-float array cost ~0.9 µs a loan, and its GC).
   */
  vectorInto?(history: LoanHistory, asOf: number, out: Float32Array): void;
  /**
   * Optional: the legal review's evidence counts of `history` as of `asOf` when the engine's last vector
   * was of this very history object at that instant (what it computed then holds them), else undefined.
   * Scoring one loan at a time, a decision then reads them instead of walking the events again.
   */
  evidence?(history: LoanHistory, asOf: number): EvidenceCounts | undefined;
  describe(name: string): FeatureDescription | undefined;
}
