// NDJSON on the score workers reads blocks of lines: its line splitting must be node's readline's, and
// blocks answered apart and renumbered must give what the whole stream gives in one piece.
import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Utf8Writer } from '../../src/domain/decision/utf8-writer.js';
import { answerLines, eachLine, readLine, writeAnswer } from '../../src/http/ndjson-lines.js';
import { copyRenumbered, renumberedLength } from '../../src/http/renumber.js';
import { makeHistoryInput } from '../support/histories.js';
import { createTestScorer } from '../support/test-scorer.js';

const NOW = Date.parse('2025-05-20T04:00:00Z');

async function readlineLines(chunks: string[]): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of createInterface({ input: Readable.from(chunks.map((c) => Buffer.from(c))), crlfDelay: Infinity })) lines.push(line);
  return lines;
}

const piece = fc.oneof(fc.constantFrom('\n', '\r', '\r\n', '\n\n', ' ', '{"a":1}', 'é逾期', '\t'), fc.string({ maxLength: 6 }));

describe('eachLine', () => {
  it("splits lines as node's readline does, however the stream is chunked (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 4 }), async (pieces, cuts) => {
        const text = pieces.join('');
        const at = [...new Set(cuts.map((c) => (text.length === 0 ? 0 : c % text.length)))].sort((a, b) => a - b);
        const chunks = [0, ...at].map((from, k, all) => text.slice(from, all[k + 1] ?? text.length)).filter((c) => c.length > 0);
        const mine: string[] = [];
        const bytes = Buffer.from(text);
        eachLine(bytes, (from, to) => mine.push(bytes.toString('utf8', from, to)));
        expect(mine).toEqual(await readlineLines(chunks));
      }),
      { numRuns: 300 },
    );
  });
});

describe('answerLines', () => {
  const scorer = createTestScorer();
  const history = fc.integer({ min: 0, max: 4 }).map((m) => JSON.stringify(makeHistoryInput({ loanId: `L-${m}`, due: 4, missed: m })));
  const lineOf = fc.oneof(
    { weight: 4, arbitrary: history },
    // Whitespace around a history, something after it, an escape in it, a value that goes on over the next line.
    { weight: 1, arbitrary: fc.tuple(history, fc.constantFrom('  ', '\t', ' x', ' {}', '')).map(([h, tail]) => `${tail === '' ? ' ' : ''}${h}${tail}`) },
    { weight: 1, arbitrary: fc.constantFrom(JSON.stringify(makeHistoryInput({ loanId: 'L-"q\\' })), JSON.stringify(makeHistoryInput({ loanId: 'L-pretty' }), null, 1), '{"loanId":', '1}', '\u00a0', '\ufeff{}') },
    { weight: 1, arbitrary: fc.constantFrom('', '  ', '{"loanId": 1}', 'not json', '{"a":', '[]', 'null') },
  );

  /** What the in-process stream answers (ndjson.ts before the workers): readline's lines, each read on its own. */
  async function inProcess(text: string): Promise<string> {
    const out = new Utf8Writer();
    const pending: Array<{ line: number; read: ReturnType<typeof readLine> }> = [];
    let n = 0;
    for (const line of await readlineLines([text])) {
      n++;
      if (line.trim() !== '') pending.push({ line: n, read: readLine(line) });
    }
    const decisions = await scorer.scoreMany(pending.flatMap((p) => (p.read.history === undefined ? [] : [p.read.history])), NOW);
    let k = 0;
    for (const p of pending) writeAnswer(out, p.line, p.read, p.read.history === undefined ? undefined : decisions[k++]);
    return out.toString();
  }

  it('answers a block as the in-process stream answers its lines, reading histories in place (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(lineOf, { maxLength: 25 }), fc.constantFrom('\n', '\r\n', '\r'), async (lines, eol) => {
        const text = lines.join(eol);
        const out = new Utf8Writer();
        await answerLines(scorer, Buffer.from(text), NOW, out);
        expect(out.toString()).toBe(await inProcess(text));
      }),
      { numRuns: 80 },
    );
  });

  it('answers blocks cut after a newline, renumbered, as it answers the whole text (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(lineOf, { maxLength: 25 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), fc.array(fc.nat(), { maxLength: 3 }), async (lines, eol, lastEol, cuts) => {
        const text = lines.join(eol) + (lastEol ? eol : '');
        const whole = new Utf8Writer();
        const all = await answerLines(scorer, Buffer.from(text), NOW, whole);
        // Blocks as the route makes them: each ends just after a newline (the last one anywhere).
        const ends = [...new Set(cuts.map((c) => text.indexOf('\n', text.length === 0 ? 0 : c % text.length) + 1).filter((e) => e > 0))].sort((a, b) => a - b);
        const parts: Buffer[] = [];
        let first = 0;
        let from = 0;
        for (const end of [...ends, text.length]) {
          if (end <= from) continue;
          const out = new Utf8Writer();
          const r = await answerLines(scorer, Buffer.from(text.slice(from, end)), NOW, out);
          const renumber = { first, slots: Int32Array.from(r.slots) };
          const bytes = Buffer.alloc(renumberedLength(out.current(), renumber));
          copyRenumbered(out.current(), renumber, bytes, 0);
          parts.push(bytes);
          first += r.lines;
          from = end;
        }
        expect(Buffer.concat(parts).toString('utf8')).toBe(whole.toString());
        expect(first).toBe(all.lines);
      }),
      { numRuns: 60 },
    );
  });
});
