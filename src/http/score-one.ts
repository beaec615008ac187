// POST /v1/score's work on the raw body text: parse, validate and score on the worker pool when there
// is one, else in process. Both give the same reply text and the same problems; text the workers may
// not answer for (see json-screen.ts) is parsed here by fastify's own JSON parser.
import type { HttpDeps } from './deps.js';
import { RequestValidationError } from './errors.js';
import { parseJsonBody } from './raw-json.js';
import { scoreOneReply, scoreOneText } from './score-one-reply.js';

type Deps = Pick<HttpDeps, 'scorer' | 'scoreOnePool' | 'metrics'>;

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
    const read = scoreOneText(deps.scorer, text, asOf, score);
    if (read?.ok === true) return read.body;
  }
  const raw = text === undefined ? undefined : await parseJsonBody(text);
  // deps.scorer is instrumented: it records inference time and the band itself.
  const reply = scoreOneReply(deps.scorer, raw, asOf, score);
  if (!reply.ok) throw new RequestValidationError(reply.problems);
  return reply.body;
}
