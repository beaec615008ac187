import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { NdjsonFile, type NdjsonRecord } from '../src/ndjson-file.js';

const dir = mkdtempSync(join(tmpdir(), 'ews-ndjson-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(path: string): Promise<{ records: NdjsonRecord[]; lines: number }> {
  const file = new NdjsonFile(path);
  const records: NdjsonRecord[] = [];
  for await (const r of file) records.push(r);
  return { records, lines: file.lines };
}

describe('NdjsonFile', () => {
  it('gives every non-blank line parsed or with why it is not JSON, numbered as in the file, plain or gzipped', async () => {
    const text = '{"a":1}\r\n\n  \nnot json\n[2, 3]\n{"b":\n';
    const plain = join(dir, 'mixed.ndjson');
    writeFileSync(plain, text);
    writeFileSync(`${plain}.gz`, gzipSync(text));
    for (const path of [plain, `${plain}.gz`]) {
      const { records, lines } = await readAll(path);
      expect(lines).toBe(6);
      expect(records.map((r) => r.line)).toEqual([1, 4, 5, 6]);
      expect(records[0]).toEqual({ line: 1, ok: true, value: { a: 1 } });
      expect(records[2]).toEqual({ line: 5, ok: true, value: [2, 3] });
      for (const bad of [records[1]!, records[3]!]) {
        expect(bad.ok).toBe(false);
        if (!bad.ok) expect(bad.error).toMatch(/^not JSON \(.+\)$/);
      }
    }
  });

  it('names the file it cannot read', async () => {
    const missing = join(dir, 'nowhere.ndjson');
    await expect(readAll(missing)).rejects.toThrow(`cannot read ${missing}`);
  });

  it('numbers lines as the file has them, whatever the blank lines and line ends (property)', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.constant(''), fc.constant('   '), fc.jsonValue().map((v) => JSON.stringify(v)), fc.constant('{oops')), { maxLength: 30 }),
        fc.constantFrom('\n', '\r\n'),
        async (lines, eol) => {
          const path = join(dir, `p${n++}.ndjson`);
          writeFileSync(path, lines.join(eol));
          const { records, lines: count } = await readAll(path);
          // What follows the last line end, when empty, is no line at all (as readline counts).
          const expectedCount = lines.at(-1) === '' ? lines.length - 1 : lines.length;
          expect(count).toBe(expectedCount);
          const expected = lines.flatMap((l, i) => (l.trim() === '' ? [] : [{ line: i + 1, ok: l !== '{oops' }]));
          expect(records.map((r) => ({ line: r.line, ok: r.ok }))).toEqual(expected);
          for (const r of records) if (r.ok) expect(r.value).toEqual(JSON.parse(lines[r.line - 1]!));
        },
      ),
      { numRuns: 60 },
    );
  });
});
