import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/command.js';
import { serviceClock } from '../../src/cli/commands/serve.js';
import { latestSampleInstant } from '../../src/cli/sample-loader.js';

const lines = [
  { loanId: 'a', events: [{ at: '2025-06-01T10:00:00+08:00' }, { at: '2025-06-29T10:00:00+08:00', recordedAt: '2025-07-01T09:00:00+08:00' }] },
  { loanId: 'b', events: [{ at: '2025-06-30T20:00:00+08:00' }] },
  'not json',
];

describe('service clock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ews-clock-'));
  const file = join(dir, 'histories.ndjson.gz');
  writeFileSync(file, gzipSync(lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')));

  it('finds the latest happened-at or recorded-at instant of a gzip sample, skipping bad lines', async () => {
    expect(await latestSampleInstant(file)).toBe(Date.parse('2025-07-01T09:00:00+08:00'));
  });

  it('starts at the given instant or at the sample, and runs forward', async () => {
    const fromSample = await serviceClock('sample', file);
    expect(fromSample!()).toBeGreaterThanOrEqual(Date.parse('2025-07-01T09:00:00+08:00'));
    expect(fromSample!()).toBeLessThan(Date.parse('2025-07-01T09:10:00+08:00'));
    const fixed = await serviceClock('2024-01-01T00:00:00Z', file);
    expect(fixed!()).toBeGreaterThanOrEqual(Date.parse('2024-01-01T00:00:00Z'));
    expect(await serviceClock(undefined, file)).toBeUndefined();
  });

  it('refuses a bad instant and a sample with no events', async () => {
    await expect(serviceClock('yesterday', file)).rejects.toThrow(UsageError);
    await expect(serviceClock('sample', join(dir, 'missing.ndjson.gz'))).rejects.toThrow(/no events found/);
  });
});
