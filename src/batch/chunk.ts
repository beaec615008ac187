// One chunk of work, the same in a worker thread and in-process: raw records in, encoded decisions,
// rejects, bands and statistics out. A bad record becomes a reject line and the chunk goes on.
import type { Decision } from '../domain/decision/schema.js';
import { Utf8Writer } from '../domain/decision/utf8-writer.js';
import { rowsToHistory } from '../domain/history/flat.js';
import type { LoanHistory } from '../domain/history/schema.js';
import { readHistoryAscii } from '../domain/history/text-history.js';
import { describeProblems, parseHistory } from '../domain/history/validate.js';
import type { Scorer } from '../scoring/scorer.js';
import { isActive, knownInactive } from './active.js';
import { historyFromParts } from './history-sql.js';
import type { FlatLoan } from './flat-columns.js';
import { type OutputFormat, writeDecisionLine } from './decision-row.js';
import { partTexts, readPartBytes, type PartBytes } from './part-bytes.js';
import { inShard, type Shard } from './shard.js';
import { type IdRange, lineRecords, type SourceChunk } from './source.js';
import { countDecision, emptyStats, type RunStats } from './stats.js';

/** A record as a reader delivers it: raw JSON text, or an already-built object (flat tables, store). */
export interface RawRecord {
  /** Where it came from, for the reject file: `file:line` or `loans row n`. */
  readonly position: string;
  readonly text?: string;
  /** The text's UTF-8 bytes (NDJSON lines): the text reader scans them when the text is ASCII. */
  readonly bytes?: Uint8Array;
  readonly value?: unknown;
  /** A history the contract already parsed (the service's store): not validated again. */
  readonly trusted?: boolean;
  /** One loan's rows from the flat tables. */
  readonly flat?: FlatLoan;
  /** A reader-side problem (e.g. rows that do not assemble into a history). */
  readonly error?: string;
  /** The loan id, when the reader knows it without parsing (flat tables): the shard is decided first. */
  readonly loanId?: string;
  /** Inactive at the as-of instant as the reader decided from a few columns: only counted. */
  readonly inactive?: boolean;
  /** One loan's JSON texts from the flat tables (history-sql.ts), as bytes: read when the chunk gets to it. */
  readonly partBytes?: PartBytes;
  /** Reads the record again the exact (slow) way when `text` / `partBytes` fails to parse or validate (flat tables). */
  readonly recover?: () => Promise<RawRecord[]>;
}

/** The raw (not validated) value of a record read as JSON text: its text, or its flat-table texts. Throws when they are not JSON. */
export function rawValue(record: Pick<RawRecord, 'text' | 'partBytes'>): unknown {
  return record.partBytes !== undefined ? historyFromParts(partTexts(record.partBytes)) : JSON.parse(record.text!);
}

export interface ChunkContext {
  readonly scorer: Scorer;
  readonly asOf: number;
  readonly shard: Shard;
  readonly format: OutputFormat;
  /** Inner edges of the model's training PD distribution, for PSI; empty when none. */
  readonly referenceEdges: readonly number[];
  /** Also return the Decision objects (to record them in the store). */
  readonly keepDecisions?: boolean;
  /** Histories per scoreMany call (default SCORE_BATCH). */
  readonly scoreBatch?: number;
  /** Reads a range of the flat tables, for chunks that carry a range instead of records. */
  readonly readRange?: (range: IdRange) => Promise<RawRecord[]>;
}

export interface ChunkResult {
  readonly index: number;
  /** Decisions, encoded in the output format, in input order, as UTF-8 in a buffer of its own (it can be transferred). */
  readonly output: Uint8Array;
  /** Reject lines (NDJSON: position, loanId, error, record). */
  readonly rejects: string;
  /** `loanId\tband\n` per decision, for the next run's band-rise comparison. */
  readonly bands: string;
  readonly stats: RunStats;
  /** The decisions themselves, when the context asked to keep them. */
  readonly decisions?: Decision[];
}

export interface Reject {
  readonly position: string;
  readonly loanId: string | null;
  readonly error: string;
  readonly record?: string;
}

function loanIdOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const id = (value as { loanId?: unknown }).loanId;
  return typeof id === 'string' ? id : null;
}

interface Accepted {
  readonly history: LoanHistory;
  readonly position: string;
}

/**
 * Histories scored per scoreMany call. A chunk is cut into batches of this many accepted loans, each
 * scored, encoded and let go before the next is validated, so the objects alive at once (histories,
 * timelines, ledgers, feature rows) are bounded by this, not by the chunk size (1M NDJSON, 2 workers:
 * peak RSS 994 MB with 1,024, against 1,528 MB with one batch per 4,096-loan chunk). Small, because
 * what is alive at a young-generation GC gets copied: 1,024 long histories (~50 MB) cost 219 µs of CPU
 * an active loan, 124 of them in GC pauses; 8-256 cost 117-140, 20-40 in GC (`npm run bench:rescore-chunk`,
 * one thread, 8,192 active loans of the 50k bench portfolio, load ~5). The bundled model scores row by
 * row, so small batches cost it nothing; a tfjs-only model pays one call per 32 rows.
 */
export const SCORE_BATCH = 32;

/** Output memory reused from chunk to chunk; null while a chunk writes into it. */
let spareOutput: Utf8Writer | null = null;

