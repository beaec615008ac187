// How the JSON batch route validates and scores its histories, in process (routes/score.ts) and in a
// worker job (batch-job.ts) alike: a chunk at a time, one model call per chunk, each invalid item
// answered with its field problems at its place in the whole batch.
import type { Decision } from '../domain/decision/schema.js';
import type { LoanHistory } from '../domain/history/schema.js';
import { parseHistory, type FieldProblem } from '../domain/history/validate.js';
import type { Scorer } from '../scoring/scorer.js';

/** Histories validated and scored per model call. */
export const CHUNK = 256;

export interface ChunkedScoring {
  /** Index in the whole batch of raw[0] (field paths read histories[firstIndex + k]). */
  readonly firstIndex: number;
  /** false: validate only (the benchmark floor). */
  readonly score: boolean;
  /** Awaited between chunks (the in-process route gives the event loop a turn there). */
  readonly between?: () => Promise<unknown>;
  readonly invalid: (k: number, problems: FieldProblem[]) => void;
  /** Histories already read and validated from their text (text-read.ts), by k; raw[k] is then not looked at. */
  readonly known?: readonly (LoanHistory | undefined)[];
  readonly scored: (k: number, decision: Decision) => void;
}

/** Validates raw[k] as histories[firstIndex + k] and scores the valid ones; how many were valid, and the seconds spent scoring. */
export async function scoreInChunks(scorer: Pick<Scorer, 'scoreMany'>, raw: readonly unknown[], asOf: number, how: ChunkedScoring): Promise<{ valid: number; seconds: number }> {
  let valid = 0;
  let seconds = 0;
  for (let start = 0; start < raw.length; start += CHUNK) {
    if (start > 0 && how.between !== undefined) await how.between();
    const histories: LoanHistory[] = [];
    const slots: number[] = [];
    for (let k = start; k < Math.min(start + CHUNK, raw.length); k++) {
      const known = how.known?.[k];
      const parsed = known !== undefined ? { ok: true as const, value: known } : parseHistory(raw[k], ['histories', how.firstIndex + k]);
      if (parsed.ok) {
        histories.push(parsed.value);
        slots.push(k);
      } else {
        how.invalid(k, parsed.problems);
      }
    }
    valid += histories.length;
    if (!how.score || histories.length === 0) continue;
    const t0 = performance.now();
    const decisions = await scorer.scoreMany(histories, asOf);
    seconds += (performance.now() - t0) / 1000;
    for (let j = 0; j < decisions.length; j++) how.scored(slots[j]!, decisions[j]!);
  }
  return { valid, seconds };
}
