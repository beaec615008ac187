// One worker job of a JSON batch: parse, validate and score a slice of the body's histories and write
// their results as the JSON text the in-process route would write, UTF-8 encoded. Runs in the score
// workers (score-worker.ts); a plain function so that tests and benchmarks can run it in one thread.
import { writeDecision } from '../domain/decision/json.js';
import { BANDS, type Decision } from '../domain/decision/schema.js';
import { utf8, Utf8Writer } from '../domain/decision/utf8-writer.js';
import type { LoanHistory } from '../domain/history/schema.js';
import type { FieldProblem } from '../domain/history/validate.js';
import type { Scorer } from '../scoring/scorer.js';
import { scoreInChunks } from './batch-chunks.js';
import { type BatchItems, InPlaceItems, RangeItems } from './batch-items.js';
import { answerLines } from './ndjson-lines.js';
import type { LinesJob, ScoreJob, ScoreJobResult } from './score-worker-protocol.js';

/** Reply memory reused from job to job (it grows when a job needs more); null while a job writes into it. */
let scratch: Utf8Writer | null = new Utf8Writer(1 << 20);

/**
 * Histories parsed, validated and scored at a time within a job. Small on purpose: a job of 256 parsed
 * all at once kept ~15 MB of parsed and validated histories alive across every young-generation GC,
 * which then copied them (`npm run bench:batch-job`, docs/service.md); a few at a time die
 * young. The bundled model scores row by row either way, so nothing is lost on the model call.
 */
export const JOB_SLICE = 16;

const COMMA = 0x2c;
const NO_BYTES = new Uint8Array(0);
const OK_DECISION = utf8(',"ok":true,"decision":');

/**
 * Results appended comma-joined as UTF-8 to the reused memory; done() copies them out into a buffer of
 * their own (it can be transferred) and gives the memory back. A decision is written as bytes straight
 * away (decision/json.ts): as a JS string it is two-byte, dear to encode. A job that starts while another
 * one holds the memory (a scorer that awaits) writes into memory of its own.
 */
class JoinedText {
  private readonly out: Utf8Writer;
  private first: boolean;
  /** Relative indices only (a cut job's): where each index was written and its value, for the main thread to renumber. */
  private readonly slots: number[] | null;

  constructor(leadingComma: boolean, relative = false) {
    this.out = scratch ?? new Utf8Writer(1 << 16);
    scratch = null;
    this.first = !leadingComma;
    this.slots = relative ? [] : null;
  }

  private comma(): void {
    if (!this.first) this.out.byte(COMMA);
    this.first = false;
  }

  /** A batch index, its place noted when indices are relative. */
  private index(index: number): void {
    this.slots?.push(this.out.written, index);
    this.out.ascii(String(index));
  }

  add(text: string): void {
    this.comma();
    this.out.text(text);
  }

  /** The text JSON.stringify({ index, ok: true, decision }) writes. */
  addDecision(index: number, decision: Decision): void {
    this.comma();
    this.out.ascii('{"index":');
    this.index(index);
    this.out.raw(OK_DECISION);
    writeDecision(this.out, decision);
    this.out.byte(0x7d);
  }

  /**
   * The text JSON.stringify({ index, ok: false, errors }) writes; with relative indices the index in
   * each field path (`histories[i]...`, validate.ts) is a slot too.
   */
  addProblems(index: number, problems: readonly FieldProblem[]): void {
    if (this.slots === null) {
      this.add(JSON.stringify({ index, ok: false, errors: problems }));
      return;
    }
    this.comma();
    this.out.ascii('{"index":');
    this.index(index);
    this.out.ascii(',"ok":false,"errors":[');
    const prefix = `histories[${index}`;
    problems.forEach((p, i) => {
      if (!p.path.startsWith(`${prefix}]`) || Object.keys(p).length !== 2) throw new Error(`a field problem at an unexpected path: ${p.path}`);
      if (i > 0) this.out.byte(COMMA);
      this.out.ascii('{"path":"histories[');
      this.index(index);
      // The rest of the path as JSON.stringify writes it, less its opening quote (the prefix needs no escape).
      this.out.text(JSON.stringify(p.path.slice(prefix.length)).slice(1));
      this.out.ascii(',"message":');
      this.out.text(JSON.stringify(p.message));
      this.out.byte(0x7d);
    });
    this.out.ascii(']}');
  }

  /** Where relative indices were written: [offset, index] pairs (null: indices are the batch's). */
  indexSlots(): Int32Array | null {
    return this.slots === null ? null : Int32Array.from(this.slots);
  }

  /** The results: written into `into` when they fit it, else in a buffer of their own. */
  done(into?: Uint8Array): { readonly written: number; readonly results: Uint8Array } {
    return handOver(this.out, into);
  }
}

/**
 * A job's text out of its writer: copied into `into` when it fits, else into a buffer of its own; the
 * writer is emptied and becomes the scratch memory again.
 */
