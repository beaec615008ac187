import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell } from '../../src/batch/csv.js';

/** A minimal RFC 4180 reader, to check that every cell reads back as written. */
function parseCsvLine(line: string): Array<string | null> {
  const out: Array<string | null> = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        if (line[i] === '"' && line[i + 1] === '"') {
          v += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else v += line[i++];
      }
      out.push(v);
    } else {
      let j = i;
      while (j < line.length && line[j] !== ',') j++;
      out.push(j === i ? null : line.slice(i, j));
      i = j;
    }
    if (i >= line.length) return out;
    i++; // the comma
  }
}

describe('CSV cells', () => {
  it('any string or null reads back as written (quoted when needed)', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.string({ unit: 'grapheme' }), { nil: null }), { minLength: 1, maxLength: 6 }), (cells) => {
        const line = cells.map(csvCell).join(',');
        if (cells.some((c) => c !== null && /[\r\n]/.test(c))) return; // multi-line cells are valid CSV but not one line
        expect(parseCsvLine(line)).toEqual(cells);
      }),
    );
  });

  it('numbers and booleans are plain', () => {
    expect(csvCell(1723597860000)).toBe('1723597860000');
    expect(csvCell(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(csvCell(true)).toBe('true');
    expect(csvCell('')).toBe('""');
    expect(csvCell(' x')).toBe('" x"');
  });
});
