// POST /v1/score's answer to a parsed body, in process (score-one.ts) and on a score worker
// (score-worker.ts) alike, so that both write the same bytes.
import { decisionBytes } from '../domain/decision/json.js';
import type { LoanHistory } from '../domain/history/schema.js';
import { readHistoryText } from '../domain/history/text-history.js';
import { parseHistory, type FieldProblem } from '../domain/history/validate.js';
import type { Scorer } from '../scoring/scorer.js';

export type ScoreOneReply =
  /**
   * body: the reply's UTF-8 bytes, a view that later replies do not overwrite (written straight to bytes:
   * a decision's text is a two-byte string, dear to measure and encode); band null and seconds 0 when not scored.
   */
  | { readonly ok: true; readonly body: Buffer; readonly band: string | null; readonly seconds: number }
  | { readonly ok: false; readonly problems: FieldProblem[] };

/** The decision's JSON (UTF-8), or with score=false (the benchmark floor) just {"loanId": ...}; the contract's problems when the body breaks it. */
export function scoreOneReply(scorer: Pick<Scorer, 'scoreOne'>, raw: unknown, asOf: number, score: boolean): ScoreOneReply {
  const parsed = parseHistory(raw);
  if (!parsed.ok) return { ok: false, problems: parsed.problems };
  return replyFor(scorer, parsed.value, asOf, score);
}

/**
 * The reply for a body text the text reader reads as a valid history, or undefined when it is not sure:
 * then the ordinary path (the JSON parser, scoreOneReply) answers, with every error it gives.
 */
export function scoreOneText(scorer: Pick<Scorer, 'scoreOne'>, text: string, asOf: number, score: boolean): Extract<ScoreOneReply, { ok: true }> | undefined {
  const history = readHistoryText(text);
  return history === undefined ? undefined : replyFor(scorer, history, asOf, score);
}

/** The reply for a valid history: its decision's JSON, or with score=false (the benchmark floor) just {"loanId": ...}. */
export function replyFor(scorer: Pick<Scorer, 'scoreOne'>, history: LoanHistory, asOf: number, score: boolean): Extract<ScoreOneReply, { ok: true }> {
  if (!score) return { ok: true, body: Buffer.from(JSON.stringify({ loanId: history.loanId })), band: null, seconds: 0 };
  const t0 = performance.now();
  const decision = scorer.scoreOne(history, asOf);
  const seconds = (performance.now() - t0) / 1000;
  const bytes = decisionBytes(decision);
  return { ok: true, body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), band: decision.band, seconds };
}
