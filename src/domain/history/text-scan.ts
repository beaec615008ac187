// The token readers under the compiled text reader (text-read.ts): JSON grammar over a string, by
// char codes, answering exactly what JSON.parse would or giving up (undefined / -1) where that is not
// cheap to be sure of: `__proto__` and duplicate keys. The reader gives up on a text with a backslash
// before it starts (escapes are rare and JSON.parse decodes them), so strings end at their next quote. Positions in and out, no
// state but `cursor.at` (where the last value read ended), so the generated code keeps its own.

/** Where the last readNumber / readAny value ended. */
export const cursor = { at: 0 };

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** JSON whitespace from p: the first position that is not. */
export function ws(s: string, p: number): number {
  let c = s.charCodeAt(p);
  while (c === 32 || c === 10 || c === 13 || c === 9) c = s.charCodeAt(++p);
  return p;
}

/**
 * The closing quote of the string whose opening quote is at p, or -1 when it holds a raw control
 * character (JSON.parse refuses those) or does not end. Callers have made sure that the text holds no
 * backslash at all (no escapes), so the first quote ends the string.
 */
export function stringEnd(s: string, p: number): number {
  const q = s.indexOf('"', p + 1);
  for (let i = p + 1; i < q; i++) if (s.charCodeAt(i) < 32) return -1;
  return q;
}

