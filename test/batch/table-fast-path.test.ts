// The flat-table reader's fast path (DuckDB decides inactivity and assembles each history as JSON)
// against its oracle, the row-by-row path (rows -> rowsToHistory -> validate), on clean loans and on
// loans with every kind of cell the fast path must not get wrong.
import { DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { knownInactive, isActive } from '../../src/batch/active.js';
import { processChunk, type ChunkContext, type RawRecord } from '../../src/batch/chunk.js';
import { createFixtureScorer } from '../../src/batch/fixture-scorer.js';
import { resolveInput } from '../../src/batch/input.js';
import { TablesReader } from '../../src/batch/read-tables.js';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { inProcessExecutor } from '../../src/batch/executor.js';
import { runRescore } from '../../src/batch/pipeline.js';
import { tablesSource } from '../../src/batch/tables-source.js';
import { WHOLE } from '../../src/batch/shard.js';
import { LoanHistory, type LoanHistoryInput } from '../../src/domain/history/schema.js';
import { makeHistory } from './support/histories.js';
import { AS_OF, tempDir } from './support/run.js';
import { writeTables } from './support/tables.js';

type Row = Record<string, string | number | boolean | null>;

const ctx: ChunkContext = { scorer: createFixtureScorer(), asOf: AS_OF, shard: WHOLE, format: 'ndjson', referenceEdges: [] };

/** Active loans (none closed) with planted problems, keyed by loan index. */
const PLANTED: Record<number, (table: string, row: Row) => Row> = {
  1: (t, r) => (t === 'events' && r.event_id === 'p5' ? { ...r, detail_json: '{"direction":' } : r), // not JSON
  2: (t, r) => (t === 'events' && r.event_id === 'p5' ? { ...r, event_id: 'p"5' } : r), // a quote in a text
  3: (t, r) => (t === 'events' && r.event_id === 'p5' ? { ...r, event_id: 'p\\5' } : r), // a backslash
  4: (t, r) => (t === 'events' && r.event_id === 'p5' ? { ...r, amount: Number.NaN } : r), // not finite
  5: (t, r) => (t === 'loans' ? { ...r, meta_json: '{"history":{"source":"x"}}' } : r),
  6: (t, r) => (t === 'loans' ? { ...r, attributes_json: 'null' } : r),
  7: (t, r) => (t === 'events' && r.event_id === 'p5' ? { ...r, detail_json: '{"amount":null}' } : r),
  8: (t, r) => (t === 'events' && r.event_id === 'p5' ? { ...r, type: 'no_such_type' } : r),
  9: (t, r) => (t === 'events' && r.event_id === 'p5' ? { ...r, outcome: 'line\nbreak' } : r), // a raw control character
  10: (t, r) => (t === 'schedule' && r.seq === 2 ? { ...r, amount_due: -5 } : r),
  11: (t, r) => (t === 'loans' ? { ...r, principal: null } : r),
  12: (t, r) => (t === 'events' && r.event_id === 'p5' ? { ...r, detail_json: '{"direction":"outbound"},{"x":1}' } : r), // would splice two objects
  13: (t, r) => (t === 'loans' ? { ...r, time_zone: 'Mars/Olympus' } : r),
  16: (t, r) => (t === 'loans' ? { ...r, borrower_id: 'B"16' } : r), // a quote in a loans text column
  // A NULL in a column every valid row has (the SQL writes those fields inline: the loan goes the rows way).
  17: (t, r) => (t === 'events' && r.event_id === 'p5' ? { ...r, event_id: null } : r),
  18: (t, r) => (t === 'events' && r.event_id === 'p5' ? { ...r, at: null, at_ms: null } : r),
  19: (t, r) => (t === 'schedule' && r.seq === 2 ? { ...r, due_date: null } : r),
  23: (t, r) => (t === 'events' && r.event_id === 'p5' ? { ...r, type: null } : r),
  24: (t, r) => (t === 'schedule' && r.seq === 2 ? { ...r, seq: null, amount_due: null } : r),
};

function portfolio(): LoanHistoryInput[] {
  const out = Array.from({ length: 40 }, (_, i) => makeHistory(i, { missed: i % 3, closed: i >= 30 }));
  out[20] = { ...out[20]!, loanId: 'L中文-20', borrower: { occupation: 'factory', attributes: { bureau_score: 600, region: 'north' } } };
  out[21] = { ...out[21]!, schedule: [], events: [] };
  out[22] = { ...out[22]!, contract: { ...out[22]!.contract, originationDate: '2025-09-01' } }; // not yet originated at AS_OF
  return out;
}

async function bothWays(dir: string, format: 'csv' | 'parquet') {
  const input = resolveInput(dir, format);
  if (input.kind !== 'tables') throw new Error('expected tables');
  const reader = await TablesReader.open(input, { asOf: AS_OF });
  try {
    const records = await reader.readRange({ from: null, to: null });
    const fast = await processChunk(0, records, ctx);
    const slow = await processChunk(0, await reader.readRows(''), ctx);
    return { fast, slow, asJson: records.filter((r) => r.partBytes !== undefined).map((r) => r.loanId) };
  } finally {
    reader.close();
  }
}

describe('flat tables fast path', () => {
  for (const format of ['csv', 'parquet'] as const) {
    it(`gives the row-by-row path's decisions and rejects on clean and malformed ${format} rows`, async () => {
      const dir = tempDir();
      const histories = portfolio();
      const ids = histories.map((h) => h.loanId);
      const duplicate = { ...(await import('./support/tables.js')).rowsOf(histories[15]!).loan } as Row;
      await writeTables(dir, histories, format, {
        extraLoans: [duplicate],
        edit: (table, row) => {
          const plant = PLANTED[ids.indexOf(String(row.loan_id))];
          return plant === undefined ? row : plant(table, row);
        },
      });
      const { fast, slow, asJson } = await bothWays(dir, format);
      // Clean active loans came the fast way (one JSON text each).
      expect(asJson).toEqual(expect.arrayContaining(['L0000000', 'L0000014', 'L0000021', 'L中文-20']));
      expect(asJson).not.toContain('L0000016');
      expect(fast.output).toEqual(slow.output);
      expect(fast.rejects).toBe(slow.rejects);
      expect(fast.bands).toBe(slow.bands);
      expect(fast.stats).toEqual(slow.stats);
      // The planted problems that break the contract are rejected, naming the field.
      const rejected = fast.rejects.trim().split('\n').map((l) => JSON.parse(l) as { loanId: string; error: string });
      const broken = [1, 4, 7, 8, 9, 10, 11, 12, 13, 17, 18, 19, 23, 24].map((i) => ids[i]);
      expect(rejected.map((r) => r.loanId)).toEqual(broken);
      expect(rejected.find((r) => r.loanId === 'L0000001')!.error).toMatch(/detail_json: not valid JSON/);
      // 10 closed + 1 not yet originated; loan 15 has a duplicate loans row (scored twice, as before).
      expect(fast.stats).toMatchObject({ inactive: 11, rejected: 14, scored: 40 - 11 - 14 + 1 });
    });
  }

  it('counts a closed loan inactive without reading its rows, even when they are malformed (documented)', async () => {
    const dir = tempDir();
    const histories = [makeHistory(1, { closed: true }), makeHistory(2, { closed: true }), makeHistory(3)];
    await writeTables(dir, histories, 'parquet', {
      // Loan 1's closed event was recorded after AS_OF: it was still active as the lender knew it then.
      edit: (table, row) =>
        table === 'events' && row.loan_id === 'L0000001' && row.type === 'closed'
          ? { ...row, recorded_at: '2025-09-01T00:00:00+08:00', recorded_at_ms: Date.parse('2025-09-01T00:00:00+08:00') }
          : table === 'events' && row.loan_id === 'L0000002' && row.event_id === 'p5'
            ? { ...row, amount: -1 }
            : row,
    });
    const input = resolveInput(dir, 'parquet');
    if (input.kind !== 'tables') throw new Error('expected tables');
    const reader = await TablesReader.open(input, { asOf: AS_OF });
    const records = await reader.readRange({ from: null, to: null });
    reader.close();
    expect(records.map((r: RawRecord) => [r.loanId, r.inactive === true])).toEqual([
      ['L0000001', false],
      ['L0000002', true],
      ['L0000003', false],
    ]);
    const result = await processChunk(0, records, ctx);
    expect(result.stats).toMatchObject({ scored: 2, inactive: 1, rejected: 0 });
  });
});

describe('flat tables in shards', () => {
  it('the shards of a table run, inactive and rejected loans included, add up to the whole run', async () => {
    const dir = tempDir();
    const histories = portfolio();
    const ids = histories.map((h) => h.loanId);
    await writeTables(dir, histories, 'parquet', { edit: (table, row) => PLANTED[ids.indexOf(String(row.loan_id))]?.(table, row) ?? row });
    const input = resolveInput(dir, 'parquet');
    if (input.kind !== 'tables') throw new Error('expected tables');
    const reader = await TablesReader.open(input, { asOf: AS_OF });
    try {
      const records = await reader.readRange({ from: null, to: null });
      const whole = await processChunk(0, records, ctx);
      const parts = await Promise.all([0, 1, 2].map((index) => processChunk(0, records, { ...ctx, shard: { index, count: 3 } })));
      const lines = (text: string | Uint8Array) => (typeof text === 'string' ? text : new TextDecoder().decode(text)).split('\n').filter((l) => l !== '');
      expect(parts.flatMap((p) => lines(p.output)).sort()).toEqual(lines(whole.output).sort());
      expect(parts.flatMap((p) => lines(p.rejects)).sort()).toEqual(lines(whole.rejects).sort());
      for (const key of ['scored', 'inactive', 'rejected'] as const) expect(parts.reduce((n, p) => n + p.stats[key], 0)).toBe(whole.stats[key]);
      expect(parts.reduce((n, p) => n + p.stats.otherShard, 0)).toBe(2 * records.length);
    } finally {
      reader.close();
    }
  });
});

describe('knownInactive (before validation)', () => {
  it('agrees with isActive on valid histories', () => {
    fc.assert(
      fc.property(
        fc.nat(50),
        fc.boolean(),
        fc.constantFrom('2024-12-01', '2025-01-15', '2025-03-01', '2025-09-30'),
        fc.constantFrom('Asia/Shanghai', 'Asia/Kolkata', 'America/New_York', undefined),
        fc.integer({ min: Date.parse('2024-11-01'), max: Date.parse('2025-12-31') }),
        (i, closed, originationDate, timeZone, asOf) => {
          const raw = { ...makeHistory(i, { closed, originationDate }), ...(timeZone === undefined ? {} : { timeZone }) };
          const history = LoanHistory.parse(raw);
          expect(knownInactive(raw, asOf)).toBe(!isActive(history, asOf));
        },
      ),
    );
  });

  it('decides nothing from fields that break the contract', () => {
    const h = makeHistory(1, { closed: true });
    const badClosed = { ...h, events: h.events!.map((e) => (e.type === 'closed' ? { ...e, at: '2025-03-01 10:00' } : e)) };
    expect(knownInactive(badClosed, AS_OF)).toBe(false);
    const future = makeHistory(2, { originationDate: '2025-09-01' });
    expect(knownInactive(future, AS_OF)).toBe(true);
    expect(knownInactive({ ...future, timeZone: 'Mars/Olympus' }, AS_OF)).toBe(false);
    expect(knownInactive({ ...future, contract: { ...future.contract, originationDate: '2025-13-01' } }, AS_OF)).toBe(false);
    expect(knownInactive(null, AS_OF)).toBe(false);
  });
});

describe('numbers as DuckDB writes them', () => {
  it('CAST(DOUBLE AS VARCHAR) is JSON that parses back to the same double', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 50 }), async (xs) => {
          const list = xs.map((x) => `'${Object.is(x, -0) ? '-0.0' : String(x)}'`).join(', ');
          const rows = (await connection.runAndReadAll(`SELECT CAST(x AS VARCHAR) FROM (SELECT unnest([${list}]::DOUBLE[]) AS x)`)).getRows();
          rows.forEach(([text], k) => expect(Object.is(JSON.parse(String(text)), xs[k])).toBe(true));
        }),
        { numRuns: 40 },
      );
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});