export async function processChunk(index: number, records: readonly RawRecord[], ctx: ChunkContext): Promise<ChunkResult> {
  const stats = emptyStats(ctx.referenceEdges.length > 0 ? ctx.referenceEdges.length + 1 : 0);
  const rejects: Reject[] = [];
  /** Loans that passed validation but failed scoring: reported after the reading rejects, as one batch would. */
  const scoringRejects: Reject[] = [];
  let accepted: Accepted[] = [];
  // A chunk's output is written into reused memory and copied out at the end; a chunk that starts while
  // another one holds the memory (chunks in process await the scorer) writes into memory of its own.
  const output = spareOutput ?? new Utf8Writer(1 << 20);
  spareOutput = null;
  let bands = '';
  const keep: Decision[] | undefined = ctx.keepDecisions === true ? [] : undefined;
  const batch = ctx.scoreBatch ?? SCORE_BATCH;
  const flush = async (): Promise<void> => {
    const decisions = await scoreIsolating(accepted, ctx, scoringRejects);
    accepted = [];
    for (const d of decisions) {
      writeDecisionLine(output, d, ctx.format);
      bands += `${d.loanId}\t${d.band}\n`;
      countDecision(stats, d, ctx.referenceEdges);
      keep?.push(d);
    }
  };
  const consider = async (record: RawRecord): Promise<void> => {
    if (record.loanId !== undefined && !inShard(record.loanId, ctx.shard)) {
      stats.otherShard++;
      return;
    }
    if (record.inactive === true) {
      stats.inactive++;
      return;
    }
    // The text reader first: a valid history straight from its text, decided as isActive decides (what
    // knownInactive says of a valid history). When it is not sure, the ordinary path below answers.
    if (record.error === undefined && record.flat === undefined && record.trusted !== true) {
      const read = record.partBytes !== undefined ? readPartBytes(record.partBytes) : record.text !== undefined ? readHistoryAscii(record.text, record.bytes) : undefined;
      if (read !== undefined) {
        if (!inShard(read.loanId, ctx.shard)) stats.otherShard++;
        else if (!isActive(read, ctx.asOf)) stats.inactive++;
        else accepted.push({ history: read, position: record.position });
        return;
      }
    }
    let value = record.value;
    if (record.text !== undefined || record.partBytes !== undefined) {
      try {
        value = rawValue(record);
      } catch (error) {
        if (record.recover !== undefined) {
          for (const r of await record.recover()) await consider(r);
          return;
        }
        // Records whose id cannot be read belong to shard 0, so that every reject is reported once.
        if (ctx.shard.index === 0) rejects.push({ position: record.position, loanId: null, error: `not JSON: ${(error as Error).message}`, record: record.text });
        else stats.otherShard++;
        return;
      }
    }
    let flatError: string | undefined;
    if (record.flat !== undefined) {
      try {
        value = rowsToHistory(record.flat);
      } catch (error) {
        value = { loanId: record.flat.loan['loan_id'] };
        flatError = (error as Error).message;
      }
    }
    const loanId = loanIdOf(value);
    if (loanId === null ? ctx.shard.index !== 0 : !inShard(loanId, ctx.shard)) {
      stats.otherShard++;
      return;
    }
    const readError = record.error ?? flatError;
    if (readError !== undefined) {
      rejects.push({ position: record.position, loanId, error: readError, record: record.text ?? JSON.stringify(record.flat ?? value) });
      return;
    }
    if (record.trusted !== true && knownInactive(value, ctx.asOf)) {
      stats.inactive++;
      return;
    }
    const parsed = record.trusted === true ? { ok: true as const, value: value as LoanHistory } : parseHistory(value);
    if (!parsed.ok) {
      if (record.recover !== undefined) {
        for (const r of await record.recover()) await consider(r);
        return;
      }
      rejects.push({ position: record.position, loanId, error: describeProblems(parsed.problems), record: record.text ?? JSON.stringify(value) });
      return;
    }
    if (!isActive(parsed.value, ctx.asOf)) {
      stats.inactive++;
      return;
    }
    accepted.push({ history: parsed.value, position: record.position });
  };
  for (const record of records) {
    await consider(record);
    if (accepted.length >= batch) await flush();
  }
  await flush();
  rejects.push(...scoringRejects);
  stats.rejected = rejects.length;
  let rejectText = '';
  for (const r of rejects) rejectText += `${JSON.stringify(r)}\n`;
  const bytes = output.copy();
  spareOutput = output;
  return { index, output: bytes, rejects: rejectText, bands, stats, ...(keep === undefined ? {} : { decisions: keep }) };
}

/** Scores one batch; when it fails, scores one by one so only the culprit is rejected. */
async function scoreIsolating(accepted: readonly Accepted[], ctx: ChunkContext, rejects: Reject[]): Promise<Decision[]> {
  if (accepted.length === 0) return [];
  try {
    return await ctx.scorer.scoreMany(accepted.map((a) => a.history), ctx.asOf);
  } catch {
    const out: Decision[] = [];
    for (const a of accepted) {
      try {
        out.push(ctx.scorer.scoreOne(a.history, ctx.asOf));
      } catch (error) {
        rejects.push({ position: a.position, loanId: a.history.loanId, error: `scoring failed: ${(error as Error).message}` });
      }
    }
    return out;
  }
}

/** A chunk as the source made it: records, or a range of the flat tables this thread reads itself. */
export async function processSourceChunk(chunk: SourceChunk, ctx: ChunkContext): Promise<ChunkResult> {
  if (chunk.lines !== undefined) return processChunk(chunk.index, [...lineRecords(chunk.lines), ...chunk.records], ctx);
  if (chunk.range === undefined) return processChunk(chunk.index, chunk.records, ctx);
  if (ctx.readRange === undefined) throw new Error(`chunk ${chunk.index} is a table range but this executor has no table reader`);
  return processChunk(chunk.index, await ctx.readRange(chunk.range), ctx);
}
