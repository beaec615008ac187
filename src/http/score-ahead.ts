// Events scored ahead on the score pool's workers (Servicing's AheadScorer): the stored history's JSON
// goes out as a single-history job, the decision comes back as JSON text. The workers load the same
// model directory as the main thread's scorer, so a decision made there is the one made here.
import type { Decision } from '../domain/decision/schema.js';
import type { AheadScorer } from '../scoring/servicing.js';
import type { Metrics } from './metrics.js';
import type { ScorePool } from './score-pool.js';

export function poolAheadScorer(pool: ScorePool, metrics: Metrics): AheadScorer {
  return async (historyJson, asOf) => {
    // A failed pool refuses every job: the loans are then scored in process.
    if (pool.failed) return null;
    const r = await pool.runOne({ asOf, score: true, text: historyJson });
    if (r.status !== 'done' || r.band === null) return null;
    // What the instrumented scorer records when it scores in process.
    metrics.inference.observe({ kind: 'one' }, r.seconds);
    metrics.decisions.inc({ band: r.band });
    return JSON.parse(r.json) as Decision;
  };
}
