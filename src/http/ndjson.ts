// Streamed NDJSON scoring: lines are read, validated and scored in blocks (batch inference) and written
// back in input order, so memory stays flat however long the body is: on the score workers when there
// are any (blocks of whole lines, renumbered as they are written), else on the event loop.
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { PassThrough, type Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Utf8Writer } from '../domain/decision/utf8-writer.js';
import type { HttpDeps } from './deps.js';
import { answerPending, type PendingLine, readLine } from './ndjson-lines.js';
import { BATCH_ONLY_SLICE, TYPICAL_HISTORY_BYTES } from './pooled-batch.js';
import { copyRenumbered, renumberedLength } from './renumber.js';
import type { ScorePool } from './score-pool.js';
import type { BodyBuffers } from './shared-body.js';
import type { ScoreJobResult } from './score-worker-protocol.js';

const CHUNK = 256;

/**
 * outputs: shared memory the workers write their answers into (reused from block to block and request
 * to request); blockBytes: a block's size at most while the workers are busy.
 */
export async function streamScores(req: FastifyRequest, reply: FastifyReply, deps: HttpDeps, asOf: number, outputs: BodyBuffers | null = null, blockBytes = BLOCK_BYTES): Promise<FastifyReply> {
  const input = req.body as Readable;
  const out = new PassThrough();
  const write = async (data: Uint8Array) => {
    if (!out.write(data)) await once(out, 'drain');
  };
  const pool = deps.scorePool !== null && !deps.scorePool.failed ? deps.scorePool : null;
  reply.type('application/x-ndjson; charset=utf-8').send(out);
  (pool === null ? scoreHere(input, write, deps, asOf) : scoreOnPool(input, write, pool, deps, asOf, outputs, blockBytes)).then(
    () => out.end(),
    (error: unknown) => {
      req.log.error({ err: error }, 'ndjson scoring failed');
      out.end(`${JSON.stringify({ ok: false, error: 'internal error; the stream stops here' })}\n`);
    },
  );
  return reply;
}

type Write = (data: Uint8Array) => Promise<void>;

/** Lines read, validated and scored on the event loop, CHUNK at a time. */
async function scoreHere(input: Readable, write: Write, deps: HttpDeps, asOf: number): Promise<void> {
  /** A chunk's reply lines, written as UTF-8 straight away (decision/json.ts) and copied out per chunk. */
  const replyLines = new Utf8Writer();
  const flush = async (pending: PendingLine[]) => {
    await answerPending(deps.scorer, pending, asOf, replyLines);
    await write(replyLines.copy());
  };
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  let pending: PendingLine[] = [];
  for await (const text of lines) {
    n++;
    if (text.trim() === '') continue;
    pending.push({ line: n, read: readLine(text) });
    if (pending.length >= CHUNK) {
      await flush(pending);
      pending = [];
    }
  }
  await flush(pending);
}

/** Bytes of lines per worker job at most while the workers are busy, by default (as many typical histories as a JSON batch's jobs hold). */
const BLOCK_BYTES = BATCH_ONLY_SLICE * TYPICAL_HISTORY_BYTES;

/**
 * Blocks of whole lines (cut after a newline, so a \r\n is never parted) answered on the score workers
 * and written in order, each block's line numbers renumbered from its place in the stream. A block goes
 * out as soon as a worker has nothing to do (results flow back while the body still arrives) and is
 * otherwise gathered up to blockBytes; at most two blocks per worker are out at a time (the input waits).
 */
async function scoreOnPool(input: Readable, write: Write, pool: ScorePool, deps: HttpDeps, asOf: number, outputs: BodyBuffers | null, blockBytes: number): Promise<void> {
  /** Per block sent: settles once its answer is written (each after the one before). */
  const written: Array<Promise<void>> = [];
  let done = 0;
  let lines = 0;
  const answer = async (r: ScoreJobResult, memory: Uint8Array | undefined) => {
    if (!r.ok) throw new Error(`score worker failed: ${r.notJson ? 'not plain' : r.message}`);
    deps.metrics.inference.observe({ kind: 'many' }, r.seconds);
    deps.metrics.decided(r.bands);
    const part = r.written > 0 ? memory!.subarray(0, r.written) : r.results;
    const renumber = { first: lines, slots: r.slots ?? new Int32Array(0) };
    const bytes = Buffer.allocUnsafeSlow(renumberedLength(part, renumber));
    copyRenumbered(part, renumber, bytes, 0);
    lines += r.lines ?? 0;
    await write(bytes);
  };
  const inFlight = () => written.length - done;
  const send = async (block: Uint8Array) => {
    // A copy in memory of its own (never a slice of node's shared Buffer pool): it moves to the worker, transferred.
    // The answers go to shared memory of the block's own (a typical answer is ~0.4x its line).
    const memory = outputs === null ? null : outputs.take(2 * block.byteLength + 65536);
    const region = memory === null ? undefined : new Uint8Array(memory, 0, 2 * block.byteLength + 65536);
    const job = pool.run({ kind: 'lines', asOf, bytes: new Uint8Array(block), ...(region === undefined ? {} : { out: region }) });
    // The memory is given back once its block's job has ended (answered or not) and its answer was copied out.
    const free = () => memory !== null && outputs!.give(memory);
    const before = written.length > 0 ? written[written.length - 1]! : Promise.resolve();
    const link = before
      .then(() => job)
      .then((r) => answer(r, region))
      .then(() => void done++)
      .finally(() => job.then(free, free));
    // Awaited in order below, where a failure surfaces (a job after a failed one is never looked at).
    job.catch(() => undefined);
    link.catch(() => undefined);
    written.push(link);
    if (inFlight() >= 2 * pool.size) await written[done];
  };
  let held: Buffer[] = [];
  let heldBytes = 0;
  for await (const chunk of input as AsyncIterable<Buffer>) {
    held.push(chunk);
    heldBytes += chunk.byteLength;
    // Only a chunk with a newline can end a block (a long line is not gathered again chunk by chunk).
    if ((heldBytes < blockBytes && inFlight() >= pool.size) || !chunk.includes(10)) continue;
    const all = Buffer.concat(held, heldBytes);
    let from = 0;
    for (;;) {
      let end: number;
      if (all.byteLength - from >= blockBytes) {
        // Whole lines up to about a block; a line longer than a block goes whole.
        end = all.lastIndexOf(10, from + blockBytes - 1) + 1;
        if (end <= from) end = all.indexOf(10, from + blockBytes) + 1;
      } else if (inFlight() < pool.size) {
        end = all.lastIndexOf(10) + 1;
      } else break;
      if (end <= from) break;
      await send(all.subarray(from, end));
      from = end;
    }
    const rest = Buffer.from(all.subarray(from));
    held = rest.byteLength > 0 ? [rest] : [];
    heldBytes = rest.byteLength;
  }
  if (heldBytes > 0) await send(Buffer.concat(held, heldBytes));
  for (const link of written) await link;
}