function handOver(out: Utf8Writer, into?: Uint8Array): { readonly written: number; readonly results: Uint8Array } {
  const text = out.current();
  const fits = into !== undefined && text.byteLength <= into.byteLength;
  if (fits) {
    into.set(text);
    out.reset();
  }
  const done = fits ? { written: text.byteLength, results: NO_BYTES } : { written: 0, results: out.copy() };
  if (scratch === null) scratch = out;
  return done;
}

/** The texts, comma-joined, as UTF-8 in a buffer of their own (it can be transferred). */
export function encodeJoined(texts: readonly string[], leadingComma: boolean): Uint8Array {
  const joined = new JoinedText(leadingComma);
  for (const text of texts) joined.add(text);
  return joined.done().results;
}

/**
 * One job, `slice` histories at a time (the benchmark compares sizes; readText=false: without the text
 * reader, JSON.parse and the validator only, the code before it, for the benchmark). A job may end with
 * notJson after part of it was scored (an item that is not JSON, or, in a cut, anything not plain or
 * a cut not made between two items): the main thread then splits the body itself, or answers it the ordinary way.
 */
export async function runBatchJob(scorer: Pick<Scorer, 'scoreMany'>, job: ScoreJob, slice: number = JOB_SLICE, readText = true): Promise<ScoreJobResult> {
  if (job.kind === 'lines') return runLinesJob(scorer, job);
  const bytes = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
  const items: BatchItems = job.kind === 'items' ? new InPlaceItems(bytes, job.maxItems, readText, job.cut?.continued ?? false) : new RangeItems(bytes, job.items, readText);
  const bands = BANDS.map(() => 0);
  // A cut's first index is not known until the cuts before it are read: its indices are relative.
  const joined = job.kind === 'items' ? new JoinedText(job.cut?.leadingComma ?? false, job.cut !== null) : new JoinedText(job.firstIndex > 0);
  const firstIndex = job.kind === 'split' ? job.firstIndex : 0;
  let n = 0;
  let valid = 0;
  let seconds = 0;
  for (let more = true; more; ) {
    // Read straight from the text when the reader is sure (valid, no escapes...), else JSON.parse and
    // the validator in scoreInChunks, which give every error.
    const known: (LoanHistory | undefined)[] = new Array(slice);
    const raw: unknown[] = new Array(slice);
    let m = 0;
    while (m < slice) {
      const read = items.next(known, raw, m);
      if (read === null) {
        joined.done();
        return { id: job.id, ok: false, notJson: true };
      }
      if (!read) {
        more = false;
        break;
      }
      m++;
    }
    if (m === 0) {
      // A cut holds at least one item (the main thread cuts where one starts): an empty one was cut amiss.
      if (job.kind === 'items' && job.cut !== null && n === 0) {
        joined.done();
        return { id: job.id, ok: false, notJson: true };
      }
      break;
    }
    known.length = m;
    raw.length = m;
    // In input order: an error's text, or the decision (written as bytes when the slice is done).
    const out: (FieldProblem[] | Decision)[] = new Array(m);
    const first = firstIndex + n;
    const done = await scoreInChunks(scorer, raw, job.asOf, {
      firstIndex: first,
      score: job.score,
      known,
      invalid: (k, problems) => (out[k] = problems),
      scored: (k, decision) => {
        bands[BANDS.indexOf(decision.band)]!++;
        out[k] = decision;
      },
    });
    n += m;
    valid += done.valid;
    seconds += done.seconds;
    // A leading comma after earlier jobs: the reply is then head, every job's bytes, tail, as they are.
    if (job.score) for (let k = 0; k < m; k++) {
      const r = out[k]!;
      if (Array.isArray(r)) joined.addProblems(first + k, r);
      else joined.addDecision(first + k, r);
    }
  }
  const slots = joined.indexSlots();
  return { id: job.id, ok: true, ...joined.done(job.out), scored: valid, failed: n - valid, bands, seconds, ...(slots === null ? {} : { slots }) };
}

/** A block of NDJSON lines (ndjson-lines.ts), answered as the in-process stream answers them, numbered from 1. */
async function runLinesJob(scorer: Pick<Scorer, 'scoreMany'>, job: LinesJob): Promise<ScoreJobResult> {
  const out = scratch ?? new Utf8Writer(1 << 16);
  scratch = null;
  const bands = BANDS.map(() => 0);
  let seconds = 0;
  // Decisions per band and seconds spent scoring, for the main thread's metrics.
  const counted: Pick<Scorer, 'scoreMany'> = {
    scoreMany: async (histories, asOf) => {
      const t0 = performance.now();
      const decisions = await scorer.scoreMany(histories, asOf);
      seconds += (performance.now() - t0) / 1000;
      for (const d of decisions) bands[BANDS.indexOf(d.band)]!++;
      return decisions;
    },
  };
  // A job that throws leaves the scratch memory taken (the next job makes its own), as batch jobs do.
  const r = await answerLines(counted, Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength), job.asOf, out);
  return { id: job.id, ok: true, ...handOver(out, job.out), scored: r.scored, failed: r.failed, bands, seconds, slots: Int32Array.from(r.slots), lines: r.lines };
}
