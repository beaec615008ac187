import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importUciTaiwan, parseTaiwanLine, taiwanRowToSnapshot, TAIWAN_COLUMNS } from '../../src/batch/import-uci-taiwan.js';
import { parseSnapshot } from '../../src/domain/history/validate.js';
import { sharedFile } from '../support/shared-data.js';

const CSV = sharedFile('data/uci-taiwan/UCI_Credit_Card.csv');
const HEADER = TAIWAN_COLUMNS.map((c) => `"${c}"`).join(',');
const ROW_1 = '1,20000,2,2,1,24,2,2,-1,-1,-2,-2,3913,3102,689,0,0,0,0,689,0,0,0,0,1';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ews-tw-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('UCI Taiwan import', () => {
  it('maps a row to a revolving account with statements, payments, attributes and the label', () => {
    const header = TAIWAN_COLUMNS.slice();
    const parsed = parseSnapshot(taiwanRowToSnapshot(parseTaiwanLine(header, ROW_1)));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const s = parsed.value;
    expect(s.label).toBe(1);
    expect(s.asOf).toBe('2005-09-30T23:59:59+08:00');
    expect(s.history.timeZone).toBe('Asia/Taipei');
    expect(s.history.currency).toBe('TWD');
    expect(s.history.contract.kind).toBe('revolving');
    expect(s.history.contract.creditLimit).toBe(20000);
    expect(s.history.borrower.attributes).toEqual({ LIMIT_BAL: 20000, AGE: 24, SEX: '2', EDUCATION: '2', MARRIAGE: '1' });
    const statements = s.history.events.filter((e) => e.type === 'statement');
    expect(statements.map((e) => e.at.slice(0, 7))).toEqual(['2005-04', '2005-05', '2005-06', '2005-07', '2005-08', '2005-09']);
    // September: PAY_0 = 2 -> two months late, balance BILL_AMT1
    expect(statements[5]).toMatchObject({ balance: 3913, monthsLate: 2, reportedDpd: 60, status: 'delinquent' });
    expect(statements[0]).toMatchObject({ status: 'no_balance', monthsLate: 0 });
    expect(statements[3]).toMatchObject({ status: 'paid_in_full', balance: 689 });
    const payments = s.history.events.filter((e) => e.type === 'payment');
    expect(payments).toEqual([expect.objectContaining({ id: 'pay-2005-08', amount: 689 })]);
    for (const e of s.history.events) expect(Date.parse(e.at)).toBeLessThan(Date.parse(s.asOf));
  });

  it('reports a bad row by line and column, skips it, and goes on', async () => {
    const csv = join(dir, 'bad.csv');
    const out = join(dir, 'bad.ndjson');
    await writeFile(csv, [HEADER, ROW_1, ROW_1.replace('20000,2,2', 'abc,2,2'), ROW_1.replace(/^1,/, '3,').replace(',24,', ',7,')].join('\n'));
    const summary = await importUciTaiwan(csv, out);
    expect(summary.rows).toBe(3);
    expect(summary.written).toBe(1);
    expect(summary.problems).toEqual([
      { line: 3, message: 'LIMIT_BAL: expected a number, got "abc"' },
      { line: 4, message: expect.stringMatching(/history\.borrower\.age/) },
    ]);
  });

  it('refuses a file that is not the UCI table', async () => {
    const csv = join(dir, 'other.csv');
    await writeFile(csv, 'a,b\n1,2\n');
    await expect(importUciTaiwan(csv, join(dir, 'x.ndjson'))).rejects.toThrow(/missing column\(s\) ID, LIMIT_BAL/);
  });

  it('imports the real file: 30,000 valid snapshots, 6,636 positive', async () => {
    const out = join(dir, 'all.ndjson');
    const summary = await importUciTaiwan(CSV, out);
    expect(summary).toMatchObject({ rows: 30000, written: 30000, positives: 6636, problems: [] });
    let n = 0, positives = 0;
    for await (const line of createInterface({ input: createReadStream(out) })) {
      const s = JSON.parse(line) as { label: number };
      n++;
      positives += s.label;
    }
    expect([n, positives]).toEqual([30000, 6636]);
  });
});
