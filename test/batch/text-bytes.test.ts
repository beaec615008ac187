// TextBytes reads a VARCHAR column's bytes straight from DuckDB's vectors; its oracle is
// @duckdb/node-api's own string conversion of the same column.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TextBytes } from '../../src/batch/text-bytes.js';

let instance: DuckDBInstance;
let connection: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  connection = await instance.connect();
});

afterAll(() => {
  connection.closeSync();
  instance.closeSync();
});

/** Every text of column 1 (ordered by column 0) read through TextBytes, decoded; and node-api's strings. */
async function bothWays(sql: string, initialBytes?: number): Promise<{ viaBytes: (string | null)[]; viaApi: (string | null)[] }> {
  const texts = new TextBytes(initialBytes);
  const result = await connection.run(sql);
  const found: [number, number][] = [];
  const viaApi: (string | null)[] = [];
  for (let i = 0; i < result.chunkCount; i++) {
    const chunk = result.getChunk(i);
    const bounds = new Int32Array(2 * chunk.rowCount);
    texts.appendColumn(chunk, 1, bounds, 0);
    for (let r = 0; r < chunk.rowCount; r++) found.push([bounds[2 * r]!, bounds[2 * r + 1]!]);
    viaApi.push(...(chunk.getColumns()[1] as (string | null)[]));
  }
  const bytes = texts.done();
  return { viaBytes: found.map(([from, to]) => (from < 0 ? null : bytes.toString('utf8', from, to))), viaApi };
}

const literal = (s: string | null): string => (s === null ? 'NULL' : `'${s.replaceAll("'", "''")}'`);

describe('TextBytes', () => {
  it('gives the bytes of inline (up to 12 bytes) and longer texts, empty texts and NULLs, as node-api reads them', async () => {
    const values = ['', 'a', 'twelve bytes', 'thirteen byte', '中文十二字节', '中文超过十二个字节的文本', null, 'x'.repeat(5000)];
    const rows = values.map((v, i) => `(${i}, ${literal(v)})`).join(', ');
    const { viaBytes, viaApi } = await bothWays(`SELECT i, CAST(s AS VARCHAR) FROM (VALUES ${rows}) AS t(i, s) ORDER BY i`, 16);
    expect(viaBytes).toEqual(values);
    expect(viaApi).toEqual(values);
  });

  it('reads every chunk of a result of many chunks into one buffer', async () => {
    const { viaBytes, viaApi } = await bothWays(`SELECT i, CASE WHEN i % 7 = 0 THEN NULL ELSE repeat(chr(CAST(65 + i % 26 AS INTEGER)), CAST(i % 40 AS INTEGER)) END FROM range(10000) AS t(i) ORDER BY i`);
    expect(viaBytes).toHaveLength(10000);
    expect(viaBytes).toEqual(viaApi);
  });

  it('sized with columnBytes, holds every chunk in the one buffer it was given', async () => {
    const sql = `SELECT i, CASE WHEN i % 5 = 0 THEN NULL WHEN i % 3 = 0 THEN 'short' ELSE repeat('é', CAST(i % 90 AS INTEGER)) END FROM range(6000) AS t(i) ORDER BY i`;
    const result = await connection.run(sql);
    const chunks = Array.from({ length: result.chunkCount }, (_, i) => result.getChunk(i));
    expect(chunks.length).toBeGreaterThan(1);
    const total = chunks.reduce((n, c) => n + TextBytes.columnBytes(c, 1), 0);
    const texts = new TextBytes(total);
    const found: (string | null)[] = [];
    const expected: (string | null)[] = [];
    const bounds: Int32Array[] = [];
    for (const chunk of chunks) {
      const b = new Int32Array(2 * chunk.rowCount);
      texts.appendColumn(chunk, 1, b, 0);
      bounds.push(b);
      expected.push(...(chunk.getColumns()[1] as (string | null)[]));
    }
    const bytes = texts.done();
    for (const b of bounds) for (let r = 0; r < b.length / 2; r++) found.push(b[2 * r]! < 0 ? null : bytes.toString('utf8', b[2 * r]!, b[2 * r + 1]!));
    expect(found).toEqual(expected);
    expect(bytes.length).toBe(total);
    expect(bytes.buffer.byteLength).toBe(total);
  });

  it('agrees with node-api on long and short texts in any order, over several chunks (property)', async () => {
    const text = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', minLength: 13, maxLength: 300 }));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(text.filter((s) => !s.includes('\u0000')), { nil: null }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 80 }), async (values, times) => {
        const rows = values.map((v, i) => `(${i}, ${literal(v)})`).join(', ');
        // Repeated to a few thousand rows, so runs of adjacent texts cross chunk edges.
        const { viaBytes, viaApi } = await bothWays(`SELECT k * ${values.length} + i, s FROM (VALUES ${rows}) AS t(i, s), range(${times}) AS r(k) ORDER BY 1`);
        expect(viaBytes).toEqual(viaApi);
        expect(viaBytes).toEqual(Array.from({ length: times }, () => values).flat());
      }),
      { numRuns: 40 },
    );
  });

  it('agrees with node-api on any texts (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(fc.string({ unit: 'grapheme', maxLength: 30 }).filter((s) => !s.includes('\u0000')), { nil: null }), { maxLength: 40 }), async (values) => {
        if (values.length === 0) return;
        const rows = values.map((v, i) => `(${i}, ${literal(v)})`).join(', ');
        const { viaBytes, viaApi } = await bothWays(`SELECT i, CAST(s AS VARCHAR) FROM (VALUES ${rows}) AS t(i, s) ORDER BY i`, 16);
        expect(viaBytes).toEqual(viaApi);
        expect(viaBytes).toEqual(values);
      }),
      { numRuns: 60 },
    );
  });
});
