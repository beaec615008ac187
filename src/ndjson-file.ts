// The one line loop over an NDJSON file (gzipped when its name ends in .gz) for the commands that read one whole:
// training, the backtest, `ews validate`, the sample loader. Each non-blank line comes out parsed, or with the
// reason it is not JSON, and its line number, so every caller reports a bad line the same way and goes on.
// (The rescore reads NDJSON its own way, in byte blocks for its workers: batch/read-ndjson.ts.)
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

export type NdjsonRecord =
  | { readonly line: number; readonly ok: true; readonly value: unknown }
  | { readonly line: number; readonly ok: false; readonly error: string };

export class NdjsonFile implements AsyncIterable<NdjsonRecord> {
  private read = 0;

  constructor(readonly path: string) {}

  /** Lines read so far, blank ones included (all of them once the loop is done). */
  get lines(): number {
    return this.read;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<NdjsonRecord> {
    try {
      await access(this.path);
    } catch (error) {
      throw new Error(`cannot read ${this.path}: ${(error as Error).message}`, { cause: error });
    }
    const raw = createReadStream(this.path);
    const input = this.path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
    this.read = 0;
    for await (const text of createInterface({ input, crlfDelay: Infinity })) {
      const line = ++this.read;
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        yield { line, ok: false, error: `not JSON (${(error as Error).message})` };
        continue;
      }
      yield { line, ok: true, value };
    }
  }
}
