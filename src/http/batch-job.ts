// One worker job of a JSON batch: parse, validate and score a slice of the body's histories and write
// their results as the JSON text the in-process route would write, UTF-8 encoded. Runs in the score
// workers (score-worker.ts); a plain function so that tests and benchmarks can run it in one thread.
import { decisionJson } from '../domain/decision/json.js';
import { BANDS } from '../domain/decision/schema.js';
import type { Scorer } from '../scoring/scorer.js';
import { scoreInChunks } from './batch-chunks.js';
import type { ScoreJob, ScoreJobResult } from './score-worker-protocol.js';

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
  const raw: unknown[] = new Array(n);
  for (let k = 0; k < n; k++) {
    try {
      raw[k] = JSON.parse(text.toString('utf8', job.items[2 * k], job.items[2 * k + 1]));
    } catch {
      return { id: job.id, ok: false, notJson: true };
    }
  }
  const out: string[] = new Array(n);
  const bands = BANDS.map(() => 0);
  const { valid, seconds } = await scoreInChunks(scorer, raw, job.asOf, {
    firstIndex: job.firstIndex,
    score: job.score,
    invalid: (k, problems) => (out[k] = JSON.stringify({ index: job.firstIndex + k, ok: false, errors: problems })),
    scored: (k, decision) => {
      bands[BANDS.indexOf(decision.band)]!++;
      // The text JSON.stringify({ index, ok: true, decision }) writes (decisionJson: byte for byte JSON.stringify).
      out[k] = `{"index":${job.firstIndex + k},"ok":true,"decision":${decisionJson(decision)}}`;
    },
  });
  // A leading comma after earlier jobs: the reply is then head, every job's bytes, tail, as they are.
  const results = job.score ? encodeJoined(out, job.firstIndex > 0) : new Uint8Array(0);
  return { id: job.id, ok: true, results, scored: valid, failed: n - valid, bands, seconds };
}
