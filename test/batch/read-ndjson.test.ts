import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ndjsonSource } from '../../src/batch/read-ndjson.js';
import { lineRecords, type SourceChunk } from '../../src/batch/source.js';
import type { RawRecord } from '../../src/batch/chunk.js';

/** Each chunk with its records as the scoring side sees them (the line blocks decoded). */
async function all(source: ReturnType<typeof ndjsonSource>, from = 0): Promise<(SourceChunk & { records: readonly RawRecord[] })[]> {
  const out: (SourceChunk & { records: readonly RawRecord[] })[] = [];
  for await (const c of source.chunks(from)) out.push({ ...c, records: [...lineRecords(c.lines ?? []), ...c.records] });
  return out;
}

describe('ndjsonSource', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ews-ndjson-'));
  const lines = Array.from({ length: 25 }, (_, i) => JSON.stringify({ n: i, text: 'é\u4e2d' }));
  const body = `${lines.slice(0, 10).join('\n')}\n\n   \r\n${lines.slice(10).join('\r\n')}`; // blank lines, CRLF, no final newline
  writeFileSync(join(dir, 'a.ndjson'), body);
  writeFileSync(join(dir, 'a.ndjson.gz'), gzipSync(body));

  it('cuts records into numbered chunks with file:line positions, skipping blank lines', async () => {
    const chunks = await all(ndjsonSource([join(dir, 'a.ndjson')], 10));
    expect(chunks.map((c) => [c.index, c.records.length])).toEqual([[0, 10], [1, 10], [2, 5]]);
    const records = chunks.flatMap((c) => c.records);
    expect(records.map((r) => r.text)).toEqual(lines);
    expect(records[10]!.position).toBe('a.ndjson:13');
  });

  it('reads gzip the same as plain text', async () => {
    const plain = await all(ndjsonSource([join(dir, 'a.ndjson')], 7));
    const gz = await all(ndjsonSource([join(dir, 'a.ndjson.gz')], 7));
    expect(gz.map((c) => c.records.map((r) => r.text))).toEqual(plain.map((c) => c.records.map((r) => r.text)));
  });

  it('starts at a later chunk with the same numbering, across files', async () => {
    const files = [join(dir, 'a.ndjson'), join(dir, 'a.ndjson.gz')];
    const whole = await all(ndjsonSource(files, 8));
    const tail = await all(ndjsonSource(files, 8), 3);
    const view = (cs: typeof whole) => cs.map((c) => [c.index, c.records]);
    expect(view(tail)).toEqual(view(whole.slice(3)));
    // chunk 3 holds the last line of a.ndjson and the first of a.ndjson.gz: one block a file
    expect(whole[3]!.lines!.map((b) => [b.file, b.numbers.length])).toEqual([['a.ndjson', 1], ['a.ndjson.gz', 7]]);
    expect(whole[3]!.records.map((r) => r.position)).toEqual(['a.ndjson:27', ...[1, 2, 3, 4, 5, 6, 7].map((n) => `a.ndjson.gz:${n}`)]);
    const source = ndjsonSource(files, 8);
    await all(source);
    expect(source.fractionRead()).toBe(1);
  });

  it('keeps a multi-byte character that straddles a read boundary intact', async () => {
    const pad = 'x'.repeat((1 << 20) - 12);
    const big = [JSON.stringify({ pad, s: '中文' }), JSON.stringify({ s: 'é' })];
    writeFileSync(join(dir, 'big.ndjson'), big.join('\n'));
    const records = (await all(ndjsonSource([join(dir, 'big.ndjson')], 10))).flatMap((c) => c.records);
    expect(records.map((r) => r.text)).toEqual(big);
  });

  it('cuts lines that straddle read boundaries (one longer than two reads, CR and LF on either side) as the text splits them', async () => {
    // Lines are cut as bytes and decoded one by one: the same texts and line numbers as splitting the decoded file.
    const sizes = [10, (1 << 20) - 40, 3 << 20, 7, (1 << 20) + 3, 0, 500_000, 1];
    const texts = sizes.map((n, i) => (n === 0 ? '' : JSON.stringify({ i, s: 'é中😀'.repeat(Math.ceil(n / 12)).slice(0, n) })));
    const body = texts.map((t, i) => (i % 2 === 0 ? `${t}\r\n` : `${t}\n`)).join('');
    writeFileSync(join(dir, 'long.ndjson'), body);
    const records = (await all(ndjsonSource([join(dir, 'long.ndjson')], 3))).flatMap((c) => c.records);
    const expected = readFileSync(join(dir, 'long.ndjson'), 'utf8').split('\n').map((t, i) => ({ line: i + 1, text: t.endsWith('\r') ? t.slice(0, -1) : t })).filter((l) => l.text.trim() !== '');
    expect(records.map((r) => r.text)).toEqual(expected.map((l) => l.text));
    expect(records.map((r) => r.position)).toEqual(expected.map((l) => `long.ndjson:${l.line}`));
  });

  it('skips a line exactly when its text trims to nothing (Unicode white space too), and moves each block in a buffer of its own', async () => {
    const texts = ['{"a":1}', '\u00a0\u3000 ', '\ufeff', '\t\v\f', '\u00a0{"b":2}', '\u2028', 'é', ' {"c":3} '];
    writeFileSync(join(dir, 'ws.ndjson'), texts.join('\n'));
    const chunks = await all(ndjsonSource([join(dir, 'ws.ndjson')], 100));
    const expected = texts.map((t, i) => ({ t, line: i + 1 })).filter((l) => l.t.trim() !== '');
    expect(chunks[0]!.records.map((r) => [r.position, r.text])).toEqual(expected.map((l) => [`ws.ndjson:${l.line}`, l.t]));
    for (const block of chunks[0]!.lines!) expect(block.bytes.byteLength).toBe(block.bytes.buffer.byteLength);
  });
});
