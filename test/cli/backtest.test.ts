import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeBacktestCommand } from '../../src/cli/commands/backtest.js';
import { EXIT } from '../../src/cli/command.js';
import { capture } from '../../src/cli/output.js';
import { EMPTY_FEATURE_CONFIG, featureSetVersion } from '../../src/domain/features/index.js';
import { loan, pay } from '../support/rules-history.js';
import { logisticModel } from '../support/tiny-model.js';

const dir = mkdtempSync(join(tmpdir(), 'ews-backtest-'));
const monthly = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => {
  const m = from + i;
  return pay(`${2025 + Math.floor((m - 1) / 12)}-${String(((m - 1) % 12) + 1).padStart(2, '0')}-01T09:00:00+08:00`);
});
const A = { ...loan({ events: [pay('2025-02-01T09:00:00+08:00'), { id: 'ref', type: 'legal_referral', at: '2025-06-15T10:00:00+08:00', reason: 'max_overdue' }] }), loanId: 'A' };
const B = { ...loan({ events: monthly(2, 13) }), loanId: 'B' };
const C = { ...loan({ events: [pay('2025-02-01T09:00:00+08:00'), pay('2025-04-15T09:00:00+08:00', 1500), ...monthly(6, 13)] }), loanId: 'C' };
const file = join(dir, 'histories.ndjson');
writeFileSync(file, [JSON.stringify(A), JSON.stringify(B), '{"loanId": "broken"', JSON.stringify(C), ''].join('\n'));

// PD = sigmoid(-4 + 0.1 dpd) over the real feature engine: band "high" from DPD 34.
const command = makeBacktestCommand({
  defaultModelDir: () => 'unused',
  loadModel: async () => ({ model: logisticModel(['dpd'], [0.1], -4, featureSetVersion()), featureConfig: EMPTY_FEATURE_CONFIG }),
});

describe('ews backtest', () => {
  it('prints one JSON object with the figures for the policy and the naive policy, and skips a bad record', async () => {
    const out = capture();
    const code = await command.run(['--histories', file, '--json', '--from', '2025-01-01', '--to', '2025-12-31'], out);
    expect(code).toBe(EXIT.partial);
    expect(out.stderr.join('\n')).toMatch(/^line 3: /);
    const report = JSON.parse(out.stdout[0]!);
    expect(report).toMatchObject({ loans: 3, badRecords: 1, referrals: 1, flaggedAhead30Share: 1, medianLeadDays: 72, alerts: 2, alertPrecision: 0.5, activeLoanDays: 895 });
    expect(report.alertsPer1000LoanDays).toBeCloseTo(2000 / 895, 10);
    expect(report.naive).toMatchObject({ flaggedAhead30Share: 1, medianLeadDays: 76, alertPrecision: 0.5, alertsPer1000LoanDays: expect.any(Number) });
    expect(report.versions).toMatchObject({ ruleSet: expect.stringMatching(/^rules-/), policy: expect.stringMatching(/^policy-/) });
  });

  it('reads gzipped NDJSON', async () => {
    const gz = join(dir, 'histories.ndjson.gz');
    writeFileSync(gz, gzipSync(readFileSync(file)));
    const out = capture();
    await command.run(['--histories', gz, '--json', '--from', '2025-01-01', '--to', '2025-12-31'], out);
    expect(JSON.parse(out.stdout[0]!)).toMatchObject({ loans: 3, badRecords: 1, medianLeadDays: 72 });
  });

  it('prints a readable table by default', async () => {
    const out = capture();
    await command.run(['--histories', file, '--from', '2025-01-01', '--to', '2025-12-31'], out);
    const text = out.stdout.join('\n');
    expect(text).toContain('naive: DPD >= 30');
    expect(text).toContain('band at alert');
    expect(text).toMatch(/model \+ rules\s+1\s+100\.0%\s+72\.0\s+2\s+50\.0%/);
  });

  it('fails naming the file and the rule when the rule set is bad', async () => {
    const bad = join(dir, 'bad-rules.json');
    writeFileSync(bad, JSON.stringify({ version: 'x', rules: [{ id: 'oops', en: 'e', zh: 'z', severity: 10, step: 'reminder', when: { fact: 'dpd', op: '>>', value: 1 } }] }));
    await expect(command.run(['--histories', file, '--rules', bad], capture())).rejects.toThrow(`${bad}: rules[0] (oops).when.op`);
  });

  it('rejects bad flags as usage errors', async () => {
    await expect(command.run(['--histories', file, '--from', '01/02/2025'], capture())).rejects.toThrow(/--from: expected a date/);
    await expect(command.run([], capture())).rejects.toThrow(/--histories/);
  });
});
