// NDJSON loan histories (one JSON object a line), plain or gzip, from one file or several: read as
// bytes and cut at newlines without readline, because the reader must stay well ahead of the workers.
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { RawRecord } from './chunk.js';
import type { ChunkSource, SourceChunk } from './source.js';

const NEWLINE = 0x0a;

/** Non-blank lines of one file with their 1-based line numbers. */
async function* lines(file: string, onBytes: (n: number) => void): AsyncGenerator<{ line: number; text: string }> {
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  raw.on('data', (b) => onBytes(b.length));
  const stream = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  let carry: Buffer | null = null;
  let lineNo = 0;
  for await (const piece of stream as AsyncIterable<Buffer>) {
    const buf: Buffer = carry === null ? piece : Buffer.concat([carry, piece]);
    let start = 0;
    let nl = buf.indexOf(NEWLINE, start);
    while (nl !== -1) {
      lineNo++;
      const end = nl > start && buf[nl - 1] === 0x0d ? nl - 1 : nl;
      if (end > start) {
        const text = buf.toString('utf8', start, end);
        if (text.trim() !== '') yield { line: lineNo, text };
      }
      start = nl + 1;
      nl = buf.indexOf(NEWLINE, start);
    }
    carry = start < buf.length ? buf.subarray(start) : null;
  }
  if (carry !== null && carry.length > 0) {
    lineNo++;
    const text = carry.toString('utf8');
    if (text.trim() !== '') yield { line: lineNo, text };
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
      let records: RawRecord[] = [];
      let skipped = 0;
      for (const file of files) {
        const name = basename(file);
        for await (const { line, text } of lines(file, (n) => (bytesRead += n))) {
          if (index < fromIndex) {
            // Skipping a completed chunk: count records, keep nothing.
            if (++skipped === chunkSize) {
              skipped = 0;
              index++;
            }
            continue;
          }
          records.push({ position: `${name}:${line}`, text });
          if (records.length === chunkSize) {
            yield { index: index++, records };
            records = [];
          }
        }
      }
      if (records.length > 0) yield { index, records };
    },
    close: async () => {},
  };
}
