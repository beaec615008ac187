import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ndjsonSource } from '../../src/batch/read-ndjson.js';
import type { SourceChunk } from '../../src/batch/source.js';

async function all(source: ReturnType<typeof ndjsonSource>, from = 0): Promise<SourceChunk[]> {
  const out: SourceChunk[] = [];
  for await (const c of source.chunks(from)) out.push(c);
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
    expect(tail).toEqual(whole.slice(3));
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
});