/** stringEnd for strings a pattern checks afterwards that allows no control character (ISO dates). */
export function quoteEnd(s: string, p: number): number {
  return s.indexOf('"', p + 1);
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * The JSON number at p (cursor.at: its end), or undefined when there is none. Up to 15 significant
 * digits and 22 decimals it is m / 10^k from exact doubles, one correctly rounded division (what
 * JSON.parse gives); otherwise the text goes through Number(), which JSON.parse's value equals.
 */
export function readNumber(s: string, p: number): number | undefined {
  let q = p;
  let c = s.charCodeAt(q);
  const negative = c === 45;
  if (negative) c = s.charCodeAt(++q);
  let m = 0;
  let digits = 0;
  if (c === 48) {
    c = s.charCodeAt(++q);
    if (isDigit(c)) return undefined; // a leading zero
  } else if (c >= 49 && c <= 57) {
    do {
      m = m * 10 + (c - 48);
      digits++;
      c = s.charCodeAt(++q);
    } while (isDigit(c));
  } else return undefined;
  let k = 0;
  if (c === 46) {
    c = s.charCodeAt(++q);
    if (!isDigit(c)) return undefined;
    do {
      m = m * 10 + (c - 48);
      digits++;
      k++;
      c = s.charCodeAt(++q);
    } while (isDigit(c));
  }
  let exact = digits <= 15 && k <= 22;
  if (c === 101 || c === 69) {
    c = s.charCodeAt(++q);
    if (c === 43 || c === 45) c = s.charCodeAt(++q);
    if (!isDigit(c)) return undefined;
    do c = s.charCodeAt(++q);
    while (isDigit(c));
    exact = false;
  }
  cursor.at = q;
  if (!exact) return Number(s.slice(p, q));
  const v = k === 0 ? m : m / POW10[k]!;
  return negative ? -v : v;
}

/**
 * Any JSON value at p, built as JSON.parse builds it (cursor.at: its end), or undefined when it is
 * not JSON or unusual (an escape, a key `__proto__` or one that a plain object already has, a
 * duplicate key). Deep nesting may throw RangeError: the caller gives up then.
 */
export function readAny(s: string, p: number): unknown {
  const c = s.charCodeAt(p);
  if (c === 34) {
    const q = stringEnd(s, p);
    if (q < 0) return undefined;
    cursor.at = q + 1;
    return s.slice(p + 1, q);
  }
  if (c === 123) return readAnyObject(s, p);
  if (c === 91) return readAnyArray(s, p);
  if (c === 116 && s.startsWith('true', p)) return (cursor.at = p + 4), true;
  if (c === 102 && s.startsWith('false', p)) return (cursor.at = p + 5), false;
  if (c === 110 && s.startsWith('null', p)) return (cursor.at = p + 4), null;
  return readNumber(s, p);
}

function readAnyObject(s: string, p: number): unknown {
  const o: Record<string, unknown> = {};
  p = ws(s, p + 1);
  if (s.charCodeAt(p) === 125) {
    cursor.at = p + 1;
    return o;
  }
  for (;;) {
    if (s.charCodeAt(p) !== 34) return undefined;
    const q = stringEnd(s, p);
    if (q < 0) return undefined;
    const key = s.slice(p + 1, q);
    // Inherited names (constructor, toString...) and duplicates read as present: give up on both.
    if (key === '__proto__' || o[key] !== undefined) return undefined;
    p = ws(s, q + 1);
    if (s.charCodeAt(p) !== 58) return undefined;
    const v = readAny(s, ws(s, p + 1));
    if (v === undefined) return undefined;
    o[key] = v;
    p = ws(s, cursor.at);
    const c = s.charCodeAt(p);
    if (c === 44) p = ws(s, p + 1);
    else if (c === 125) {
      cursor.at = p + 1;
      return o;
    } else return undefined;
  }
}

function readAnyArray(s: string, p: number): unknown {
  const a: unknown[] = [];
  p = ws(s, p + 1);
  if (s.charCodeAt(p) === 93) {
    cursor.at = p + 1;
    return a;
  }
  for (;;) {
    const v = readAny(s, p);
    if (v === undefined) return undefined;
    a.push(v);
    p = ws(s, cursor.at);
    const c = s.charCodeAt(p);
    if (c === 44) p = ws(s, p + 1);
    else if (c === 93) {
      cursor.at = p + 1;
      return a;
    } else return undefined;
  }
}

/** The end of the JSON value at p, without building it, or -1 (not JSON, or an escape). */
export function skipValue(s: string, p: number): number {
  const c = s.charCodeAt(p);
  if (c === 34) {
    const q = stringEnd(s, p);
    return q < 0 ? -1 : q + 1;
  }
  if (c === 123 || c === 91) {
    const close = c === 123 ? 125 : 93;
    p = ws(s, p + 1);
    if (s.charCodeAt(p) === close) return p + 1;
    for (;;) {
      if (c === 123) {
        if (s.charCodeAt(p) !== 34) return -1;
        const q = stringEnd(s, p);
        if (q < 0) return -1;
        p = ws(s, q + 1);
        if (s.charCodeAt(p) !== 58) return -1;
        p = ws(s, p + 1);
      }
      const q = skipValue(s, p);
      if (q < 0) return -1;
      p = ws(s, q);
      const d = s.charCodeAt(p);
      if (d === 44) p = ws(s, p + 1);
      else if (d === close) return p + 1;
      else return -1;
    }
  }
  if (c === 116) return s.startsWith('true', p) ? p + 4 : -1;
  if (c === 102) return s.startsWith('false', p) ? p + 5 : -1;
  if (c === 110) return s.startsWith('null', p) ? p + 4 : -1;
  return readNumber(s, p) === undefined ? -1 : cursor.at;
}

/**
 * Where the value of the top-level key `quotedKey` (e.g. '"type"') of the object at p starts, or -1
 * when the object has no such key or is not plain JSON. The first occurrence: a duplicate is caught
 * by the object's own reader afterwards.
 */
export function keyValueAt(s: string, p: number, quotedKey: string): number {
  if (s.charCodeAt(p) !== 123) return -1;
  p = ws(s, p + 1);
  for (;;) {
    if (s.charCodeAt(p) !== 34) return -1;
    const found = s.startsWith(quotedKey, p);
    const q = found ? p + quotedKey.length - 1 : stringEnd(s, p);
    if (q < 0) return -1;
    p = ws(s, q + 1);
    if (s.charCodeAt(p) !== 58) return -1;
    p = ws(s, p + 1);
    if (found) return p;
    const e = skipValue(s, p);
    if (e < 0) return -1;
    p = ws(s, e);
    if (s.charCodeAt(p) !== 44) return -1;
    p = ws(s, p + 1);
  }
}

// The same token readers over the text's bytes, for a text that is ASCII (one byte a character, so
// byte i is char code i): the compiled reader's byte mode (text-read.ts). A typed-array read cost about
// half a charCodeAt on this machine (`node tmp/probe/bytes-reader.mjs`: 15-31 against 28-58 µs a
// typical history). Past the end they read `undefined`, which compares as charCodeAt's NaN does.

/** ws over bytes. */
export function wsB(b: Uint8Array, p: number): number {
  let c = b[p];
  while (c === 32 || c === 10 || c === 13 || c === 9) c = b[++p];
  return p;
}

/** stringEnd over bytes. */
export function stringEndB(b: Uint8Array, p: number): number {
  const n = b.length;
  for (let i = p + 1; i < n; i++) {
    const c = b[i]!;
    if (c === 34) return i;
    if (c < 32) return -1;
  }
  return -1;
}

/** quoteEnd over bytes. */
export function quoteEndB(b: Uint8Array, p: number): number {
  const n = b.length;
  for (let i = p + 1; i < n; i++) if (b[i] === 34) return i;
  return -1;
}

const isDigitB = (c: number | undefined): c is number => c !== undefined && c >= 48 && c <= 57;

/**
 * readNumber over bytes; `s` is the text itself, for the numbers Number() reads. A twin, not one function
 * with an accessor: with the string readNumber instead, the byte mode read a typical history in 1.06x the
 * time (`node tmp/probe/ab-readnum.mjs`).
 */
export function readNumberB(b: Uint8Array, s: string, p: number): number | undefined {
  let q = p;
  let c = b[q];
  const negative = c === 45;
  if (negative) c = b[++q];
  let m = 0;
  let digits = 0;
  if (c === 48) {
    c = b[++q];
    if (isDigitB(c)) return undefined; // a leading zero
  } else if (c !== undefined && c >= 49 && c <= 57) {
    do {
      m = m * 10 + (c - 48);
      digits++;
      c = b[++q];
    } while (isDigitB(c));
  } else return undefined;
  let k = 0;
  if (c === 46) {
    c = b[++q];
    if (!isDigitB(c)) return undefined;
    do {
      m = m * 10 + (c - 48);
      digits++;
      k++;
      c = b[++q];
    } while (isDigitB(c));
  }
  let exact = digits <= 15 && k <= 22;
  if (c === 101 || c === 69) {
    c = b[++q];
    if (c === 43 || c === 45) c = b[++q];
    if (!isDigitB(c)) return undefined;
    do c = b[++q];
    while (isDigitB(c));
    exact = false;
  }
  cursor.at = q;
  if (!exact) return Number(s.slice(p, q));
  const v = k === 0 ? m : m / POW10[k]!;
  return negative ? -v : v;
}
