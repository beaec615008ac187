// A DuckDB VARCHAR column read as UTF-8 bytes into one buffer of the reader's own, not as JavaScript
// strings. A range's history texts (megabytes) made as strings lived from the read until their chunk
// was scored, so the young-generation collections copied them and the old generation then marked
// them, and the text reader encoded them back to bytes to scan them. Kept as bytes, each loan's
// strings are made when the loan is read and die young. Measured: a range's fetch and text reading, both
// ways on the same results by turns (a throwaway probe, 1M origination files, 4,096-loan ranges), 17.5 /
// 18.8 µs an input loan against 23.2 / 29.0 as strings; 1M Parquet end to end, six pairs by turns, median
// 48.4 s against 56.5 and peak RSS ~100 MB lower (bench/results/rescore-text-bytes-ab.txt, docs/batch.md).
//
// Reads DuckDB's vector memory through @duckdb/node-bindings, as @duckdb/node-api's own VARCHAR
// vector does (its string layout: 16 bytes a row, the length first, texts of up to 12 bytes inline,
// longer ones behind a pointer).
import duckdb from '@duckdb/node-bindings';
import type { DuckDBDataChunk } from '@duckdb/node-api';

const STRING_BYTES = 16;
const INLINE_MAX = 12;

/** Where a chunk's VARCHAR column lives: its 16-byte string records, and its validity (null: all valid). */
function columnOf(chunk: DuckDBDataChunk, column: number): { data: Uint8Array; view: DataView; validity: Uint8Array | null; rows: number } {
  const rows = chunk.rowCount;
  const vector = duckdb.data_chunk_get_vector(chunk.chunk, column);
  const data = duckdb.vector_get_data(vector, rows * STRING_BYTES);
  // One bit a row, in 64-bit words, little-endian; null when every row is valid.
  const validity = duckdb.vector_get_validity(vector, Math.ceil(rows / 64) * 8) as Uint8Array | null;
  return { data, view: new DataView(data.buffer, data.byteOffset, data.byteLength), validity, rows };
}

const isValid = (validity: Uint8Array | null, r: number): boolean => validity === null || (validity[r >> 3]! & (1 << (r & 7))) !== 0;

export class TextBytes {
  private bytes: Buffer;
  private used = 0;

  /** `initialBytes`: what the texts will take, when known (columnBytes): then the buffer is allocated once. */
  constructor(initialBytes = 1 << 20) {
    this.bytes = Buffer.allocUnsafeSlow(Math.max(16, initialBytes));
  }

  /** The bytes appendColumn will add for this column of this chunk. */
  static columnBytes(chunk: DuckDBDataChunk, column: number): number {
    if (chunk.rowCount === 0) return 0;
    const { view, validity, rows } = columnOf(chunk, column);
    let total = 0;
    for (let r = 0; r < rows; r++) if (isValid(validity, r)) total += view.getUint32(r * STRING_BYTES, true);
    return total;
  }

  /**
   * Appends the texts of VARCHAR column `column` of `chunk`. Row r's text is then bytes
   * [bounds[at + 2r], bounds[at + 2r + 1]) of the buffer `done()` gives; both are -1 for NULL.
   *
   * Texts longer than 12 bytes sit behind pointers, and in a materialised result nearly all of them
   * back to back (a 5,500-loan range of the 1M files: 2,928 texts in 35 runs). A run is copied with one
   * call: one call a text, each a fresh buffer then copied again, was ~1.8 % of a 1M run's CPU
   * (`perf record`). Only bytes of the texts themselves are read.
   */
  appendColumn(chunk: DuckDBDataChunk, column: number, bounds: Int32Array, at: number): void {
    if (chunk.rowCount === 0) return;
    const { data, view, validity, rows } = columnOf(chunk, column);
    let total = 0;
    for (let r = 0; r < rows; r++) if (isValid(validity, r)) total += view.getUint32(r * STRING_BYTES, true);
    this.reserve(total);
    // The current run of adjacent texts: its first record's offset in `data`, where it goes in `bytes`,
    // and the address just past it (as two 32-bit halves; a run never crosses a 4 GB line).
    let runRecord = -1;
    let runTo = 0;
    let runEndLow = 0;
    let runHigh = 0;
    const flush = (): void => {
      if (runRecord < 0) return;
      const text = duckdb.get_data_from_pointer(data.buffer as ArrayBuffer, data.byteOffset + runRecord + 8, this.used - runTo);
      this.bytes.set(text, runTo);
      runRecord = -1;
    };
    for (let r = 0; r < rows; r++) {
      if (!isValid(validity, r)) {
        bounds[at + 2 * r] = bounds[at + 2 * r + 1] = -1;
        continue;
      }
      const offset = r * STRING_BYTES;
      const length = view.getUint32(offset, true);
      if (length <= INLINE_MAX) {
        flush();
        this.bytes.set(data.subarray(offset + 4, offset + 4 + length), this.used);
      } else {
        const low = view.getUint32(offset + 8, true);
        const high = view.getUint32(offset + 12, true);
        if (runRecord < 0 || low !== runEndLow || high !== runHigh) {
          flush();
          runRecord = offset;
          runTo = this.used;
          runHigh = high;
        }
        runEndLow = low + length;
      }
      bounds[at + 2 * r] = this.used;
      this.used += length;
      bounds[at + 2 * r + 1] = this.used;
    }
    flush();
  }

  /** The texts appended so far, in memory of their own (the buffer is not written again). */
  done(): Buffer {
    const out = this.bytes.subarray(0, this.used);
    this.bytes = Buffer.allocUnsafeSlow(16);
    this.used = 0;
    return out;
  }

  private reserve(more: number): void {
    if (this.used + more <= this.bytes.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(this.used + more, 2 * this.bytes.length));
    grown.set(this.bytes.subarray(0, this.used));
    this.bytes = grown;
  }
}
