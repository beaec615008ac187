import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRescore } from '../../src/batch/pipeline.js';
import { compareIds, TablesReader } from '../../src/batch/read-tables.js';
import { tablesSource } from '../../src/batch/tables-source.js';
import { inProcessExecutor, type ChunkExecutor } from '../../src/batch/executor.js';
import { createFixtureScorer } from '../../src/batch/fixture-scorer.js';
import { createWorkerPool } from '../../src/batch/pool.js';
import { resolveInput } from '../../src/batch/input.js';
import { rescore } from '../../src/batch/rescore.js';
import { WHOLE } from '../../src/batch/shard.js';
import type { LoanHistoryInput } from '../../src/domain/history/schema.js';
import { makeHistory } from './support/histories.js';
import { AS_OF, run, tempDir, writeNdjson } from './support/run.js';
import { writeTables } from './support/tables.js';
import fc from 'fast-check';
import { DuckDBInstance } from '@duckdb/node-api';
import { segmentStartsQuery, sortedByLoanQuery } from '../../src/batch/history-sql.js';

function portfolio(): LoanHistoryInput[] {
  const out = Array.from({ length: 60 }, (_, i) => makeHistory(i, { closed: i % 13 === 4 }));
  // Richer events so that detail_json and the optional columns are exercised.
  out[3] = {
    ...out[3]!,
    timeZone: 'Asia/Kolkata',
    borrower: { occupation: 'factory', migrant: true, payFrequency: 'weekly', attributes: { bureau_score: 612, region: 'north' } },
    events: [
      ...(out[3]!.events ?? []),
      { id: 'c1', type: 'contact', at: '2025-07-02T11:00:00+05:30', recordedAt: '2025-07-02T12:00:00+05:30', channel: 'call', outcome: 'refused', direction: 'outbound' },
      { id: 'pt', type: 'promise_to_pay', at: '2025-07-03T11:00:00+05:30', amount: 300, promisedDate: '2025-07-10' },
      { id: 'ag', type: 'arrangement_agreed', at: '2025-07-04T11:00:00+05:30', arrangementId: 'a1', kind: 'plan', plan: [{ dueDate: '2025-08-10', amount: 250 }] },
    ],
  };
  return out;
}

