import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Utf8Writer } from '../../../src/domain/decision/utf8-writer.js';

/** One text written piece by piece the writer's ways: plain quoted strings, ASCII, any text, bytes. */
type Piece = { kind: 'plain' | 'ascii' | 'text' | 'raw'; s: string };
const piece: fc.Arbitrary<Piece> = fc.oneof(
  fc.record({ kind: fc.constant('plain' as const), s: fc.string({ maxLength: 40 }) }),
  fc.record({ kind: fc.constant('ascii' as const), s: fc.string({ unit: fc.integer({ min: 0, max: 127 }).map((c) => String.fromCharCode(c)), maxLength: 200 }) }),
  fc.record({ kind: fc.constant('text' as const), s: fc.string({ unit: 'binary', maxLength: 300 }) }),
  fc.record({ kind: fc.constant('raw' as const), s: fc.string({ unit: 'grapheme', maxLength: 100 }) }),
);

/** What the writer should hold after a piece, and whether a plain string was refused. */
function write(w: Utf8Writer, p: Piece): string {
  if (p.kind === 'plain') return w.plainString(p.s) ? `"${p.s}"` : '';
  if (p.kind === 'ascii') w.ascii(p.s);
  else if (p.kind === 'text') w.text(p.s);
  else w.raw(new TextEncoder().encode(p.s));
  return p.s;
}

describe('Utf8Writer', () => {
  it('hands out each text as UTF-8 that later writes, resets and new slabs leave intact', () => {
    fc.assert(
      fc.property(fc.integer({ min: 16, max: 512 }), fc.array(fc.record({ pieces: fc.array(piece, { maxLength: 8 }), keep: fc.constantFrom('take', 'copy', 'reset') }), { maxLength: 30 }), (slab, texts) => {
        const w = new Utf8Writer(slab);
        const taken: { view: Uint8Array; expected: string }[] = [];
        for (const t of texts) {
          let expected = '';
          for (const p of t.pieces) expected += write(w, p);
          expect(w.toString()).toBe(new TextDecoder().decode(new TextEncoder().encode(expected)));
          expect(Buffer.from(w.current()).equals(Buffer.from(expected, 'utf8'))).toBe(true);
          if (t.keep === 'take') taken.push({ view: w.take(), expected });
          else if (t.keep === 'copy') taken.push({ view: w.copy(), expected });
          else w.reset();
        }
        for (const { view, expected } of taken) expect(Buffer.from(view).equals(Buffer.from(expected, 'utf8'))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a string that needs a JSON escape or is not printable ASCII, and writes nothing for it', () => {
    const w = new Utf8Writer(16);
    w.ascii('a');
    for (const s of ['"', '\\', '\n', '\u007f', 'é', '逾期']) expect(w.plainString(`x${s}`)).toBe(false);
    expect(w.plainString('ok')).toBe(true);
    expect(w.toString()).toBe('a"ok"');
  });
});
