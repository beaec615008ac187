// A JSON batch body scored on the worker pool: split here, parsed, validated and scored in the workers,
// the reply assembled from their JSON text. Returns null when the body must take the ordinary path
// (the split could not vouch for it, or an item is not JSON): that path gives the ordinary answer.
import { BANDS } from '../domain/decision/schema.js';
import { splitBatchBody } from './batch-split.js';
import type { ScorePool } from './score-pool.js';
import type { BodyBuffers, SharedBody } from './shared-body.js';
import type { ScoreJobResult } from './score-worker-protocol.js';

/** Histories per worker job at most while single scores share the workers (~4 ms of work on a quiet core). */
export const SHARED_SLICE = 64;
/**
 * ... when no single score waits for the workers (EWS_SCORE_ONE_ON_WORKERS=0): fewer, larger jobs cost
 * less per loan (one thread, 1,000 typical histories, load ~8: 63.7-64.1 against 65.8-68.6 µs per loan).
 */
export const BATCH_ONLY_SLICE = 256;

/**
 * The reply body: head, the workers' parts (each after the first starts with its comma), tail, copied
 * into reused memory: a fresh multi-megabyte buffer per request costs the event loop far more than the
 * copy. release() once the response is done with it (its 'close').
 */
export function joinParts(head: string, parts: readonly Uint8Array[], tail: string, buffers: BodyBuffers<ArrayBuffer>): SharedBody {
  const first = Buffer.from(head);
  const last = Buffer.from(tail);
  const length = first.byteLength + parts.reduce((n, p) => n + p.byteLength, 0) + last.byteLength;
  const memory = buffers.take(length);
  const bytes = Buffer.from(memory, 0, length);
  let at = 0;
  for (const part of [first, ...parts, last]) {
    bytes.set(part, at);
    at += part.byteLength;
  }
  let released = false;
  return {
    bytes,
    release: () => {
      if (released) return;
      released = true;
      buffers.give(memory);
    },
  };
}

/** The job size for a batch: small while single scores share the pool, large when they do not. */
export function jobSlice(deps: { readonly scorePool: ScorePool | null; readonly scoreOnePool: ScorePool | null }): number {
  return deps.scoreOnePool !== null && deps.scoreOnePool === deps.scorePool ? SHARED_SLICE : BATCH_ONLY_SLICE;
}

/**
 * Result memory set aside per history of a job (a typical decision is ~1.9 KB of JSON): results that do
 * not fit come back in a buffer of their own, as they all did before.
 */
const RESULT_BYTES_PER_HISTORY = 4096;

export interface PooledBatch {
  /** UTF-8 of the JSON of the results array's items, one part per worker job, each after the first with a leading comma (none when not scoring). */
  readonly results: Uint8Array[];
  /** Hands the results' shared memory back: call it once they have been copied out (joinParts). */
  release(): void;
  readonly count: number;
  readonly scored: number;
  readonly failed: number;
  readonly bands: Record<string, number>;
  readonly seconds: number;
}

/** The batch's item count, before any work, so that the route can refuse an oversized batch. */
export async function runPooledBatch(
  pool: ScorePool,
  body: Buffer,
  asOf: number,
  score: boolean,
  check: (count: number) => void,
  slice: number = SHARED_SLICE,
  outputs: BodyBuffers | null = null,
): Promise<PooledBatch | null> {
  const split = splitBatchBody(body);
  if (split === null) return null;
  const n = split.items.length / 2;
  check(n);
  // Contiguous slices: at least one per worker, and at most `slice` histories each, so that single-score
  // requests, when they share the workers, wait behind a few milliseconds of batch work, not a whole batch.
  const slices = Math.max(1, Math.min(pool.size, Math.ceil(n / 32)), Math.ceil(n / slice));
  // A body in shared memory is read by the workers where it lies; any other body is cut into copies
  // that move to the workers (transferred, not cloned).
  const shared = body.buffer instanceof SharedArrayBuffer;
  // Each job's results go to its own region of one shared buffer (the main thread keeps no new memory per request).
  const memory = score && outputs !== null ? outputs.take(n * RESULT_BYTES_PER_HISTORY) : null;
  let released = memory === null;
  const release = () => {
    if (released) return;
    released = true;
    outputs!.give(memory!);
  };
  const jobs: Array<Promise<ScoreJobResult>> = [];
  /** Each job's region of `memory` (undefined without it). */
  const outs: Array<Uint8Array | undefined> = [];
  for (let p = 0; p < slices; p++) {
    const first = Math.floor((p * n) / slices);
    const last = Math.floor(((p + 1) * n) / slices);
    if (last <= first) continue;
    const from = split.items[2 * first]!;
    const to = split.items[2 * last - 1]!;
    const bytes = shared ? body.subarray(from, to) : new Uint8Array(body.subarray(from, to));
    const items = split.items.slice(2 * first, 2 * last).map((x) => x - from);
    const out = memory === null ? undefined : new Uint8Array(memory, first * RESULT_BYTES_PER_HISTORY, (last - first) * RESULT_BYTES_PER_HISTORY);
    outs.push(out);
    jobs.push(pool.run({ asOf, score, bytes, items, firstIndex: first, ...(out === undefined ? {} : { out }) }));
  }
  // Every job has ended before this returns, or its worker was stopped (a failed pool stops all its
  // workers before it rejects their jobs, score-pool.ts): the caller may then reuse the body's memory
  // (and the results' once it has copied them: release).
  const settled = await Promise.allSettled(jobs);
  const done: ScoreJobResult[] = [];
  for (const s of settled) {
    if (s.status === 'rejected') {
      release();
      throw s.reason instanceof Error ? s.reason : new Error(String(s.reason));
    }
    done.push(s.value);
  }
  const parts: Uint8Array[] = [];
  let scored = 0;
  let seconds = 0;
  const bands: Record<string, number> = {};
  for (const [k, r] of done.entries()) {
    if (!r.ok) {
      release();
      if (r.notJson) return null;
      throw new Error(`score worker failed: ${r.message}`);
    }
    if (r.written > 0) parts.push(outs[k]!.subarray(0, r.written));
    else if (r.results.byteLength > 0) parts.push(r.results);
    scored += r.scored;
    seconds += r.seconds;
    r.bands.forEach((c, i) => {
      if (c > 0) bands[BANDS[i]!] = (bands[BANDS[i]!] ?? 0) + c;
    });
  }
  return { results: parts, release, count: n, scored, failed: n - scored, bands, seconds };
}
