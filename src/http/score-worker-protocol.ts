// Messages between the HTTP batch route and its scoring worker threads.

export interface ScoreWorkerSetup {
  readonly modelDir: string;
}

/** A slice of a batch body: the bytes of some histories and where each one lies in them. */
export interface ScoreJob {
  readonly id: number;
  readonly asOf: number;
  /** false: parse and validate only (the benchmark floor). */
  readonly score: boolean;
  readonly bytes: Uint8Array;
  /** [start, end) offsets into bytes, flattened. */
  readonly items: Int32Array;
  /** Index of the first history in the whole batch (results carry batch indices). */
  readonly firstIndex: number;
}

export type ScoreJobResult =
  | {
      readonly id: number;
      readonly ok: true;
      /** UTF-8 of the JSON of each BatchResult, comma-joined (encoded here, in parallel, not on the main thread). */
      readonly results: Uint8Array;
      readonly scored: number;
      readonly failed: number;
      /** Decisions per band, in BANDS order (for the metrics the main thread keeps). */
      readonly bands: number[];
      /** Seconds spent scoring (not parsing). */
      readonly seconds: number;
    }
  /** An item was not JSON: the caller parses the whole body itself and answers as it always does. */
  | { readonly id: number; readonly ok: false; readonly notJson: true }
  | { readonly id: number; readonly ok: false; readonly notJson: false; readonly message: string };

export type FromScoreWorker = { readonly type: 'ready' } | { readonly type: 'failed'; readonly message: string } | { readonly type: 'done'; readonly result: ScoreJobResult };
