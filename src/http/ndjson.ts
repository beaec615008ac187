// Streamed NDJSON scoring: lines are read, validated and scored in chunks (one batch inference per
// chunk) and written back in input order, so memory stays flat however long the body is.
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { PassThrough, type Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { writeDecision } from '../domain/decision/json.js';
import { Utf8Writer } from '../domain/decision/utf8-writer.js';
import type { LoanHistory } from '../domain/history/schema.js';
import { readHistoryText } from '../domain/history/text-history.js';
import { parseHistory } from '../domain/history/validate.js';
import type { HttpDeps } from './deps.js';

const CHUNK = 256;

interface Pending {
  line: number;
  history?: LoanHistory;
  errors?: Array<{ path: string; message: string }>;
}

export async function streamScores(req: FastifyRequest, reply: FastifyReply, deps: HttpDeps, asOf: number): Promise<FastifyReply> {
  const input = req.body as Readable;
  const out = new PassThrough();
  const write = async (data: Uint8Array) => {
    if (!out.write(data)) await once(out, 'drain');
  };
  /** A chunk's reply lines, written as UTF-8 straight away (decision/json.ts) and copied out per chunk. */
  const replyLines = new Utf8Writer();

  const flush = async (pending: Pending[]) => {
    const histories = pending.flatMap((p) => (p.history === undefined ? [] : [p.history]));
    const decisions = histories.length === 0 ? [] : await deps.scorer.scoreMany(histories, asOf);
    let k = 0;
    for (const p of pending) {
      if (p.history === undefined) replyLines.text(`${JSON.stringify({ line: p.line, ok: false, errors: p.errors })}\n`);
      else {
        // writeDecision writes what JSON.stringify would; the envelope's keys come first, as JSON.stringify orders them.
        replyLines.ascii(`{"line":${p.line},"ok":true,"decision":`);
        writeDecision(replyLines, decisions[k++]!);
        replyLines.ascii('}\n');
      }
    }
    await write(replyLines.copy());
  };

  const run = async () => {
    const lines = createInterface({ input, crlfDelay: Infinity });
    let n = 0;
    let pending: Pending[] = [];
    for await (const text of lines) {
      n++;
      if (text.trim() === '') continue;
      const read = readHistoryText(text);
      if (read !== undefined) {
        pending.push({ line: n, history: read });
        if (pending.length >= CHUNK) {
          await flush(pending);
          pending = [];
        }
        continue;
      }
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (error) {
        pending.push({ line: n, errors: [{ path: '(root)', message: `not JSON: ${(error as Error).message}` }] });
        continue;
      }
      const parsed = parseHistory(raw);
      pending.push(parsed.ok ? { line: n, history: parsed.value } : { line: n, errors: parsed.problems });
      if (pending.length >= CHUNK) {
        await flush(pending);
        pending = [];
      }
    }
    await flush(pending);
    out.end();
  };

  reply.type('application/x-ndjson; charset=utf-8').send(out);
  run().catch((error: unknown) => {
    req.log.error({ err: error }, 'ndjson scoring failed');
    out.end(`${JSON.stringify({ ok: false, error: 'internal error; the stream stops here' })}\n`);
  });
  return reply;
}
