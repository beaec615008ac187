// A JSON batch body scored on the worker pool: cut into pieces whose histories the workers find as they
// read them, or, when the body is not plain, split here first; parsed, validated and scored in the
// workers, the reply assembled from their JSON text. Returns null when the body must take the ordinary path
// (the split could not vouch for it, or an item is not JSON): that path gives the ordinary answer.
import { BANDS } from '../domain/decision/schema.js';
import { cutPoints, plainItemsRange, splitBatchBody } from './batch-split.js';
import { copyRenumbered, type Renumber, renumberedLength } from './renumber.js';
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
 * The reply body: head, the workers' parts (each after the first starts with its comma; a cut's
 * indices renumbered), tail, copied into reused memory: a fresh multi-megabyte buffer per request
 * costs the event loop far more than the copy. release() once the response is done with it (its 'close').
 */
export function joinParts(head: string, parts: readonly Uint8Array[], tail: string, buffers: BodyBuffers<ArrayBuffer>, renumber: readonly (Renumber | null)[] = []): SharedBody {
  const first = Buffer.from(head);
  const last = Buffer.from(tail);
  const length = first.byteLength + parts.reduce((n, p, k) => n + renumberedLength(p, renumber[k]), 0) + last.byteLength;
  const memory = buffers.take(length);
  const bytes = Buffer.from(memory, 0, length);
  bytes.set(first, 0);
  let at = first.byteLength;
  parts.forEach((part, k) => {
    const r = renumber[k];
    if (r === null || r === undefined || r.first === 0) {
      bytes.set(part, at);
      at += part.byteLength;
    } else {
      at = copyRenumbered(part, r, bytes, at);
    }
  });
  bytes.set(last, at);
  return { bytes, release: once(() => buffers.give(memory)) };
}

/**
 * How a plain batch body (batch-split.ts, plainItemsRange) is cut into worker jobs: 'cut', at places
 * that look like the start of an item, each worker finding its cut's items as it reads them (the event
 * loop then never scans the body); 'split', every item found here first (batch-split.ts), as all
 * bodies were until the twelfth session and every other body still is.
 */
export type BatchJobs = 'cut' | 'split';

/** How a batch is cut into worker jobs. */
export interface JobPlan {
  /** Histories per job at most (for a cut, the bytes of that many typical ones). */
  readonly slice: number;
  readonly jobs: BatchJobs;
}

interface PlanDeps {
  readonly scorePool: ScorePool | null;
  readonly scoreOnePool: ScorePool | null;
  readonly batchJobs?: BatchJobs;
}

/** Small jobs while single scores share the pool (they wait behind a job), large ones when they do not. */
export function jobPlan(deps: PlanDeps): JobPlan {
  const shared = deps.scoreOnePool !== null && deps.scoreOnePool === deps.scorePool;
  return { slice: shared ? SHARED_SLICE : BATCH_ONLY_SLICE, jobs: deps.batchJobs ?? 'cut' };
}

/**
 * Result memory set aside per history of a job (a typical decision is ~1.9 KB of JSON): results that do
 * not fit come back in a buffer of their own, as they all did before.
 */
const RESULT_BYTES_PER_HISTORY = 4096;
/** A cut's result memory per byte of its histories' JSON (a typical decision is ~0.4x its history's). */
const RESULT_BYTES_PER_BODY_BYTE = 2;

export interface PooledBatch {
  /** UTF-8 of the JSON of the results array's items, one part per worker job, each after the first with a leading comma (none when not scoring). */
  readonly results: Uint8Array[];
  /** Per part: its indices' renumbering (a cut's), or null (joinParts). */
  readonly renumber: (Renumber | null)[];
  /** Hands the results' shared memory back: call it once they have been copied out (joinParts). */
  release(): void;
  readonly count: number;
  readonly scored: number;
  readonly failed: number;
  /** Decisions per band, in BANDS order. */
  readonly bands: readonly number[];
  readonly seconds: number;
}

/**
 * check(count): refuses an oversized batch (throws): before any work when the body is split here,
 * after its cuts were read when it was cut (each cut stops past maxItems; the body is then split).
 */
export async function runPooledBatch(
  pool: ScorePool,
  body: Buffer,
  asOf: number,
  score: boolean,
  check: (count: number) => void,
  plan: JobPlan & { readonly maxItems?: number } = { slice: SHARED_SLICE, jobs: 'split' },
  outputs: BodyBuffers | null = null,
): Promise<PooledBatch | null> {
  if (plan.jobs === 'cut') {
    const cut = await runCutBody(pool, body, asOf, score, plan.slice, plan.maxItems ?? Number.POSITIVE_INFINITY, outputs);
    if (cut !== null) {
      check(cut.count);
      return cut;
    }
  }
  return runSplitBody(pool, body, asOf, score, check, plan.slice, outputs);
}

/** Bytes of a typical history (bench/support/typical-histories.ts: ~3.8 KB), to size cuts as the split sizes jobs. */
export const TYPICAL_HISTORY_BYTES = 4096;

/**
 * A cut's size at most, about twice the size it is cut to. V8 was seen to slow String.prototype.indexOf
 * with a position by ~700x on strings of 3 MB and more once it had optimised the calling loop (every
 * call as if it scanned the whole string; 1.9 MB was still fine, `tmp/probe/patho4.mjs`), and the text
 * reader looks for each string's closing quote that way: a cut's text stays well under that.
 */
