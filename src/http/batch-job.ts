// One worker job of a JSON batch: parse, validate and score a slice of the body's histories and write
// their results as the JSON text the in-process route would write, UTF-8 encoded. Runs in the score
// workers (score-worker.ts); a plain function so that tests and benchmarks can run it in one thread.
import { decisionJson } from '../domain/decision/json.js';
import { BANDS, type Decision } from '../domain/decision/schema.js';
import type { LoanHistory } from '../domain/history/schema.js';
import { parseHistory } from '../domain/history/validate.js';
import type { Scorer } from '../scoring/scorer.js';
import type { ScoreJob, ScoreJobResult } from './score-worker-protocol.js';

/** Histories scored per model call: the same chunk size as the in-process route. */
const CHUNK = 256;
const ENCODER = new TextEncoder();
const COMMA = 44;
/** Where a job's reply text is encoded, reused from job to job (grown when a job needs more). */
let scratch = new Uint8Array(1 << 20);

/**
 * The texts, comma-joined, as UTF-8 in a buffer of their own (it can be transferred). Each text is
 * encoded into the reused scratch buffer and the whole copied once: joining first would build a large
 * string, and encoding it a large fresh buffer, both several times slower than the encoding itself.
 * Synchronous, so that no other job in this thread touches the scratch buffer meanwhile.
 */
export function encodeJoined(texts: readonly string[], leadingComma: boolean): Uint8Array {
  let at = 0;
  for (let k = 0; k < texts.length; k++) {
    const text = texts[k]!;
    // At most 3 bytes per UTF-16 unit, and one for the comma.
    if (scratch.length - at < text.length * 3 + 1) {
      const grown = new Uint8Array(Math.max(scratch.length * 2, at + text.length * 3 + 1));
      grown.set(scratch.subarray(0, at));
      scratch = grown;
    }
    if (k > 0 || leadingComma) scratch[at++] = COMMA;
    at += ENCODER.encodeInto(text, scratch.subarray(at)).written;
  }
  return scratch.slice(0, at);
}

export async function runBatchJob(scorer: Pick<Scorer, 'scoreMany'>, job: ScoreJob): Promise<ScoreJobResult> {
  const text = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
  const n = job.items.length / 2;
  const out: string[] = new Array(n);
  let scored = 0;
  let seconds = 0;
  const bands = BANDS.map(() => 0);
  for (let start = 0; start < n; start += CHUNK) {
    const valid: LoanHistory[] = [];
    const slots: number[] = [];
    for (let k = start; k < Math.min(start + CHUNK, n); k++) {
      const index = job.firstIndex + k;
      let raw: unknown;
      try {
        raw = JSON.parse(text.toString('utf8', job.items[2 * k], job.items[2 * k + 1]));
      } catch {
        return { id: job.id, ok: false, notJson: true };
      }
      const parsed = parseHistory(raw, ['histories', index]);
      if (parsed.ok) {
        valid.push(parsed.value);
        slots.push(k);
      } else {
        out[k] = JSON.stringify({ index, ok: false, errors: parsed.problems });
      }
    }
    scored += valid.length;
    if (!job.score) continue;
    const t0 = performance.now();
    const decisions: Decision[] = valid.length === 0 ? [] : await scorer.scoreMany(valid, job.asOf);
    seconds += (performance.now() - t0) / 1000;
    for (let j = 0; j < decisions.length; j++) {
      const k = slots[j]!;
      const decision = decisions[j]!;
      bands[BANDS.indexOf(decision.band)]!++;
      // The text JSON.stringify({ index, ok: true, decision }) writes (decisionJson: byte for byte JSON.stringify).
      out[k] = `{"index":${job.firstIndex + k},"ok":true,"decision":${decisionJson(decision)}}`;
    }
  }
  // A leading comma after earlier jobs: the reply is then head, every job's bytes, tail, as they are.
  const results = job.score ? encodeJoined(out, job.firstIndex > 0) : new Uint8Array(0);
  return { id: job.id, ok: true, results, scored, failed: n - scored, bands, seconds };
}
