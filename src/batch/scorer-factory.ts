// The one place a batch run (in-process or in a worker thread) gets its Scorer from. The spec is
// plain data so that every worker builds the same scorer as the main thread would.
import { loadEngine } from '../engine-files.js';
import type { Scorer } from '../scoring/scorer.js';
import { createFixtureScorer } from './fixture-scorer.js';

export type ScorerSpec =
  | { readonly kind: 'fixture' }
  | { readonly kind: 'engine'; readonly modelDir: string; readonly rulesFile: string; readonly policyFile: string };

export async function buildScorer(spec: ScorerSpec): Promise<Scorer> {
  switch (spec.kind) {
    case 'fixture':
      return createFixtureScorer();
    case 'engine': {
      return (await loadEngine(spec)).scorer;
    }
  }
}
