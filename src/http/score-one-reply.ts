// POST /v1/score's answer to a parsed body, in process (score-one.ts) and on a score worker
// (score-worker.ts) alike, so that both write the same bytes.
import { decisionJson } from '../domain/decision/json.js';
import { parseHistory, type FieldProblem } from '../domain/history/validate.js';
import type { Scorer } from '../scoring/scorer.js';

export type ScoreOneReply =
  /** json: the reply body; band null and seconds 0 when not scored. */
  | { readonly ok: true; readonly json: string; readonly band: string | null; readonly seconds: number }
  | { readonly ok: false; readonly problems: FieldProblem[] };

/** The decision's JSON, or with score=false (the benchmark floor) just {"loanId": ...}; the contract's problems when the body breaks it. */
export function scoreOneReply(scorer: Pick<Scorer, 'scoreOne'>, raw: unknown, asOf: number, score: boolean): ScoreOneReply {
  const parsed = parseHistory(raw);
  if (!parsed.ok) return { ok: false, problems: parsed.problems };
  if (!score) return { ok: true, json: JSON.stringify({ loanId: parsed.value.loanId }), band: null, seconds: 0 };
  const t0 = performance.now();
  const decision = scorer.scoreOne(parsed.value, asOf);
  const seconds = (performance.now() - t0) / 1000;
  return { ok: true, json: decisionJson(decision), band: decision.band, seconds };
}
