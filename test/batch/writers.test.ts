import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvLine, STAGING_QUOTE, stagingLine } from '../../src/batch/csv.js';
import { DECISION_COLUMNS } from '../../src/batch/decision-row.js';
import { RFC4180, scan } from '../../src/batch/history-sql.js';
import { csvToParquet, DECISION_ROW_GROUP } from '../../src/batch/write-parquet.js';
import { makeHistory } from './support/histories.js';
import { fixtureExecutor, run, tempDir, writeNdjson } from './support/run.js';

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('decision writers', () => {
  it('CSV fields survive a round trip through DuckDB, quotes, commas, newlines and nulls included', async () => {
    const dir = tempDir();
    const path = join(dir, 'cells.csv');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(fc.string(), { nil: null }), { minLength: 3, maxLength: 3 }), async (cells) => {
        const { writeFileSync } = await import('node:fs');
        writeFileSync(path, `a,b,c\n${csvLine(cells)}\n`);
        const rows = await query(`SELECT * FROM ${scan(path, 'csv')}`);
        expect([rows[0]!['a'] ?? null, rows[0]!['b'] ?? null, rows[0]!['c'] ?? null]).toEqual(cells);
      }),
      { numRuns: 15 },
    );
    // Cells that start and end with an apostrophe (DuckDB's sniffer once took it for the quote).
    for (const cells of [[null, null, "''"], ['x', "'y'", "'"]]) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(path, `a,b,c\n${csvLine(cells)}\n`);
      const rows = await query(`SELECT * FROM ${scan(path, 'csv')}`);
      expect([rows[0]!['a'] ?? null, rows[0]!['b'] ?? null, rows[0]!['c'] ?? null]).toEqual(cells);
    }
  });

  it('staging-dialect fields survive a round trip through DuckDB: JSON text unescaped, the quote character itself, nulls, empty strings', async () => {
    const dir = tempDir();
    const path = join(dir, 'cells.staging');
    const { writeFileSync } = await import('node:fs');
    const text = fc.oneof(fc.string(), fc.json(), fc.constantFrom(STAGING_QUOTE, `a${STAGING_QUOTE}${STAGING_QUOTE}b`, '"', '', ' x ', 'a,b\nc'));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(text, { nil: null }), { minLength: 3, maxLength: 3 }), async (cells) => {
        writeFileSync(path, `a,b,c\n${stagingLine(cells)}\n`);
        const q = `'${STAGING_QUOTE}'`;
        const rows = await query(`SELECT * FROM read_csv('${path}', header = true, all_varchar = true, allow_quoted_nulls = false, quote = ${q}, escape = ${q})`);
        expect([rows[0]!['a'] ?? null, rows[0]!['b'] ?? null, rows[0]!['c'] ?? null]).toEqual(cells);
      }),
      { numRuns: 25 },
    );
  });

  it('releases the executor once every chunk is committed and before the Parquet conversion (onChunksDone)', async () => {
    const dir = tempDir();
    const input = writeNdjson(dir, 'in.ndjson', Array.from({ length: 33 }, (_, i) => makeHistory(i)));
    const pq = join(dir, 'out.parquet');
    const seen: Array<{ final: boolean; checkpoint: unknown }> = [];
    const onChunksDone = () => void seen.push({ final: existsSync(pq), checkpoint: JSON.parse(readFileSync(`${pq}.checkpoint.json`, 'utf8')) });
    await run({ input, out: pq, format: 'parquet', chunkSize: 10, executor: fixtureExecutor(undefined, 'parquet'), extra: { onChunksDone } });
    expect(seen).toHaveLength(1);
    // 33 loans in chunks of 10: all four committed, the Parquet file not yet written.
    expect(seen[0]).toEqual({ final: false, checkpoint: expect.objectContaining({ nextChunk: 4, done: false }) });
    expect(existsSync(pq)).toBe(true);
  });

  it('the Parquet output keeps the decisions in order across row groups of at most DECISION_ROW_GROUP rows', async () => {
    const dir = tempDir();
    const input = writeNdjson(dir, 'in.ndjson', Array.from({ length: 33 }, (_, i) => makeHistory(i)));
    const pq = join(dir, 'out.parquet');
    const staging = join(dir, 'staging-copy.csv');
    // The staging file is complete when the chunks are done and removed after the conversion: keep a copy.
    await run({ input, out: pq, format: 'parquet', chunkSize: 10, executor: fixtureExecutor(undefined, 'parquet'), extra: { onChunksDone: () => copyFileSync(`${pq}.staging.csv`, staging) } });
    // DuckDB cuts row groups at whole vectors (2,048 rows): the 33 decisions, 150 times over, in groups of 2,048.
    const [header, ...lines] = readFileSync(staging, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(33);
    const many = join(dir, 'many.csv');
    writeFileSync(many, `${[header, ...Array.from({ length: 150 }, () => lines).flat()].join('\n')}\n`);
    const small = join(dir, 'small-groups.parquet');
    const large = join(dir, 'one-group.parquet');
    await csvToParquet(many, small, 2048);
    await csvToParquet(many, large, 1_000_000);
    const groups = async (path: string) => (await query(`SELECT row_group_id, max(row_group_num_rows) AS n FROM parquet_metadata('${path}') GROUP BY ALL ORDER BY 1`)).map((r) => Number(r['n']));
    expect(await groups(small)).toEqual([2048, 2048, 854]);
    expect(await groups(large)).toEqual([4950]);
    expect((await groups(pq)).every((n) => n <= DECISION_ROW_GROUP)).toBe(true);
    const all = (path: string) => query(`SELECT * FROM read_parquet('${path}')`);
    const expected = await all(pq);
    expect(expected).toHaveLength(33);
    const rows = await all(small);
    expect(rows).toEqual(await all(large));
    // In the staging file's order across the group edges: row k is decision k mod 33.
    expect(rows.map((_, k) => expected[k % 33])).toEqual(rows);
  });

  it('reads a staging line longer than the first read setting allows with the next one, and names only the limit when none fits', async () => {
    const dir = tempDir();
    const input = writeNdjson(dir, 'in.ndjson', Array.from({ length: 5 }, (_, i) => makeHistory(i)));
    const pq = join(dir, 'out.parquet');
    const staging = join(dir, 'staging-copy.csv');
    await run({ input, out: pq, format: 'parquet', chunkSize: 10, executor: fixtureExecutor(undefined, 'parquet'), extra: { onChunksDone: () => copyFileSync(`${pq}.staging.csv`, staging) } });
    const [header, first, ...rest] = readFileSync(staging, 'utf8').trimEnd().split('\n');
    // The first decision's loan id made ~3,000 bytes long: its line is longer than the first setting's limit.
    const id = first!.split(STAGING_QUOTE)[1]!;
    const longId = `${id}-${'x'.repeat(3000)}`;
    const long = join(dir, 'long.csv');
    writeFileSync(long, `${[header, first!.replace(id, longId), ...rest].join('\n')}\n`);
    const out = join(dir, 'long.parquet');
    await csvToParquet(long, out, DECISION_ROW_GROUP, [
      { maxLineSize: 1024, bufferSize: 4096 },
      { maxLineSize: 8192, bufferSize: 16384 },
    ]);
    const ids = (await query(`SELECT loan_id FROM read_parquet('${out}')`)).map((r) => r['loan_id']);
    expect(ids).toHaveLength(5);
    expect(ids[0]).toBe(longId);
    const error = await csvToParquet(long, join(dir, 'never.parquet'), DECISION_ROW_GROUP, [{ maxLineSize: 1024, bufferSize: 4096 }]).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^converting the decisions to Parquet failed: Maximum line size of 1024 bytes exceeded$/);
    expect((error as Error).message).not.toContain('xxx');
  });

  it('CSV and Parquet outputs hold the same decisions as NDJSON', async () => {
    const dir = tempDir();
    const input = writeNdjson(dir, 'in.ndjson', Array.from({ length: 33 }, (_, i) => makeHistory(i)));
    const nd = join(dir, 'out.ndjson');
    const csv = join(dir, 'out.csv');
    const pq = join(dir, 'out.parquet');
    await run({ input, out: nd });
    await run({ input, out: csv, format: 'csv', executor: fixtureExecutor(undefined, 'csv') });
    await run({ input, out: pq, format: 'parquet', executor: fixtureExecutor(undefined, 'parquet') });
    expect(existsSync(`${pq}.staging.csv`)).toBe(false);

    const expected = readFileSync(nd, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const columns = DECISION_COLUMNS.map(([c]) => c).join(', ');
    for (const source of [`read_csv('${csv}', ${RFC4180}, header = true, all_varchar = true, allow_quoted_nulls = false)`, `read_parquet('${pq}')`]) {
      const rows = await query(`SELECT ${columns} FROM ${source}`);
      expect(rows.map((r) => r['loan_id'])).toEqual(expected.map((d) => d.loanId));
      rows.forEach((r, i) => {
        const d = expected[i];
        expect(Number(r['pd'])).toBe(d.pd);
        expect(r['band']).toBe(d.band);
        expect(r['step_action']).toBe(d.step.action);
        expect(r['step_earliest_contact_at'] ?? null).toBe(d.step.earliestContactAt);
        expect(JSON.parse(String(r['rule_hits_json']))).toEqual(d.ruleHits);
        expect(JSON.parse(String(r['evidence_json']))).toEqual(d.evidence);
        expect(r['reason_codes']).toBe(d.reasons.map((x: { code: string }) => x.code).join('|'));
      });
    }
  });
});
