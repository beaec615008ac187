// Splits a JSON batch body {"histories": [...], ...} into the byte ranges of its histories without
// parsing them, so that worker threads parse, validate and score them in parallel. The split is only
// trusted when it is exact: every item is parsed by JSON.parse in a worker, and the rest of the body
// (with the array emptied) by JSON.parse here; anything unusual returns null and the caller parses
// the whole body the ordinary way. UTF-8 is safe to cut at ASCII structure bytes.
import { SUSPECT_TEXTS } from './json-screen.js';

export interface BatchSplit {
  /** The body before the histories array and after it: JSON.parse(head + '[]' + tail) is the rest. */
  readonly head: string;
  readonly tail: string;
  /** [start, end) byte offsets of each history, flattened: start0, end0, start1, end1, ... */
  readonly items: Int32Array;
}

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const KEY = Buffer.from('"histories"');

const isWs = (c: number | undefined) => c === 32 || c === 10 || c === 13 || c === 9;

class Scanner {
  i = 0;
  constructor(readonly b: Uint8Array) {}
  ws(): number | undefined {
    while (isWs(this.b[this.i])) this.i++;
    return this.b[this.i];
  }
  /** Past a string starting at i (on its quote); false when it never ends. Reports whether it held an escape. */
  string(): { ok: boolean; escaped: boolean } {
    const b = this.b;
    let escaped = false;
    for (let i = this.i + 1; i < b.length; i++) {
      const c = b[i];
      if (c === BACKSLASH) {
        escaped = true;
        i++;
      } else if (c === QUOTE) {
        this.i = i + 1;
        return { ok: true, escaped };
      }
    }
    return { ok: false, escaped };
  }
  /** Past one value of any kind; its inside is checked later by JSON.parse. False when it runs off the end. */
  value(): boolean {
    const b = this.b;
    const c = b[this.i];
    if (c === QUOTE) return this.string().ok;
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      let depth = 0;
      while (this.i < b.length) {
        const x = b[this.i];
        if (x === QUOTE) {
          if (!this.string().ok) return false;
          continue;
        }
        if (x === OPEN_BRACE || x === OPEN_BRACKET) depth++;
        else if (x === CLOSE_BRACE || x === CLOSE_BRACKET) depth--;
        this.i++;
        if (depth === 0) return true;
      }
      return false;
    }
    const start = this.i;
    while (this.i < b.length) {
      const x = b[this.i];
      if (x === COMMA || x === CLOSE_BRACE || x === CLOSE_BRACKET || isWs(x)) break;
      this.i++;
    }
    return this.i > start;
  }
  startsWithKey(): boolean {
    for (let k = 0; k < KEY.length; k++) if (this.b[this.i + k] !== KEY[k]) return false;
    return true;
  }
}

/** Bodies holding text the ordinary parser treats specially take the ordinary path (json-screen.ts). */
const SUSPECT = SUSPECT_TEXTS.map((t) => Buffer.from(t));

export function splitBatchBody(body: Uint8Array): BatchSplit | null {
  const whole = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (SUSPECT.some((t) => whole.includes(t))) return null;
  const s = new Scanner(body);
  if (s.ws() !== OPEN_BRACE) return null;
  s.i++;
  let arrayStart = -1;
  let arrayEnd = -1;
  const items: number[] = [];
  if (s.ws() === CLOSE_BRACE) return null;
  for (;;) {
    if (s.ws() !== QUOTE) return null;
    const isKey = s.startsWithKey();
    const key = s.string();
    // An escaped or repeated key could mean what JSON.parse reads differs from what was split.
    if (!key.ok || key.escaped) return null;
    if (s.ws() !== COLON) return null;
    s.i++;
    const c = s.ws();
    if (isKey) {
      if (arrayStart >= 0 || c !== OPEN_BRACKET) return null;
      arrayStart = s.i;
      s.i++;
      if (s.ws() !== CLOSE_BRACKET) {
        for (;;) {
          s.ws();
          const start = s.i;
          if (!s.value()) return null;
          items.push(start, s.i);
          const next = s.ws();
          s.i++;
          if (next === CLOSE_BRACKET) break;
          if (next !== COMMA) return null;
        }
      } else {
        s.i++;
      }
      arrayEnd = s.i;
    } else if (!s.value()) {
      return null;
    }
    const next = s.ws();
    s.i++;
    if (next === CLOSE_BRACE) break;
    if (next !== COMMA) return null;
  }
  if (s.ws() !== undefined || arrayStart < 0) return null;
  const head = whole.toString('utf8', 0, arrayStart);
  const tail = whole.toString('utf8', arrayEnd);
  // The rest of the body must be JSON on its own, with an empty array where the histories were.
  let rest: unknown;
  try {
    rest = JSON.parse(`${head}[]${tail}`);
  } catch {
    return null;
  }
  const histories = (rest as { histories?: unknown }).histories;
  if (!Array.isArray(histories) || histories.length !== 0) return null;
  return { head, tail, items: Int32Array.from(items) };
}
