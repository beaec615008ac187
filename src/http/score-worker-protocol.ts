// Messages between the HTTP score routes (one history, or a JSON batch) and their scoring worker threads.

export interface ScoreWorkerSetup {
  readonly modelDir: string;
}

/** What every job of a batch carries: its bytes, and where its results may go. */
interface BatchJobBase {
  readonly id: number;
  readonly asOf: number;
  readonly bytes: Uint8Array;
  /**
   * The main thread's shared memory for the results (reused from request to request): a buffer made for
   * them and transferred would be new external memory on the main thread each time, and while such
   * buffers outlive young-generation GCs only full GCs free them (docs/service.md).
   */
  readonly out?: Uint8Array;
}

/** Some histories of a JSON batch whose places the main thread found (batch-split.ts). */
export interface SplitJob extends BatchJobBase {
  readonly kind: 'split';
  /** false: parse and validate only (the benchmark floor). */
  readonly score: boolean;
  /** [start, end) offsets of each history into bytes, flattened. */
  readonly items: Int32Array;
  /** Index of the first history in the whole batch (results carry batch indices). */
  readonly firstIndex: number;
}

/** The items of a plain JSON batch's histories array, without its brackets, found as they are read (batch-items.ts). */
export interface ItemsJob extends BatchJobBase {
  readonly kind: 'items';
  /** false: parse and validate only (the benchmark floor). */
  readonly score: boolean;
  /** The job gives up past this many (the main thread's split then counts them for the error). */
  readonly maxItems: number;
  /**
   * null: the whole array, indices from 0. Else one cut of it: its items each end with a comma
   * (continued), its results after the first cut's start with one, and their batch indices are
   * relative, renumbered by the main thread from the slots the result lists.
   */
  readonly cut: { readonly continued: boolean; readonly leadingComma: boolean } | null;
}

/** A block of NDJSON lines (ndjson-lines.ts): answer lines numbered from 1 within the block. */
export interface LinesJob extends BatchJobBase {
  readonly kind: 'lines';
}

export type ScoreJob = SplitJob | ItemsJob | LinesJob;

/** A job as the pool takes it: the pool numbers it. */
export type ScoreJobRequest = ScoreJob extends infer J ? (J extends ScoreJob ? Omit<J, 'id'> : never) : never;

export type ScoreJobResult =
  | {
      readonly id: number;
      readonly ok: true;
      /**
       * UTF-8 of the JSON of each BatchResult, comma-joined, with a leading comma unless firstIndex is 0
       * (encoded in the worker, not on the main thread): the first `written` bytes of the job's `out`,
       * or, when it had none or they did not fit, `results`, a buffer of their own (else empty).
       */
      readonly written: number;
      readonly results: Uint8Array;
      readonly scored: number;
      readonly failed: number;
      /** Decisions per band, in BANDS order (for the metrics the main thread keeps). */
      readonly bands: number[];
      /** Seconds spent scoring (not parsing). */
      readonly seconds: number;
      /** A cut job's relative batch indices (a lines job's line numbers): [byte offset in its results, index] pairs. */
      readonly slots?: Int32Array;
      /** A lines job: the lines in its block, blank ones included. */
      readonly lines?: number;
    }
  /** An item was not JSON (or a cut not plain): the caller splits or parses the whole body itself and answers as it always does. */
  | { readonly id: number; readonly ok: false; readonly notJson: true }
  | { readonly id: number; readonly ok: false; readonly notJson: false; readonly message: string };

/** One history, the whole body of POST /v1/score, as text (a short string is cloned cheaply). */
export interface ScoreOneJob {
  readonly kind: 'one';
  readonly id: number;
  readonly asOf: number;
  /** false: parse and validate only (the benchmark floor), answering {"loanId": ...}. */
  readonly score: boolean;
  readonly text: string;
}

/** The single-history jobs that arrived in one turn of the event loop: one message, one wake-up. */
export interface ScoreOneJobs {
  readonly kind: 'ones';
  readonly jobs: ScoreOneJob[];
}

export type ScoreOneResult =
  /** json: the reply body (the decision, or the floor's answer); band null when not scored. */
  | { readonly id: number; readonly status: 'done'; readonly json: string; readonly band: string | null; readonly seconds: number }
  /** The history breaks the contract: the field problems, worded as the in-process validator words them. */
  | { readonly id: number; readonly status: 'invalid'; readonly problems: Array<{ path: string; message: string }> }
  /**
   * Not plain JSON the worker may answer for (malformed, a key fastify's parser screens for prototype
   * poisoning, or a \u00 escape that could hide one): the route parses it itself, the ordinary way.
   */
  | { readonly id: number; readonly status: 'ordinary' }
  | { readonly id: number; readonly status: 'error'; readonly message: string };

export type FromScoreWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'done'; readonly result: ScoreJobResult }
  | { readonly type: 'ones'; readonly results: ScoreOneResult[] };
