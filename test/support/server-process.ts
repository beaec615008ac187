// Runs the real `ews serve` (dist build, as `bin/ews.js` does) in a child process, for tests that need
// a process boundary: SIGKILL durability, graceful drain, the generated admin key.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Served {
  child: ChildProcess;
  port: number;
  host: string;
  stderr(): string;
  exited: Promise<number | null>;
}

export function serveProcess(args: string[], env: Record<string, string> = {}): Promise<Served> {
  if (!existsSync('dist/cli/main.js')) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  const child = spawn(process.execPath, ['bin/ews.js', 'serve', '--port', '0', ...args], {
    env: { PATH: process.env.PATH ?? '', TZ: 'UTC', EWS_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let text = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const m = /listening on http:\/\/\[?([^\]\s]+?)\]?:(\d+)/.exec(text);
      if (m !== null) resolve({ child, host: m[1]!, port: Number(m[2]), stderr: () => text, exited });
    });
    void exited.then((code) => reject(new Error(`ews serve exited (${code}) before listening:\n${text}`)));
  });
}
