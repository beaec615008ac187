// NDJSON loan histories (one JSON object a line), plain or gzip, from one file or several: read as
// text and cut at newlines without readline, because the reader must stay well ahead of the workers.
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import type { RawRecord } from './chunk.js';
import type { ChunkSource, SourceChunk } from './source.js';

/** Non-blank lines of one file with their 1-based line numbers. */
async function* lines(file: string, onBytes: (n: number) => void): AsyncGenerator<{ line: number; text: string }> {
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  raw.on('data', (b) => onBytes(b.length));
  const stream = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  // Decode whole pieces and cut the text: no Buffer.concat per piece, multi-byte characters split
  // across pieces are stitched by the decoder.
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let lineNo = 0;
  const emit = (text: string) => {
    lineNo++;
    const t = text.endsWith('\r') ? text.slice(0, -1) : text;
    return t.trim() === '' ? null : { line: lineNo, text: t };
  };
  for await (const piece of stream as AsyncIterable<Buffer>) {
    const text = carry + decoder.write(piece);
    let start = 0;
    let nl = text.indexOf('\n', start);
    while (nl !== -1) {
      const out = emit(text.slice(start, nl));
      if (out !== null) yield out;
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    carry = text.slice(start);
  }
  carry += decoder.end();
  if (carry !== '') {
    const out = emit(carry);
    if (out !== null) yield out;
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