export const MAX_CUT_BYTES = 2 * 1024 * 1024;

/** A plain body's histories, cut into jobs read where they lie; null: not plain, or a cut was not between items (split it). */
async function runCutBody(pool: ScorePool, body: Buffer, asOf: number, score: boolean, slice: number, maxItems: number, outputs: BodyBuffers | null): Promise<PooledBatch | null> {
  const range = plainItemsRange(body);
  if (range === null) return null;
  const [from, to] = range;
  const size = to - from;
  // As the split: at least one job per worker unless the batch is small, at most `slice` histories' bytes each.
  const parts = Math.max(1, Math.min(pool.size, Math.ceil(size / (32 * TYPICAL_HISTORY_BYTES))), Math.ceil(size / (slice * TYPICAL_HISTORY_BYTES)));
  const starts = [from, ...cutPoints(body, from, to, parts)];
  // Too few places found (the histories do not start alike): split instead of reading a huge cut.
  if (starts.some((start, k) => (k + 1 < starts.length ? starts[k + 1]! : to) - start > MAX_CUT_BYTES)) return null;
  const shared = body.buffer instanceof SharedArrayBuffer;
  const memory = score && outputs !== null ? outputs.take(RESULT_BYTES_PER_BODY_BYTE * size + 65536 * starts.length) : null;
  const release = once(() => outputs!.give(memory!), memory === null);
  const outs: Array<Uint8Array | undefined> = [];
  const jobs: Array<Promise<ScoreJobResult>> = [];
  let region = 0;
  starts.forEach((start, k) => {
    const end = k + 1 < starts.length ? starts[k + 1]! : to;
    const bytes = shared ? body.subarray(start, end) : new Uint8Array(body.subarray(start, end));
    const room = RESULT_BYTES_PER_BODY_BYTE * (end - start) + 65536;
    const out = memory === null ? undefined : new Uint8Array(memory, region, room);
    region += room;
    outs.push(out);
    const cut = { continued: k + 1 < starts.length, leadingComma: k > 0 };
    jobs.push(pool.run({ kind: 'items', asOf, score, bytes, maxItems, cut: starts.length > 1 ? cut : null, ...(out === undefined ? {} : { out }) }));
  });
  const done = await settle(jobs, release);
  return done === null ? null : collect(done, outs, release);
}

/**
 * The jobs' results in order, as the reply's parts: each where it was written (its region of the shared
 * memory, or a buffer of its own), empty ones left out, a cut's relative indices to be renumbered from
 * the histories before it; and the batch's counts.
 */
function collect(done: ReadonlyArray<ScoreJobResult & { ok: true }>, outs: ReadonlyArray<Uint8Array | undefined>, release: () => void): PooledBatch {
  const results: Uint8Array[] = [];
  const renumber: (Renumber | null)[] = [];
  const bands = BANDS.map(() => 0);
  let count = 0;
  let scored = 0;
  let seconds = 0;
  for (const [k, r] of done.entries()) {
    const part = r.written > 0 ? outs[k]!.subarray(0, r.written) : r.results;
    if (part.byteLength > 0) {
      results.push(part);
      renumber.push(r.slots === undefined ? null : { first: count, slots: r.slots });
    }
    count += r.scored + r.failed;
    scored += r.scored;
    seconds += r.seconds;
    r.bands.forEach((c, i) => (bands[i]! += c));
  }
  return { results, renumber, release, count, scored, failed: count - scored, bands, seconds };
}

/**
 * Every job's result once all have ended (a failed pool stops all its workers before it rejects their
 * jobs, score-pool.ts, so none still reads the body then); null when one gave up on its items (the
 * memory is then released). Throws when a job failed.
 */
async function settle(jobs: Array<Promise<ScoreJobResult>>, release: () => void): Promise<Array<ScoreJobResult & { ok: true }> | null> {
  const settled = await Promise.allSettled(jobs);
  const done: Array<ScoreJobResult & { ok: true }> = [];
  for (const s of settled) {
    if (s.status === 'rejected') {
      release();
      throw s.reason instanceof Error ? s.reason : new Error(String(s.reason));
    }
  }
  for (const s of settled) {
    const r = (s as PromiseFulfilledResult<ScoreJobResult>).value;
    if (!r.ok) {
      release();
      if (r.notJson) return null;
      throw new Error(`score worker failed: ${r.message}`);
    }
    done.push(r);
  }
  return done;
}

/** fn, called at most once (already: it counts as called). */
function once(fn: () => void, already = false): () => void {
  let done = already;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

/** The batch's item count, before any work, so that the route can refuse an oversized batch. */
async function runSplitBody(
  pool: ScorePool,
  body: Buffer,
  asOf: number,
  score: boolean,
  check: (count: number) => void,
  slice: number,
  outputs: BodyBuffers | null,
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
  const release = once(() => outputs!.give(memory!), memory === null);
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
    jobs.push(pool.run({ kind: 'split', asOf, score, bytes, items, firstIndex: first, ...(out === undefined ? {} : { out }) }));
  }
  // Every job has ended before this returns, or its worker was stopped: the caller may then reuse the
  // body's memory (and the results' once it has copied them: release).
  const done = await settle(jobs, release);
  // Every job answers for each of its histories (scored or failed): the counts add up to n.
  return done === null ? null : collect(done, outs, release);
}
