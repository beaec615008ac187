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
