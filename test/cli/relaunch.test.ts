import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { allocatorInUse, JEMALLOC_ENV, JEMALLOC_PATHS, jemallocLibrary, withPreload } from '../../src/cli/allocator.js';
import { gcMode, NODE_OPTIONS_BY_COMMAND, RELAUNCH_ENV, RELAUNCHED_ENV, relaunchPlan } from '../../src/cli/relaunch.js';
import { makeHistory } from '../batch/support/histories.js';
import { tempDir, writeNdjson } from '../batch/support/run.js';

const BIN = join(import.meta.dirname, '../../bin/ews.js');

function ews(args: string[], cwd: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, EWS_LOG_LEVEL: 'info', TZ: 'UTC', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b) => (stderr += b));
  child.stdout.resume();
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, done, stderr: () => stderr };
}

/** The "rescore starting" log line's fields, once it is there. */
async function startLine(stderr: () => string): Promise<{ pid: number; gc: string; allocator: string }> {
  for (let i = 0; i < 400; i++) {
    const line = stderr()
      .split('\n')
      .find((l) => l.includes('"rescore starting"'));
    if (line !== undefined) return JSON.parse(line) as { pid: number; gc: string; allocator: string };
    await sleep(25);
  }
  throw new Error(`no start line in: ${stderr()}`);
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('relaunchPlan', () => {
  const linux = 'linux' as const;
  const none = () => false;
  const DEBIAN = JEMALLOC_PATHS[0]!;
  const debian = (p: string) => p === DEBIAN;
  const options = (argv: string[], execArgv: string[] = [], env: NodeJS.ProcessEnv = {}, platform: NodeJS.Platform = linux) => relaunchPlan(argv, execArgv, env, platform, none)?.options ?? null;

  it('adds the options rescore and backtest run with, and only those not given already', () => {
    expect(options(['rescore', '--input', 'x'])).toEqual(NODE_OPTIONS_BY_COMMAND['rescore']);
    expect(options(['backtest', '--histories', 'x'])).toEqual(['--single-threaded-gc']);
    expect(options(['rescore'], ['--single-threaded-gc'])).toBeNull();
    expect(options(['rescore'], ['--max-old-space-size=4096'])).toEqual(['--single-threaded-gc']);
  });

  it('leaves every other command, a relaunched child, EWS_RELAUNCH=0, Windows and a debugged process where they are', () => {
    for (const argv of [[], ['serve'], ['generate', '--loans', '10'], ['--help'], ['constructor'], ['toString']]) expect(relaunchPlan(argv, [], {}, linux, debian)).toBeNull();
    expect(relaunchPlan(['rescore'], [], { [RELAUNCHED_ENV]: '1' }, linux, debian)).toBeNull();
    expect(relaunchPlan(['rescore'], [], { [RELAUNCH_ENV]: '0' }, linux, debian)).toBeNull();
    expect(options(['rescore'], [], { [RELAUNCH_ENV]: '1' })).toEqual(['--single-threaded-gc']);
    expect(relaunchPlan(['rescore'], [], {}, 'win32', debian)).toBeNull();
    expect(relaunchPlan(['rescore'], ['--inspect-brk=0'], {}, linux, debian)).toBeNull();
  });

  it('preloads jemalloc for rescore when EWS_JEMALLOC asks and it is installed, keeping what LD_PRELOAD held, and not for backtest', () => {
    const on = { [JEMALLOC_ENV]: '1' };
    expect(relaunchPlan(['rescore'], [], {}, linux, debian)).toEqual({ options: ['--single-threaded-gc'], ldPreload: null });
    expect(relaunchPlan(['rescore'], [], on, linux, debian)).toEqual({ options: ['--single-threaded-gc'], ldPreload: DEBIAN });
    expect(relaunchPlan(['rescore'], [], on, linux, none)).toEqual({ options: ['--single-threaded-gc'], ldPreload: null });
    expect(relaunchPlan(['rescore'], [], { ...on, LD_PRELOAD: '/opt/a.so' }, linux, debian)?.ldPreload).toBe(`/opt/a.so:${DEBIAN}`);
    // The node options given already: relaunched for the allocator alone, and not at all when it is preloaded or not asked for.
    expect(relaunchPlan(['rescore'], ['--single-threaded-gc'], on, linux, debian)).toEqual({ options: [], ldPreload: DEBIAN });
    expect(relaunchPlan(['rescore'], ['--single-threaded-gc'], { ...on, LD_PRELOAD: '/usr/local/lib/libjemalloc.so' }, linux, debian)).toBeNull();
    expect(relaunchPlan(['rescore'], ['--single-threaded-gc'], {}, linux, debian)).toBeNull();
    expect(relaunchPlan(['backtest'], [], on, linux, debian)).toEqual({ options: ['--single-threaded-gc'], ldPreload: null });
  });

  it('finds jemalloc where the distributions put it (EWS_JEMALLOC=1) or where EWS_JEMALLOC says; unset or 0: none', () => {
    const fedora = JEMALLOC_PATHS.find((p) => p.startsWith('/usr/lib64/'))!;
    expect(jemallocLibrary({ [JEMALLOC_ENV]: '1' }, linux, (p) => p === fedora)).toBe(fedora);
    expect(jemallocLibrary({ [JEMALLOC_ENV]: '1' }, linux, none)).toBeNull();
    expect(jemallocLibrary({}, linux, debian)).toBeNull();
    expect(jemallocLibrary({ [JEMALLOC_ENV]: '' }, linux, debian)).toBeNull();
    expect(jemallocLibrary({ [JEMALLOC_ENV]: '0' }, linux, debian)).toBeNull();
    expect(jemallocLibrary({ [JEMALLOC_ENV]: '/opt/je/libjemalloc.so' }, linux, (p) => p === '/opt/je/libjemalloc.so')).toBe('/opt/je/libjemalloc.so');
    // A named library that is not there: none (ld.so would only warn and go on without it).
    expect(jemallocLibrary({ [JEMALLOC_ENV]: '/opt/missing.so' }, linux, debian)).toBeNull();
    expect(jemallocLibrary({ [JEMALLOC_ENV]: '1' }, 'darwin', debian)).toBeNull();
    expect(withPreload(' /a.so  /b.so ', '/j.so')).toBe('/a.so:/b.so:/j.so');
    expect(withPreload('', '/j.so')).toBe('/j.so');
  });

  it('names the collector and the allocator', () => {
    expect(gcMode(['--single-threaded-gc'])).toBe('single-threaded');
    expect(gcMode(['--inspect'])).toBe('parallel');
    expect(allocatorInUse(() => '7f00-7f01 r-xp 00000000 08:01 42 /usr/lib/x86_64-linux-gnu/libjemalloc.so.2\n')).toBe('jemalloc');
    expect(allocatorInUse(() => '7f00-7f01 r-xp 00000000 08:01 42 /usr/lib/x86_64-linux-gnu/libc.so.6\n')).toBe('system');
    expect(
      allocatorInUse(() => {
        throw new Error('ENOENT');
      }),
    ).toBe('system');
  });
});

describe('bin/ews.js rescore and backtest, relaunched', () => {
  const args = (out: string) => ['rescore', '--input', 'in.ndjson', '--out', out, '--as-of', '2025-08-01', '--scorer', 'fixture', '--workers', '1', '--chunk-size', '100'];

  it('runs in a child with a single-threaded collector (on jemalloc with EWS_JEMALLOC=1 when installed), or as started with EWS_RELAUNCH=0; the exit code passes through', async () => {
    const dir = tempDir();
    writeNdjson(dir, 'in.ndjson', [...Array.from({ length: 30 }, (_, i) => makeHistory(i)), { not: 'a history' }]);
    const relaunched = ews(args('a.ndjson'), dir, { [JEMALLOC_ENV]: '', LD_PRELOAD: '' });
    const line = await startLine(relaunched.stderr);
    // 3: a record was rejected (EXIT.partial), as from the process itself.
    expect((await relaunched.done).code).toBe(3);
    expect(line).toMatchObject({ gc: 'single-threaded', allocator: 'system' });
    expect(line.pid).not.toBe(relaunched.child.pid);

    const direct = ews(args('b.ndjson'), dir, { [RELAUNCH_ENV]: '0', LD_PRELOAD: '' });
    const directLine = await startLine(direct.stderr);
    expect((await direct.done).code).toBe(3);
    expect(directLine).toMatchObject({ gc: 'parallel', allocator: 'system', pid: direct.child.pid });
    expect(readFileSync(join(dir, 'a.ndjson'), 'utf8')).toBe(readFileSync(join(dir, 'b.ndjson'), 'utf8'));

    const asked = ews(args('c.ndjson'), dir, { [JEMALLOC_ENV]: '1', LD_PRELOAD: '' });
    // .ci/run installs Debian's libjemalloc2; a machine without it runs on the C library's malloc.
    const installed = jemallocLibrary({ [JEMALLOC_ENV]: '1' }, process.platform) !== null;
    expect(await startLine(asked.stderr)).toMatchObject({ gc: 'single-threaded', allocator: installed ? 'jemalloc' : 'system' });
    expect((await asked.done).code).toBe(3);
    expect(readFileSync(join(dir, 'c.ndjson'), 'utf8')).toBe(readFileSync(join(dir, 'a.ndjson'), 'utf8'));
  });

  it('backtest gives the same report relaunched as run where started', async () => {
    const dir = tempDir();
    writeNdjson(dir, 'h.ndjson', Array.from({ length: 12 }, (_, i) => makeHistory(i)));
    const run = (env: Record<string, string>) =>
      new Promise<{ code: number | null; stdout: string }>((resolve) => {
        // From the repository: the bundled model is found at models/default.
        const child = spawn(process.execPath, [BIN, 'backtest', '--histories', join(dir, 'h.ndjson'), '--json', '--from', '2025-03-01', '--to', '2025-06-30'], { cwd: join(import.meta.dirname, '../..'), env: { ...process.env, EWS_LOG_LEVEL: 'silent', TZ: 'UTC', ...env }, stdio: ['ignore', 'pipe', 'ignore'] });
        let stdout = '';
        child.stdout.on('data', (b) => (stdout += b));
        child.on('exit', (code) => resolve({ code, stdout }));
      });
    const [relaunched, direct] = [await run({}), await run({ [RELAUNCH_ENV]: '0' })];
    expect(relaunched.code).toBe(0);
    expect(direct.code).toBe(0);
    const report = (text: string) => ({ ...(JSON.parse(text) as Record<string, unknown>), seconds: 0 });
    expect(report(relaunched.stdout)).toEqual(report(direct.stdout));
    expect(report(direct.stdout)).toMatchObject({ loans: 12 });
  });

  it('a stopped launcher (Ctrl-Z) stops its child, and continues it when continued', async () => {
    const dir = tempDir();
    // Enough records that the run is still going when the stop comes (~3 s).
    writeNdjson(dir, 'in.ndjson', Array.from({ length: 8000 }, (_, i) => makeHistory(i)));
    const run = ews(args('out.ndjson'), dir);
    const { pid } = await startLine(run.stderr);
    // /proc/<pid>/stat's third field: T when stopped.
    const state = (p: number) => readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ')[0];
    const waitFor = async (p: number, want: (s: string | undefined) => boolean) => {
      for (let i = 0; i < 200 && !want(state(p)); i++) await sleep(10);
      return state(p);
    };
    run.child.kill('SIGTSTP');
    expect(await waitFor(pid, (s) => s === 'T')).toBe('T');
    expect(await waitFor(run.child.pid!, (s) => s === 'T')).toBe('T');
    run.child.kill('SIGCONT');
    expect(await waitFor(pid, (s) => s !== 'T')).not.toBe('T');
    expect((await run.done).code).toBe(0);
  });

  it('a killed launcher stops its child at a chunk boundary, and a rerun resumes to the same output', async () => {
    const dir = tempDir();
    writeNdjson(dir, 'in.ndjson', Array.from({ length: 4000 }, (_, i) => makeHistory(i)));
    expect((await ews(args('whole.ndjson'), dir).done).code).toBe(0);

    const first = ews(args('out.ndjson'), dir);
    const { pid } = await startLine(first.stderr);
    const checkpoint = join(dir, 'out.ndjson.checkpoint.json');
    for (let i = 0; i < 400; i++) {
      if (existsSync(checkpoint) && JSON.parse(readFileSync(checkpoint, 'utf8')).nextChunk >= 2) break;
      await sleep(25);
    }
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    for (let i = 0; i < 400 && alive(pid); i++) await sleep(25);
    expect(alive(pid)).toBe(false);
    const stopped = JSON.parse(readFileSync(checkpoint, 'utf8'));
    expect(stopped.done).toBe(false);
    expect(stopped.nextChunk).toBeLessThan(40);

    expect((await ews(args('out.ndjson'), dir).done).code).toBe(0);
    expect(readFileSync(join(dir, 'out.ndjson'), 'utf8')).toBe(readFileSync(join(dir, 'whole.ndjson'), 'utf8'));
  });
});
