// `ews serve` in a child process for the HTTP benchmarks: floor routes on, the rate limiter running as
// in production but with a limit never reached, the overload guard off, an admin key, glibc's heap
// trimming threshold as `npm start` and the Dockerfile set it; resolves with the port it listens on.
import { spawn, type ChildProcess } from 'node:child_process';
import { MALLOC_TRIM_THRESHOLD } from '../../src/cli/malloc-trim.js';

export const BENCH_KEY = 'bench-admin-key';

/** nodeArgs: options for node itself, e.g. ['--cpu-prof'] for a profile of the server. */
export async function startServer(db: string, env: Record<string, string> = {}, nodeArgs: readonly string[] = []): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [...nodeArgs, 'bin/ews.js', 'serve', '--db', db, '--no-sample', '--port', '0'], {
    env: { ...process.env, TZ: 'UTC', EWS_API_KEYS: `${BENCH_KEY}=admin`, EWS_BENCH_FLOOR: '1', EWS_LOG_LEVEL: 'warn', EWS_RATE_LIMIT: '1000000000', EWS_MAX_EVENT_LOOP_DELAY_MS: '0', MALLOC_TRIM_THRESHOLD_: MALLOC_TRIM_THRESHOLD, ...env },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let text = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(text);
      if (m !== null) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${text}`)));
  });
  return { child, port };
}
