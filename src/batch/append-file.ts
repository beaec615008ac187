// An output file that is only ever appended to and can be cut back to a checkpointed length.
import { closeSync, existsSync, fdatasyncSync, ftruncateSync, openSync, statSync, writeSync } from 'node:fs';

export class AppendFile {
  private readonly fd: number;
  private length: number;

  /** Opens `path` cut to `length` bytes (0 = start afresh). */
  constructor(readonly path: string, length: number) {
    if (length > 0 && (!existsSync(path) || statSync(path).size < length)) {
      throw new Error(`cannot resume: ${path} is shorter than the checkpoint says (${length} bytes); rerun with --restart`);
    }
    this.fd = openSync(path, existsSync(path) ? 'r+' : 'w');
    ftruncateSync(this.fd, length);
    this.length = length;
  }

  /** Appends text (as UTF-8) or bytes. */
  append(data: string | Uint8Array): void {
    if (data.length === 0) return;
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let written = 0;
    while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written, this.length + written);
    this.length += bytes.length;
  }

  get size(): number {
    return this.length;
  }

  sync(): void {
    fdatasyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}