describe("the planner's skip files", () => {
  for (const format of ['csv', 'parquet'] as const) {
    it(`give the output the range queries give deciding every loan themselves (${format}, planted problems, segments)`, async () => {
      const dir = tempDir();
      const histories = portfolio();
      const ids = histories.map((h) => h.loanId);
      const duplicate = { ...(await import('./support/tables.js')).rowsOf(histories[15]!).loan } as Row;
      const orphan = { loan_id: 'L0000030x', event_id: 'o1', type: 'payment', at: '2025-03-01T00:00:00Z', at_ms: 0, recorded_at: null, recorded_at_ms: null, amount: 1, channel: null, outcome: null, reason: null, detail_json: null };
      await writeTables(dir, histories, format, {
        extraLoans: [duplicate],
        extraEvents: [orphan],
        edit: (table, row) => PLANTED[ids.indexOf(String(row.loan_id))]?.(table, row) ?? row,
      });
      const input = resolveInput(dir, format);
      if (input.kind !== 'tables') throw new Error('expected tables');
      const outputs: string[] = [];
      const skipFiles = new Set<string>();
      for (const useSkipFiles of [false, true]) {
        const reader = await TablesReader.open(input, { asOf: AS_OF });
        const executor = inProcessExecutor({ ...ctx, readRange: (r) => {
          if (r.skipFile !== undefined) skipFiles.add(r.skipFile);
          return reader.readRange(r);
        } }, () => reader.close());
        const out = join(dir, `out-${useSkipFiles}.ndjson`);
        const source = await tablesSource(input, 4, AS_OF, { segmentLoans: 12, skipFiles: useSkipFiles });
        const summary = await runRescore({ source, executor, out, format: 'ndjson', asOf: AS_OF, shard: WHOLE, chunkSize: 4, reference: null });
        await executor.close();
        expect(summary.counts).toMatchObject({ inactive: 11, rejected: 15 });
        outputs.push(`${readFileSync(out, 'utf8')}${readFileSync(`${out}.rejects.ndjson`, 'utf8')}${readFileSync(`${out}.bands.tsv`, 'utf8')}`);
      }
      // The second run's ranges named skip files (one a segment; Parquet is planned in several: a first of 3
      // loans, then 12 each), and closing the source removed them.
      expect(skipFiles.size).toBe(format === 'parquet' ? 5 : 1);
      for (const f of skipFiles) expect(existsSync(dirname(f))).toBe(false);
      expect(outputs[1]).toBe(outputs[0]);
    });
  }
});

