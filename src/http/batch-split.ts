// Where a JSON batch body's histories lie. plainItemsRange and cutPoints look at a few bytes only: the
// array of a body of the plain shape, and places in it where a history looks like it starts (the workers
// reading the cuts find out, batch-items.ts). splitBatchBody finds every history exactly: it splits a
// JSON batch body {"histories": [...], ...} into the byte ranges of its histories without parsing them,
// so that worker threads parse, validate and score them in parallel. The split is only trusted when it
// is exact: every item is parsed by JSON.parse in a worker, and the rest of the body
// (with the array emptied) by JSON.parse here; anything unusual returns null and the caller parses
// the whole body the ordinary way. UTF-8 is safe to cut at ASCII structure bytes.
//
// This runs on the event loop over every byte of the body (megabytes per request), so it is one flat
// loop over local variables: no objects per string, no method calls per byte.

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
/** fastify's parser refuses (prototype poisoning) objects with these keys, also \u-escaped. */
const PROTO = Buffer.from('__proto__');
const CONSTRUCTOR = Buffer.from('constructor');
/** A \u escape below U+0100 could spell one of those keys, or a key the split misreads. */
const LOW_ESCAPE = Buffer.from('\\u00');

const isWs = (c: number | undefined) => c === 32 || c === 10 || c === 13 || c === 9;

function skipWs(b: Uint8Array, i: number): number {
  while (isWs(b[i])) i++;
  return i;
}

/** Past the string whose opening quote is at i; -1 when it never ends. */
function stringEnd(b: Uint8Array, i: number): number {
  const n = b.length;
  for (i++; i < n; i++) {
    const c = b[i];
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) i++;
  }
  return -1;
}

/** The string in [start, end) (quotes included) is a key the ordinary parser screens, or may be one. */
function screenedKey(b: Uint8Array, start: number, end: number, escapes: boolean): boolean {
  const length = end - start - 2;
  if (escapes && b.subarray(start + 1, end - 1).includes(BACKSLASH)) return true;
  const word = length === 9 ? PROTO : length === 11 ? CONSTRUCTOR : null;
  if (word === null) return false;
  for (let k = 0; k < length; k++) if (b[start + 1 + k] !== word[k]) return false;
  return true;
}

/**
 * Past the value starting at i; -1 when it runs off the end or holds a key that only the ordinary
 * parser may answer for. Its inside is checked later by JSON.parse (the split relies only on strings
 * and brackets). escapes: the body holds a backslash somewhere (keys must then be checked for one).
 */
function valueEnd(b: Uint8Array, i: number, escapes: boolean): number {
  const n = b.length;
  const first = b[i];
  if (first === QUOTE) return stringEnd(b, i);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    const start = i;
    while (i < n) {
      const c = b[i];
      if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isWs(c)) break;
      i++;
    }
    return i > start ? i : -1;
  }
  let depth = 0;
  let keyStart = -1;
  let keyEnd = -1;
  while (i < n) {
    const c = b[i]!;
    if (c === QUOTE) {
      keyStart = i;
      for (i++; i < n; i++) {
        const d = b[i];
        if (d === QUOTE) break;
        if (d === BACKSLASH) i++;
      }
      if (i >= n) return -1;
      keyEnd = ++i;
      continue;
    }
    if (c === COLON) {
      if (keyStart >= 0 && screenedKey(b, keyStart, keyEnd, escapes)) return -1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (--depth === 0) return i + 1;
    }
    i++;
  }
  return -1;
}

function startsWithKey(b: Uint8Array, i: number): boolean {
  for (let k = 0; k < KEY.length; k++) if (b[i + k] !== KEY[k]) return false;
  return true;
}

