// A Scorer decorator that reports how long scoring took and which bands came out, for metrics.
import type { Decision } from '../domain/decision/schema.js';
import type { Scorer } from './scorer.js';

export interface ScoringObserver {
  timed(kind: 'one' | 'many', seconds: number, rows: number): void;
  decided(decision: Decision): void;
}

export function instrumentScorer(scorer: Scorer, observer: ScoringObserver): Scorer {
  return {
    versions: scorer.versions,
    scoreOne(history, asOf) {
      const t0 = performance.now();
      const d = scorer.scoreOne(history, asOf);
      observer.timed('one', (performance.now() - t0) / 1000, 1);
      observer.decided(d);
      return d;
    },
    async scoreMany(histories, asOf) {
      const t0 = performance.now();
      const ds = await scorer.scoreMany(histories, asOf);
      observer.timed('many', (performance.now() - t0) / 1000, histories.length);
      for (const d of ds) observer.decided(d);
      return ds;
    },
  };
}
