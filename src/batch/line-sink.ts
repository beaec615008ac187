// A text file written line by line with backpressure, optionally gzip-compressed. Lines are batched
// into ~256 KB chunks; output bytes do not depend on timing (gzip headers carry no mtime in Node).
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createGzip, type Gzip } from 'node:zlib';

const CHUNK = 256 * 1024;

export class LineSink {
  readonly path: string;
  private readonly file: WriteStream;
  private readonly head: Gzip | WriteStream;
  private pending: string[] = [];
  private pendingBytes = 0;
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
    this.pending.push(text);
    this.pendingBytes += text.length + 1;
  }

  full(): boolean {
    return this.pendingBytes >= CHUNK;
  }

  async flush(): Promise<void> {
    if (this.failure !== null) throw this.failure;
    if (this.pending.length === 0) return;
    const chunk = this.pending.join('\n') + '\n';
    this.pending = [];
    this.pendingBytes = 0;
    if (!this.head.write(chunk)) await once(this.head, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    const finished = once(this.file, 'close');
    this.head.end();
    await finished;
    if (this.failure !== null) throw this.failure;
  }
}
