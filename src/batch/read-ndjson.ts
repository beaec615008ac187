// NDJSON loan histories (one JSON object a line), plain or gzip, from one file or several: read as
// bytes and cut at newlines without readline, because the reader must stay well ahead of the workers.
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { ChunkSource, LineBlock, SourceChunk } from './source.js';

/** A non-blank line: bytes [from, to) of `bytes` (its CR left out), 1-based line number `line`. */
interface Line {
  readonly line: number;
  readonly bytes: Buffer;
  readonly from: number;
  readonly to: number;
}

/**
 * Whether bytes [from, to) hold a line that is blank as `text.trim() === ''` of its text says: only
 * white space. ASCII decides almost every line at its first byte; a line that reaches a non-ASCII byte
 * before anything else is decoded and trimmed (trim knows more white space than ASCII has).
 */
function blank(bytes: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const b = bytes[i]!;
    if (b === 0x20 || (b >= 0x09 && b <= 0x0d)) continue;
    return b >= 0x80 ? bytes.toString('utf8', from, to).trim() === '' : false;
  }
  return true;
}

/** Non-blank lines of one file with their 1-based line numbers. */
async function* lines(file: string, onBytes: (n: number) => void): AsyncGenerator<Line> {
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  raw.on('data', (b) => onBytes(b.length));
  const stream = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  // Cut the bytes at newlines (a 0x0A byte is never inside a UTF-8 sequence); the lines stay bytes
  // (see LineBlock). Only a line that straddles pieces is copied here, once, whatever its length.
  let carry: Buffer[] = [];
  let lineNo = 0;
  const emit = (bytes: Buffer, from: number, to: number): Line | null => {
    lineNo++;
    const end = to > from && bytes[to - 1] === 13 ? to - 1 : to;
    return blank(bytes, from, end) ? null : { line: lineNo, bytes, from, to: end };
  };
  for await (const piece of stream as AsyncIterable<Buffer>) {
    let nl = piece.indexOf(10);
    if (nl === -1) {
      carry.push(piece);
      continue;
    }
    let start = 0;
    if (carry.length > 0) {
      carry.push(piece.subarray(0, nl));
      const line = Buffer.concat(carry);
      carry = [];
      const out = emit(line, 0, line.length);
      if (out !== null) yield out;
      start = nl + 1;
      nl = piece.indexOf(10, start);
    }
    while (nl !== -1) {
      const out = emit(piece, start, nl);
      if (out !== null) yield out;
      start = nl + 1;
      nl = piece.indexOf(10, start);
    }
    if (start < piece.length) carry.push(piece.subarray(start));
  }
  if (carry.length > 0) {
    const line = Buffer.concat(carry);
    const out = emit(line, 0, line.length);
    if (out !== null) yield out;
  }
}

/** Gathers one file's lines of a chunk, then copies them into a block of their own. */
class BlockBuilder {
  private parts: Buffer[] = [];
  private bounds: number[] = [];
  private numbers: number[] = [];
  private size = 0;

  constructor(readonly file: string) {}

  get count(): number {
    return this.numbers.length;
  }

  add(l: Line): void {
    this.parts.push(l.bytes.subarray(l.from, l.to));
    this.bounds.push(this.size, this.size + (l.to - l.from));
    this.numbers.push(l.line);
    this.size += l.to - l.from;
  }

  /** The block (its bytes in an ArrayBuffer of their own, so that it can be transferred); the builder starts empty again. */
  take(): LineBlock {
    const bytes = Buffer.allocUnsafeSlow(this.size);
    let at = 0;
    for (const part of this.parts) at += part.copy(bytes, at);
    const block: LineBlock = { file: this.file, bytes, bounds: Int32Array.from(this.bounds), numbers: Int32Array.from(this.numbers) };
    this.parts = [];
    this.bounds = [];
    this.numbers = [];
    this.size = 0;
    return block;
  }
}

export function ndjsonSource(files: readonly string[], chunkSize: number): ChunkSource {
  const sizes = files.map((f) => statSync(f));
  const totalBytes = sizes.reduce((a, s) => a + s.size, 0);
  let bytesRead = 0;
  return {
    fingerprint: JSON.stringify(files.map((f, i) => [f, sizes[i]!.size, sizes[i]!.mtimeMs])),
    totalRecords: null,
    fractionRead: () => (totalBytes === 0 ? 1 : Math.min(1, bytesRead / totalBytes)),
    async *chunks(fromIndex: number): AsyncGenerator<SourceChunk> {
      let index = 0;
      // The chunk's blocks so far (a chunk may span files) and the current file's lines.
      let blocks: LineBlock[] = [];
      let inChunk = 0;
      let skipped = 0;
      for (const file of files) {
        const builder = new BlockBuilder(basename(file));
        for await (const line of lines(file, (n) => (bytesRead += n))) {
          if (index < fromIndex) {
            // Skipping a completed chunk: count records, keep nothing.
            if (++skipped === chunkSize) {
              skipped = 0;
              index++;
            }
            continue;
          }
          builder.add(line);
          if (++inChunk === chunkSize) {
            yield { index: index++, records: [], lines: [...blocks, builder.take()] };
            blocks = [];
            inChunk = 0;
          }
        }
        if (builder.count > 0) blocks.push(builder.take());
      }
      if (inChunk > 0) yield { index, records: [], lines: blocks };
    },
    close: async () => {},
  };
}
