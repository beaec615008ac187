// A text file written line by line with backpressure, optionally gzip-compressed. Lines are encoded
// straight into a 256 KB buffer (no join, no intermediate strings); a full buffer is handed to the
// stream. Output bytes do not depend on timing (gzip headers carry no mtime in Node).
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createGzip, type Gzip } from 'node:zlib';

const CHUNK = 256 * 1024;
const NEWLINE = 10;

export class LineSink {
  readonly path: string;
  private readonly file: WriteStream;
  private readonly head: Gzip | WriteStream;
  private buffer = Buffer.allocUnsafe(CHUNK);
  private used = 0;
  private readonly ready: Buffer[] = [];
  private failure: Error | null = null;

  constructor(path: string, gzip: boolean) {
    this.path = path;
    this.file = createWriteStream(path);
    this.file.on('error', (e) => (this.failure = e));
    if (gzip) {
      const z = createGzip({ level: 9 });
      z.on('error', (e) => (this.failure = e));
      z.pipe(this.file);
      this.head = z;
    } else {
      this.head = this.file;
    }
  }

  /** Add one line (without its newline). Await it: it waits when the disk is behind. */
  async line(text: string): Promise<void> {
    this.push(text);
    if (this.full()) await this.flush();
  }

  /** Add a line without awaiting; call flush() when full() says so (one await per record, not per line). */
  push(text: string): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    const worst = text.length * 3 + 1;
    if (this.used + worst > this.buffer.length) {
      this.seal();
      if (worst > this.buffer.length) this.buffer = Buffer.allocUnsafe(worst);
    }
    this.used += this.buffer.write(text, this.used, 'utf8');
    this.buffer[this.used++] = NEWLINE;
  }

  full(): boolean {
    return this.ready.length > 0;
  }

  private seal(): void {
    if (this.used === 0) return;
    this.ready.push(this.buffer.subarray(0, this.used));
    this.buffer = Buffer.allocUnsafe(Math.max(CHUNK, this.buffer.length));
    this.used = 0;
  }

  async flush(): Promise<void> {
    if (this.failure !== null) throw this.failure;
    for (const chunk of this.ready.splice(0)) if (!this.head.write(chunk)) await once(this.head, 'drain');
  }

  async close(): Promise<void> {
    this.seal();
    await this.flush();
    const finished = once(this.file, 'close');
    this.head.end();
    await finished;
    if (this.failure !== null) throw this.failure;
  }
}
