// The byte twins of the token readers answer exactly what the string readers answer on ASCII text
// (the compiled reader's byte mode relies on it), including past the end and on broken tokens.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cursor, quoteEnd, quoteEndB, readNumber, readNumberB, stringEnd, stringEndB, ws, wsB } from '../../../src/domain/history/text-scan.js';

const asciiChar = fc.integer({ min: 0, max: 127 }).map((c) => String.fromCharCode(c));
/** Text around the tokens: JSON punctuation, digits, exponents, whitespace, control characters. */
const tokenChar = fc.oneof(fc.constantFrom(...'0123456789-+.eE" \t\r\n:,{}[]\u0001\u001fxa'.split('')), asciiChar);
const textArb = fc.array(tokenChar, { maxLength: 40 }).map((cs) => cs.join(''));
const numberText = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.integer().map(String),
  fc.tuple(fc.integer({ min: -1e6, max: 1e6 }), fc.nat({ max: 99_999 }), fc.integer({ min: -30, max: 30 })).map(([i, f, e]) => `${i}.${f}e${e}`),
  fc.stringMatching(/^-?(0|[1-9][0-9]{0,25})(\.[0-9]{1,25})?([eE][+-]?[0-9]{1,3})?$/),
);

function both<T>(text: string, p: number, onText: (s: string, p: number) => T, onBytes: (b: Uint8Array, s: string, p: number) => T): void {
  const b = Buffer.from(text, 'latin1');
  const a = onText(text, p);
  const atText = cursor.at;
  const c = onBytes(b, text, p);
  expect(Object.is(c, a) || (Number.isNaN(c) && Number.isNaN(a))).toBe(true);
  if (a !== undefined && typeof a === 'number' && onText === readNumber) expect(cursor.at).toBe(atText);
}

describe('token readers over bytes', () => {
  it('agree with the string readers at every position of ASCII text', () => {
    fc.assert(
      fc.property(textArb, (text) => {
        for (let p = 0; p <= text.length + 1; p++) {
          both(text, p, ws, (b, _s, q) => wsB(b, q));
          both(text, p, stringEnd, (b, _s, q) => stringEndB(b, q));
          both(text, p, quoteEnd, (b, _s, q) => quoteEndB(b, q));
          both(text, p, readNumber, readNumberB);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('read numbers as the string reader does, value and end, bit for bit', () => {
    fc.assert(
      fc.property(numberText, textArb, (num, tail) => {
        const text = num + tail;
        both(text, 0, readNumber, readNumberB);
        const expected = readNumber(text, 0);
        if (expected !== undefined) expect(readNumberB(Buffer.from(text, 'latin1'), text, 0)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
