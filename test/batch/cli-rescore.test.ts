import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { parseAsOf, rescoreCommand } from '../../src/cli/commands/rescore.js';
import { capture } from '../../src/cli/output.js';
import { EXIT } from '../../src/cli/command.js';
import { makeHistory } from './support/histories.js';
import { tempDir, writeNdjson } from './support/run.js';

const BIN = join(import.meta.dirname, '../../bin/ews.js');

function ews(args: string[], cwd: string) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, EWS_LOG_LEVEL: 'silent', TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (b) => (stdout += b));
  const done = new Promise<{ code: number | null; stdout: string }>((resolve) => child.on('exit', (code) => resolve({ code, stdout })));
  return { child, done };
}

describe('ews rescore', () => {
  it('exits 0 on a clean run, 3 when records were rejected; bad flags are usage errors', async () => {
    const dir = tempDir();
    const clean = writeNdjson(dir, 'clean.ndjson', Array.from({ length: 12 }, (_, i) => makeHistory(i)));
    const dirty = writeNdjson(dir, 'dirty.ndjson', [makeHistory(1), '{oops']);
    const base = ['--as-of', '2025-08-01', '--scorer', 'fixture', '--workers', '0', '--json'];
    let out = capture();
    expect(await rescoreCommand.run(['--input', clean, '--out', join(dir, 'a.csv'), ...base], out)).toBe(EXIT.ok);
    expect(JSON.parse(out.stdout[0]!).counts.scored).toBe(12);
    expect(readFileSync(join(dir, 'a.csv'), 'utf8').split('\n')[0]).toMatch(/^loan_id,as_of,/);
    out = capture();
    expect(await rescoreCommand.run(['--input', dirty, '--out', join(dir, 'b.ndjson'), ...base], out)).toBe(EXIT.partial);
    await expect(rescoreCommand.run(['--input', clean, '--out', join(dir, 'c.ndjson'), '--shard', '3/3', ...base], capture())).rejects.toThrow(/0\.\.2/);
    await expect(rescoreCommand.run(['--input', join(dir, 'missing'), '--out', join(dir, 'c.ndjson'), ...base], capture())).rejects.toThrow(/does not exist/);
    await expect(rescoreCommand.run(['--input', clean, '--out', join(dir, 'c.ndjson'), '--readers', '9', ...base], capture())).rejects.toThrow('--readers: expected an integer from 1 to 8, got "9"');
    await expect(rescoreCommand.run(['--input', clean, '--out', join(dir, 'c.ndjson'), '--readers', '0', ...base], capture())).rejects.toThrow('--readers: expected an integer >= 1, got "0"');
  });

  it('parses --as-of as an instant with offset or a UTC date', () => {
    expect(parseAsOf('2025-08-01', 0)).toBe(Date.parse('2025-08-01T00:00:00Z'));
    expect(parseAsOf('2025-08-01T08:00:00+08:00', 0)).toBe(Date.parse('2025-08-01T00:00:00Z'));
    expect(parseAsOf(undefined, 42)).toBe(42);
    expect(() => parseAsOf('2025-08-01T08:00:00', 0)).toThrow(/offset/);
  });

  it('Ctrl-C stops with exit 130 and a rerun resumes to the same output as an uninterrupted run', async () => {
    const dir = tempDir();
    writeNdjson(dir, 'in.ndjson', Array.from({ length: 4000 }, (_, i) => makeHistory(i)));
    const args = (out: string) => ['rescore', '--input', 'in.ndjson', '--out', out, '--as-of', '2025-08-01', '--scorer', 'fixture', '--workers', '1', '--chunk-size', '100'];
    expect((await ews(args('whole.ndjson'), dir).done).code).toBe(0);

    const first = ews(args('out.ndjson'), dir);
    const checkpoint = join(dir, 'out.ndjson.checkpoint.json');
    for (let i = 0; i < 400; i++) {
      if (existsSync(checkpoint) && JSON.parse(readFileSync(checkpoint, 'utf8')).nextChunk >= 2) break;
      await sleep(25);
    }
    first.child.kill('SIGINT');
    expect((await first.done).code).toBe(130);
    const stopped = JSON.parse(readFileSync(checkpoint, 'utf8'));
    expect(stopped.done).toBe(false);
    expect(stopped.nextChunk).toBeLessThan(40);

    const second = await ews(args('out.ndjson'), dir).done;
    expect(second.code).toBe(0);
    expect(readFileSync(join(dir, 'out.ndjson'), 'utf8')).toBe(readFileSync(join(dir, 'whole.ndjson'), 'utf8'));
  });
});
