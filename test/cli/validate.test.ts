import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { capture } from '../../src/cli/output.js';
import { makeHistoryInput } from '../support/histories.js';

const dir = mkdtempSync(join(tmpdir(), 'ews-validate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ews validate', () => {
  it('reports each bad line with its number and the problem, counts the valid ones (not the blank), and fails', async () => {
    const good = JSON.stringify(makeHistoryInput({ loanId: 'V-1', due: 3 }));
    const badCurrency = JSON.stringify({ ...makeHistoryInput({ loanId: 'V-2' }), currency: 'rmb' });
    const file = join(dir, 'histories.ndjson');
    writeFileSync(file, [good, '', '{"loanId":', badCurrency, good].join('\n'));
    const out = capture();
    expect(await main(['validate', file], out)).toBe(1);
    expect(out.stderr).toEqual([expect.stringMatching(/^line 3: not JSON \(/), 'line 4: currency: expected an ISO 4217 code, e.g. CNY']);
    expect(out.stdout).toEqual(['5 lines, 2 valid, 2 invalid']);
  });

  it('passes a clean file and stops listing after --max-errors', async () => {
    const file = join(dir, 'clean.ndjson');
    writeFileSync(file, `${JSON.stringify(makeHistoryInput({ loanId: 'V-3' }))}\n`);
    expect(await main(['validate', file], capture())).toBe(0);
    const many = join(dir, 'many.ndjson');
    writeFileSync(many, Array.from({ length: 5 }, () => 'nope').join('\n'));
    const out = capture();
    expect(await main(['validate', many, '--max-errors', '2'], out)).toBe(1);
    expect(out.stderr).toHaveLength(2);
    expect(out.stdout).toEqual(['5 lines, 0 valid, 5 invalid']);
  });

  it('names a file it cannot read', async () => {
    const out = capture();
    const missing = join(dir, 'missing.ndjson');
    expect(await main(['validate', missing], out)).not.toBe(0);
    expect(out.stderr.join('\n')).toContain(`cannot read ${missing}`);
  });
});
