// The one place a batch run (in-process or in a worker thread) gets its Scorer from.
import type { Scorer } from '../scoring/scorer.js';
import { createFixtureScorer } from './fixture-scorer.js';

/** Serializable, so that a worker thread can build the same scorer as the main thread. */
export type ScorerSpec = { readonly kind: 'fixture' } | { readonly kind: 'engine'; readonly modelDir: string };

export async function buildScorer(spec: ScorerSpec): Promise<Scorer> {
  switch (spec.kind) {
    case 'fixture':
      return createFixtureScorer();
    case 'engine':
      throw new Error(`the engine scorer (model at ${spec.modelDir}) is not available in this build`);
  }
}
