import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { capture } from '../../src/cli/output.js';
import { historyToRows } from '../../src/domain/history/flat.js';
import { mustParseHistory } from '../../src/domain/history/validate.js';

let root: string;
const args = (out: string, ...extra: string[]) => ['generate', '--loans', '150', '--seed', '7', '--months', '12', '--paths', '4', '--out', out, ...extra];
const files = async (dir: string): Promise<string[]> => (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ews-generate-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('ews generate', () => {
  it('writes byte-identical files for the same seed (NDJSON, CSV, Parquet)', async () => {
    const outA = capture();
    expect(await main(args(join(root, 'a')), outA)).toBe(0);
    expect(await main(args(join(root, 'b')), capture())).toBe(0);
    const names = await files(join(root, 'a'));
    expect(names).toEqual(['ground-truth.ndjson', 'histories.ndjson', 'summary.json', 'tables/events.csv', 'tables/events.parquet', 'tables/loans.csv', 'tables/loans.parquet', 'tables/schedule.csv', 'tables/schedule.parquet']);
    for (const name of names) expect(Buffer.compare(await readFile(join(root, 'a', name)), await readFile(join(root, 'b', name))), name).toBe(0);
    const printed = outA.stdout.join('\n');
    expect(printed).toMatch(/loans\s+150/);
    expect(printed).toMatch(/ever 30\+ DPD\s+\d+\.\d%/);
    expect(printed).toContain('roll rates');
    expect(printed).toContain('construction');
  });

  it('a different seed gives different loans', async () => {
    const other = args(join(root, 'c'));
    other[other.indexOf('--seed') + 1] = '8';
    expect(await main(other, capture())).toBe(0);
    const a = await readFile(join(root, 'a', 'histories.ndjson'), 'utf8');
    const c = await readFile(join(root, 'c', 'histories.ndjson'), 'utf8');
    expect(a).not.toBe(c);
  });

  it('tables hold the same data as the histories (DuckDB as the oracle)', async () => {
    const dir = join(root, 'a');
    const histories = (await readFile(join(dir, 'histories.ndjson'), 'utf8')).trim().split('\n').map((l) => mustParseHistory(JSON.parse(l)));
    const events = histories.reduce((n, h) => n + h.events.length, 0);
    const referrals = histories.filter((h) => h.events.some((e) => e.type === 'legal_referral')).length;
    for (const ext of ['csv', 'parquet']) {
      const [counts] = await query(
        `SELECT (SELECT count(*) FROM '${dir}/tables/loans.${ext}') AS loans, (SELECT count(*) FROM '${dir}/tables/events.${ext}') AS events, (SELECT count(*) FROM '${dir}/tables/schedule.${ext}') AS schedule, (SELECT count(*) FROM '${dir}/tables/events.${ext}' WHERE type = 'legal_referral') AS referrals`,
      );
      expect(counts).toEqual({ loans: '150', events: String(events), schedule: String(histories.reduce((n, h) => n + h.schedule.length, 0)), referrals: String(referrals) });
    }
    // Types survive: epoch ms are BIGINT, dates are DATE, booleans are BOOLEAN.
    const types = await query(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '${dir}/tables/events.parquet') WHERE column_name IN ('at_ms', 'amount')`);
    expect(types).toEqual([{ column_name: 'at_ms', column_type: 'BIGINT' }, { column_name: 'amount', column_type: 'DOUBLE' }]);
    const [first] = await query(`SELECT * FROM '${dir}/tables/loans.parquet' ORDER BY loan_id LIMIT 1`);
    const expected = historyToRows(histories[0]!).loan;
    expect(first).toMatchObject({ loan_id: expected.loan_id, origination_date: expected.origination_date, migrant: expected.migrant, principal: expected.principal });
  });

  it('gzips on request and can skip the ground truth', async () => {
    const dir = join(root, 'z');
    expect(await main(args(dir, '--gzip', '--no-ground-truth'), capture())).toBe(0);
    const names = await files(dir);
    expect(names).not.toContain('ground-truth.ndjson.gz');
    expect(names).toContain('tables/events.csv.gz');
    const plain = await readFile(join(root, 'a', 'histories.ndjson'), 'utf8');
    expect(gunzipSync(await readFile(join(dir, 'histories.ndjson.gz'))).toString('utf8')).toBe(plain);
  });

  it('rejects bad flags with a usage error naming the flag', async () => {
    const out = capture();
    expect(await main(['generate', '--loans', 'ten', '--out', join(root, 'x')], out)).toBe(2);
    expect(out.stderr.join('\n')).toContain('--loans: expected an integer >= 1, got "ten"');
    const out2 = capture();
    expect(await main(['generate', '--loans', '5', '--start', '2024-13-45', '--out', join(root, 'x')], out2)).toBe(2);
    expect(out2.stderr.join('\n')).toContain('--start: expected a date as YYYY-MM-DD');
  });
});
