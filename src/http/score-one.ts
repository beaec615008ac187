// POST /v1/score's work on the raw body text: parse, validate and score on the worker pool when there
// is one, else in process. Both give the same reply text and the same problems; text the workers may
// not answer for (see json-screen.ts) is parsed here by fastify's own JSON parser.
import type { LoanHistory } from '../domain/history/schema.js';
import { readHistoryText } from '../domain/history/text-history.js';
import type { Scorer } from '../scoring/scorer.js';
import { checkPhaseQueue } from './check-phase-queue.js';
import type { HttpDeps } from './deps.js';
import { RequestValidationError } from './errors.js';
import { parseJsonBody } from './raw-json.js';
import { replyFor, scoreOneReply } from './score-one-reply.js';

type Deps = Pick<HttpDeps, 'scorer' | 'scoreOnePool' | 'metrics'>;

/**
 * A read history's decision, scored with the others read in the same turn of the event loop (check-phase-queue.ts).
 * Only the scoring waits: the body is read in the handler, as the floor reads it.
 */
const scoreSoon = checkPhaseQueue((j: { readonly scorer: Pick<Scorer, 'scoreOne'>; readonly history: LoanHistory; readonly asOf: number }) => replyFor(j.scorer, j.history, j.asOf, true));

/**
 * The reply body (JSON text, or its UTF-8 bytes) for one history: its decision, or with score=false (the benchmark floor)
 * just {"loanId": ...}. Throws the problems a bad body gets (malformed JSON, contract violations).
 */
export async function scoreOneBody(deps: Deps, text: string | undefined, asOf: number, score: boolean): Promise<string | Buffer> {
  // A failed pool (a worker crashed) refuses every job; single histories then go on in process.
  if (deps.scoreOnePool !== null && !deps.scoreOnePool.failed && text !== undefined) {
    const r = await deps.scoreOnePool.runOne({ asOf, score, text });
    if (r.status === 'done') {
      if (r.band !== null) {
        deps.metrics.inference.observe({ kind: 'one' }, r.seconds);
        deps.metrics.decisions.inc({ band: r.band });
      }
      return r.json;
    }
    if (r.status === 'invalid') throw new RequestValidationError(r.problems);
    if (r.status === 'error') throw new Error(`score worker failed: ${r.message}`);
  }
  if (text !== undefined) {
    const history = readHistoryText(text);
    if (history !== undefined) return (score ? await scoreSoon({ scorer: deps.scorer, history, asOf }) : replyFor(deps.scorer, history, asOf, false)).body;
  }
  const raw = text === undefined ? undefined : await parseJsonBody(text);
  // deps.scorer is instrumented: it records inference time and the band itself.
  const reply = scoreOneReply(deps.scorer, raw, asOf, score);
  if (!reply.ok) throw new RequestValidationError(reply.problems);
  return reply.body;
}
