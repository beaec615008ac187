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

export class TextBytes {
  private bytes: Uint8Array;
  private used = 0;

  constructor(initialBytes = 1 << 20) {
    this.bytes = new Uint8Array(Math.max(16, initialBytes));
  }

  /**
   * Appends the texts of VARCHAR column `column` of `chunk`. Row r's text is then bytes
   * [bounds[at + 2r], bounds[at + 2r + 1]) of the buffer `done()` gives; both are -1 for NULL.
   */
  appendColumn(chunk: DuckDBDataChunk, column: number, bounds: Int32Array, at: number): void {
    const rows = chunk.rowCount;
    if (rows === 0) return;
    const vector = duckdb.data_chunk_get_vector(chunk.chunk, column);
    const data = duckdb.vector_get_data(vector, rows * STRING_BYTES);
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    // One bit a row, in 64-bit words, little-endian; null when every row is valid.
    const validity = duckdb.vector_get_validity(vector, Math.ceil(rows / 64) * 8) as Uint8Array | null;
    const valid = (r: number): boolean => validity === null || (validity[r >> 3]! & (1 << (r & 7))) !== 0;
    let total = 0;
    for (let r = 0; r < rows; r++) if (valid(r)) total += view.getUint32(r * STRING_BYTES, true);
    this.reserve(total);
    for (let r = 0; r < rows; r++) {
      if (!valid(r)) {
        bounds[at + 2 * r] = bounds[at + 2 * r + 1] = -1;
        continue;
      }
      const offset = r * STRING_BYTES;
      const length = view.getUint32(offset, true);
      const text =
        length <= INLINE_MAX
          ? data.subarray(offset + 4, offset + 4 + length)
          : duckdb.get_data_from_pointer(data.buffer as ArrayBuffer, data.byteOffset + offset + 8, length);
      this.bytes.set(text, this.used);
      bounds[at + 2 * r] = this.used;
      this.used += length;
      bounds[at + 2 * r + 1] = this.used;
    }
  }

  /** The texts appended so far, in memory of their own (the buffer is not written again). */
  done(): Buffer {
    const out = Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.used);
    this.bytes = new Uint8Array(16);
    this.used = 0;
    return out;
  }

  private reserve(more: number): void {
    if (this.used + more <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.used + more, 2 * this.bytes.length));
    grown.set(this.bytes.subarray(0, this.used));
    this.bytes = grown;
  }
}