export function splitBatchBody(body: Uint8Array): BatchSplit | null {
  const whole = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // One memchr over the body: most bodies have no backslash at all, so no escapes to look into.
  const escapes = whole.includes(BACKSLASH);
  if (escapes && whole.includes(LOW_ESCAPE)) return null;
  const b = body;
  let i = skipWs(b, 0);
  if (b[i] !== OPEN_BRACE) return null;
  i = skipWs(b, i + 1);
  if (b[i] === CLOSE_BRACE) return null;
  let arrayStart = -1;
  let arrayEnd = -1;
  let items = new Int32Array(2048);
  let count = 0;
  for (;;) {
    if (b[i] !== QUOTE) return null;
    const isKey = startsWithKey(b, i);
    const keyEnd = stringEnd(b, i);
    // An escaped or repeated key could mean what JSON.parse reads differs from what was split.
    if (keyEnd < 0 || screenedKey(b, i, keyEnd, escapes)) return null;
    i = skipWs(b, keyEnd);
    if (b[i] !== COLON) return null;
    i = skipWs(b, i + 1);
    if (isKey) {
      if (arrayStart >= 0 || b[i] !== OPEN_BRACKET) return null;
      arrayStart = i;
      i = skipWs(b, i + 1);
      if (b[i] !== CLOSE_BRACKET) {
        for (;;) {
          const end = valueEnd(b, i, escapes);
          if (end < 0) return null;
          if (count + 2 > items.length) {
            const grown = new Int32Array(items.length * 2);
            grown.set(items);
            items = grown;
          }
          items[count++] = i;
          items[count++] = end;
          i = skipWs(b, end);
          const next = b[i];
          i++;
          if (next === CLOSE_BRACKET) break;
          if (next !== COMMA) return null;
          i = skipWs(b, i);
        }
      } else {
        i++;
      }
      arrayEnd = i;
      i = skipWs(b, i);
    } else {
      const end = valueEnd(b, i, escapes);
      if (end < 0) return null;
      i = skipWs(b, end);
    }
    const next = b[i];
    i = skipWs(b, i + 1);
    if (next === CLOSE_BRACE) break;
    if (next !== COMMA) return null;
  }
  if (i < b.length || arrayStart < 0) return null;
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
  return { head, tail, items: items.slice(0, count) };
}

const HEAD = Buffer.from('{"histories":[');

/**
 * Where the histories array's items lie, [from, to), in a body of the plain shape
 * `{"histories":[...]}` (whitespace around the tokens allowed) that holds no backslash; null for any
 * other body. Only the ends are looked at: a worker that reads the items finds out whether the rest is
 * a plain list of them (batch-items.ts), and the body is split here when it is not.
 */
export function plainItemsRange(body: Uint8Array): [number, number] | null {
  const whole = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (whole.includes(BACKSLASH)) return null;
  let i = skipWs(body, 0);
  for (let k = 0; k < HEAD.length; k++) {
    // The head's tokens, whitespace allowed between them (not inside the key).
    if (k === 1 || k === 12 || k === 13) i = skipWs(body, i);
    if (body[i++] !== HEAD[k]) return null;
  }
  let j = body.length - 1;
  while (j >= i && isWs(body[j])) j--;
  if (body[j] !== CLOSE_BRACE) return null;
  j--;
  while (j >= i && isWs(body[j])) j--;
  if (j < i || body[j] !== CLOSE_BRACKET) return null;
  return [i, j];
}

/**
 * The starts of the cuts after the first of the items in [from, to): about `parts` pieces of equal
 * bytes, each starting where an item looks like it starts: the first item's opening brace and first
 * key, byte for byte (a client writes its histories alike), after a closing brace, a comma and
 * whitespace. Inside a string or a nested object such a place is not an item's start: the worker
 * reading the cut before it finds out (batch-items.ts) and the body is then split. None when the first
 * item is not an object with a key.
 */
export function cutPoints(body: Uint8Array, from: number, to: number, parts: number): number[] {
  const items = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const head = itemHead(items, from, to);
  const cuts: number[] = [];
  if (head === null) return cuts;
  // After the first item's start (head.byteOffset: where the first item starts in the body).
  const first = head.byteOffset - body.byteOffset;
  for (let k = 1; k < parts; k++) {
    let i = Math.max(from + Math.floor(((to - from) * k) / parts), (cuts.length > 0 ? cuts[cuts.length - 1]! : first) + 1);
    for (;;) {
      i = items.indexOf(head, i);
      if (i < 0 || i >= to) return cuts;
      let j = i - 1;
      while (j > from && isWs(items[j])) j--;
      if (items[j] === 0x2c) {
        j--;
        while (j > from && isWs(items[j])) j--;
        if (items[j] === 0x7d) {
          cuts.push(i);
          break;
        }
      }
      i++;
    }
  }
  return cuts;
}

/** The first item's bytes from its opening brace through its first key's closing quote, or null. */
function itemHead(items: Buffer, from: number, to: number): Buffer | null {
  while (from < to && isWs(items[from])) from++;
  if (items[from] !== 0x7b) return null;
  let i = from + 1;
  while (i < to && isWs(items[i])) i++;
  if (items[i] !== 0x22) return null;
  const close = items.indexOf(0x22, i + 1);
  return close < 0 || close >= to ? null : items.subarray(from, close + 1);
}