describe('a loans row without a loan id', () => {
  for (const format of ['csv', 'parquet'] as const) {
    it(`is reported once, as a reject naming the field, however the ${format} tables are cut into ranges`, async () => {
      const dir = tempDir();
      const histories = Array.from({ length: 12 }, (_, i) => makeHistory(i));
      const { rowsOf } = await import('./support/tables.js');
      await writeTables(dir, histories, format, { extraLoans: [{ ...(rowsOf(histories[3]!).loan as Row), loan_id: null }] });
      const input = resolveInput(dir, format);
      if (input.kind !== 'tables') throw new Error('expected tables');
      const outputs: string[] = [];
      for (const chunkSize of [1000, 2]) {
        const reader = await TablesReader.open(input, { asOf: AS_OF });
        const executor = inProcessExecutor({ ...ctx, readRange: (r) => reader.readRange(r) }, () => reader.close());
        const out = join(dir, `out-${chunkSize}.ndjson`);
        const summary = await runRescore({ source: await tablesSource(input, chunkSize, AS_OF, { segmentLoans: 4 }), executor, out, format: 'ndjson', asOf: AS_OF, shard: WHOLE, chunkSize, reference: null });
        await executor.close();
        expect(summary.counts).toMatchObject({ records: 13, scored: 12, rejected: 1 });
        const rejects = readFileSync(`${out}.rejects.ndjson`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { position: string; loanId: string | null; error: string });
        expect(rejects).toHaveLength(1);
        expect(rejects[0]).toMatchObject({ position: 'loans row without a loan_id', loanId: null });
        expect(rejects[0]!.error).toMatch(/loanId/);
        outputs.push(readFileSync(out, 'utf8'));
      }
      expect(outputs[1]).toBe(outputs[0]);
    });
  }
});
