// A growable UTF-8 byte buffer for writing JSON text straight to bytes. A decision's text carries Chinese
// reasons, so as a JS string it is two-byte: counting its UTF-8 length and encoding it for the socket cost
// more than writing it (npm run bench:decision-bytes). Parts that repeat are encoded once and copied in.
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Writes one text at a time into a slab. `take` hands the text out as a view of the slab, without a copy
 * (allocating a small ArrayBuffer per text cost more than writing it), and the next text follows it; a
 * full slab is left to the views still using it and a fresh one started. `reset` + `toString` reuse the
 * slab for texts that are only decoded.
 */
export class Utf8Writer {
  bytes: Uint8Array;
  /** Where the text being written starts. */
  private start = 0;
  /** Where it ends so far (the next byte goes here). */
  length = 0;

  constructor(private readonly slabSize = 64 * 1024) {
    this.bytes = new Uint8Array(slabSize);
  }

  /** Drops the text being written. */
  reset(): void {
    this.length = this.start;
  }

  /** Room for n more bytes: a new slab, the text so far moved to its start, when this one is full. */
  private reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const used = this.length - this.start;
    const slab = new Uint8Array(Math.max(this.slabSize, 2 * (used + n)));
    slab.set(this.bytes.subarray(this.start, this.length));
    this.bytes = slab;
    this.start = 0;
    this.length = used;
  }

  /** Bytes encoded beforehand (a cached part of the text). */
  raw(b: Uint8Array): void {
    const n = b.length;
    this.reserve(n);
    const out = this.bytes;
    let at = this.length;
    // A short part is copied faster by hand than by TypedArray.set's call.
    if (n < 48) for (let i = 0; i < n; i++) out[at++] = b[i]!;
    else {
      out.set(b, at);
      at += n;
    }
    this.length = at;
  }

  /** One byte (an ASCII punctuation mark). */
  byte(c: number): void {
    this.reserve(1);
    this.bytes[this.length++] = c;
  }

  /** Text the caller knows to be ASCII (literals, number texts). */
  ascii(s: string): void {
    const n = s.length;
    this.reserve(n);
    const out = this.bytes;
    let at = this.length;
    for (let i = 0; i < n; i++) out[at++] = s.charCodeAt(i);
    this.length = at;
  }

  /**
   * s in double quotes when every character is printable ASCII other than " and \ (the JSON string
   * then needs no escape); else writes nothing and answers false.
   */
  plainString(s: string): boolean {
    const n = s.length;
    this.reserve(n + 2);
    const out = this.bytes;
    const start = this.length;
    let at = start;
    out[at++] = 0x22;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return false;
      out[at++] = c;
    }
    out[at++] = 0x22;
    this.length = at;
    return true;
  }

  /** Any text, UTF-8 encoded (lone surrogates become U+FFFD, as TextEncoder does). */
  text(s: string): void {
    const n = s.length;
    this.reserve(n * 3);
    const out = this.bytes;
    let at = this.length;
    // ASCII by hand (most texts are); the encoder from the first other character on.
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) break;
      out[at++] = c;
    }
    if (i < n) at += encoder.encodeInto(i === 0 ? s : s.slice(i), out.subarray(at)).written;
    this.length = at;
  }

  /** The text written, as a view of the slab that later writes never touch; the next text follows it. */
  take(): Uint8Array {
    const view = this.bytes.subarray(this.start, this.length);
    this.start = this.length;
    return view;
  }

  /** Bytes of the text written so far (where the next byte goes in it). */
  get written(): number {
    return this.length - this.start;
  }

  /** The text written so far, as a view that the next write may overwrite (read it before writing on). */
  current(): Uint8Array {
    return this.bytes.subarray(this.start, this.length);
  }

  /** The text written, in a buffer of its own (it can be transferred); the writer then drops it. */
  copy(): Uint8Array {
    const bytes = this.bytes.slice(this.start, this.length);
    this.length = this.start;
    return bytes;
  }

  /** The text written so far, decoded. */
  toString(): string {
    return decoder.decode(this.bytes.subarray(this.start, this.length));
  }
}

/** A text's UTF-8 bytes. */
export const utf8 = (s: string): Uint8Array => encoder.encode(s);
