// The scoring use case as the adapters (http, batch, backtest) see it. createScorer() in this folder
// implements it: features -> model -> rules -> policy -> one Decision.
import type { Decision } from '../domain/decision/schema.js';
import type { LoanHistory } from '../domain/history/schema.js';

export interface ScoringVersions {
  readonly model: string;
  readonly featureSet: string;
  readonly ruleSet: string;
  readonly policy: string;
}

export interface Scorer {
  readonly versions: ScoringVersions;
  /** One loan, synchronously, on the fast path (underwriting, event-driven rescoring). */
  scoreOne(history: LoanHistory, asOf: number): Decision;
  /** Many loans at one as-of instant, inference in one batch (nightly rescoring). */
  scoreMany(histories: readonly LoanHistory[], asOf: number): Promise<Decision[]>;
}