describe('flat tables reader', () => {
  for (const format of ['csv', 'parquet'] as const) {
    it(`rebuilds the same histories from ${format} tables as NDJSON gives (shuffled rows, orphan rows rejected)`, async () => {
      const dir = tempDir();
      const histories = portfolio();
      const orphan = { loan_id: 'L0000030x', event_id: 'o1', type: 'payment', at: '2025-03-01T00:00:00Z', at_ms: 0, recorded_at: null, recorded_at_ms: null, amount: 1, channel: null, outcome: null, reason: null, detail_json: null };
      await writeTables(dir, histories, format, { extraEvents: [orphan] });
      const nd = join(dir, 'expected.ndjson');
      await run({ input: writeNdjson(dir, 'in.ndjson', histories), out: nd, chunkSize: 8 });

      const input = resolveInput(dir, format);
      expect(input.kind).toBe('tables');
      if (input.kind !== 'tables') return;
      const reader = await TablesReader.open(input, { asOf: AS_OF });
      const executor = inProcessExecutor({ scorer: createFixtureScorer(), asOf: AS_OF, shard: WHOLE, format: 'ndjson', referenceEdges: [], readRange: (r) => reader.readRange(r) }, () => reader.close());
      const pool = await createWorkerPool(2, { scorer: { kind: 'fixture' }, asOf: AS_OF, shard: WHOLE, format: 'ndjson', referenceEdges: [], tables: input });
      for (const [name, ex] of [['in-process', executor], ['workers', pool]] as const) {
        const out = join(dir, `out-${name}.ndjson`);
        const summary = await runRescore({ source: await tablesSource(input, 8, AS_OF), executor: ex, out, format: 'ndjson', asOf: AS_OF, shard: WHOLE, chunkSize: 8, reference: null });
        await ex.close();
        expect(readFileSync(out, 'utf8')).toBe(readFileSync(nd, 'utf8'));
        expect(summary.counts).toMatchObject({ scored: 55, inactive: 5, rejected: 1 });
        const reject = JSON.parse(readFileSync(`${out}.rejects.ndjson`, 'utf8'));
        expect(reject).toMatchObject({ loanId: 'L0000030x', error: 'rows for loan L0000030x, which has no row in loans' });
      }
    });
  }

  it('rescore() plans the tables while its workers start: the same output, and a clean failure when they cannot start', async () => {
    const dir = tempDir();
    const histories = portfolio();
    await writeTables(dir, histories, 'parquet');
    const nd = join(dir, 'expected.ndjson');
    await run({ input: writeNdjson(dir, 'in.ndjson', histories), out: nd, chunkSize: 8 });
    const input = resolveInput(dir, 'parquet');
    const base = { input, format: 'ndjson' as const, asOf: AS_OF, shard: WHOLE, chunkSize: 8 };
    // Table readers per worker (range-readers.ts) change only how many ranges are read at once.
    for (const [workers, readers] of [[0, 1], [0, 3], [2, 1], [2, 3], [1, 2]] as const) {
      const out = join(dir, `rescore-${workers}-${readers}.ndjson`);
      const summary = await rescore({ ...base, out, workers, readers, scorer: { kind: 'fixture' } });
      expect(summary.counts).toMatchObject({ scored: 55, inactive: 5, rejected: 0 });
      expect(readFileSync(out, 'utf8')).toBe(readFileSync(nd, 'utf8'));
    }
    const broken = { kind: 'engine', modelDir: join(dir, 'no-model'), rulesFile: 'config/rules/default.json', policyFile: 'config/policy/default.json' } as const;
    await expect(rescore({ ...base, out: join(dir, 'broken.ndjson'), workers: 1, scorer: broken })).rejects.toThrow(/worker 0 could not start/);
    await expect(rescore({ ...base, out: join(dir, 'broken-0.ndjson'), workers: 0, scorer: broken })).rejects.toThrow();
  });

  it('resumes a tables run read by two readers a worker, interrupted with chunks read ahead, to the uninterrupted output', async () => {
    const dir = tempDir();
    await writeTables(dir, portfolio(), 'parquet');
    const input = resolveInput(dir, 'parquet');
    if (input.kind !== 'tables') throw new Error('expected tables');
    const setup = { scorer: { kind: 'fixture' }, asOf: AS_OF, shard: WHOLE, format: 'ndjson', referenceEdges: [], tables: input, readers: 2 } as const;
    const go = async (out: string, wrap: (e: ChunkExecutor) => ChunkExecutor, signal?: AbortSignal) => {
      const pool = await createWorkerPool(1, setup);
      expect(pool.depth).toBe(3);
      try {
        return await runRescore({ source: await tablesSource(input, 8, AS_OF), executor: wrap(pool), out, format: 'ndjson', asOf: AS_OF, shard: WHOLE, chunkSize: 8, reference: null, ...(signal === undefined ? {} : { signal }) });
      } finally {
        await pool.close();
      }
    };
    const whole = join(dir, 'whole.ndjson');
    await go(whole, (e) => e);
    const out = join(dir, 'resumed.ndjson');
    const controller = new AbortController();
    let started = 0;
    const first = await go(out, (e) => ({ ...e, run: (chunk) => (++started === 4 && controller.abort(), e.run(chunk)) }), controller.signal);
    expect(first.status).toBe('interrupted');
    // The chunks in flight when Ctrl-C came (up to 3 for one worker with two readers) were finished and committed.
    expect(JSON.parse(readFileSync(`${out}.checkpoint.json`, 'utf8'))).toMatchObject({ nextChunk: 4, done: false });
    const seen: number[] = [];
    const second = await go(out, (e) => ({ ...e, run: (chunk) => (seen.push(chunk.index), e.run(chunk)) }));
    expect(second.status).toBe('complete');
    expect(seen[0]).toBe(4);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(whole, 'utf8'));
    expect(readFileSync(`${out}.bands.tsv`, 'utf8')).toBe(readFileSync(`${whole}.bands.tsv`, 'utf8'));
  });

  it('gives the same output planned in segments as in one pass (segment edges cut the chunks only)', async () => {
    const dir = tempDir();
    const orphan = { loan_id: 'L0000030x', event_id: 'o1', type: 'payment', at: '2025-03-01T00:00:00Z', at_ms: 0, recorded_at: null, recorded_at_ms: null, amount: 1, channel: null, outcome: null, reason: null, detail_json: null };
    await writeTables(dir, portfolio(), 'parquet', { extraEvents: [orphan] });
    const input = resolveInput(dir, 'parquet');
    if (input.kind !== 'tables') throw new Error('expected tables');
    const outputs: string[] = [];
    const edges: string[][] = [];
    for (const segmentLoans of [1_000_000, 16, 5]) {
      const source = await tablesSource(input, 8, AS_OF, { segmentLoans });
      const ranges: string[] = [];
      for await (const chunk of source.chunks(0)) ranges.push(`${chunk.range!.from}..${chunk.range!.to}`);
      await source.close();
      edges.push(ranges);
      const reader = await TablesReader.open(input, { asOf: AS_OF });
      const executor = inProcessExecutor({ scorer: createFixtureScorer(), asOf: AS_OF, shard: WHOLE, format: 'ndjson', referenceEdges: [], readRange: (r) => reader.readRange(r) }, () => reader.close());
      const out = join(dir, `out-${segmentLoans}.ndjson`);
      const summary = await runRescore({ source: await tablesSource(input, 8, AS_OF, { segmentLoans }), executor, out, format: 'ndjson', asOf: AS_OF, shard: WHOLE, chunkSize: 8, reference: null });
      await executor.close();
      expect(summary.counts).toMatchObject({ scored: 55, inactive: 5, rejected: 1 });
      outputs.push(`${readFileSync(out, 'utf8')}${readFileSync(`${out}.rejects.ndjson`, 'utf8')}${readFileSync(`${out}.bands.tsv`, 'utf8')}`);
    }
    // Segments of 16 and 5 loans cut the chunks elsewhere: the first segment a quarter of the others (rounded
    // up to a planner block, here one loan), so the 60 loans' edges at L0000004, L0000020, L0000036, ...
    expect(edges[1]).not.toEqual(edges[0]);
    expect(edges[1]!.some((e) => e.endsWith('..L0000004'))).toBe(true);
    expect(edges[1]!.some((e) => e.startsWith('L0000020..'))).toBe(true);
    expect(edges[1]!.some((e) => e.endsWith('..L0000016'))).toBe(false);
    expect(edges[2]!.length).toBeGreaterThan(edges[1]!.length);
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[2]).toBe(outputs[0]);
  });

  it('plans in segments only Parquet files whose row groups are sorted by loan id', async () => {
    const dir = tempDir();
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const ids = (order: string) => `SELECT 'L' || lpad(CAST(i AS VARCHAR), 5, '0') AS loan_id FROM range(10000) t(i) ORDER BY ${order}`;
    await connection.run(`COPY (${ids('i')}) TO '${join(dir, 'sorted.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
    await connection.run(`COPY (${ids('(i * 7919) % 10000')}) TO '${join(dir, 'shuffled.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
    const sorted = async (file: string) => (await connection.runAndReadAll(sortedByLoanQuery(join(dir, file)))).getRows()[0]![0];
    const groups = (await connection.runAndReadAll(`SELECT count(DISTINCT row_group_id) FROM parquet_metadata('${join(dir, 'sorted.parquet')}')`)).getRows()[0]![0];
    expect(Number(groups)).toBeGreaterThan(3);
    expect(await sorted('sorted.parquet')).toBe(true);
    expect(await sorted('shuffled.parquet')).toBe(false);
    const starts = (await connection.runAndReadAll(segmentStartsQuery({ format: 'parquet', loans: join(dir, 'shuffled.parquet') }, 4096))).getColumns()[0];
    expect(starts).toEqual(['L04096', 'L08192']);
    const afterFirst = (await connection.runAndReadAll(segmentStartsQuery({ format: 'parquet', loans: join(dir, 'shuffled.parquet') }, 4096, 1024))).getColumns()[0];
    expect(afterFirst).toEqual(['L01024', 'L05120', 'L09216']);
    connection.closeSync();
    instance.closeSync();
  });

  it('orders ids by code point, as DuckDB does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        const bytes = Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
        expect(Math.sign(compareIds(a, b))).toBe(bytes);
      }),
    );
  });
});
