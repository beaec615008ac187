// Options for node itself that some commands run best with, and the relaunch that applies them. V8 reads
// its garbage collector's threading once, at start (v8.setFlagsFromString('--single-threaded-gc') later
// aborted the process in a major GC), and the C library reads LD_PRELOAD only when a process starts, so
// `bin/ews.js` starts such a command again as a child process with the options added (and rescore with
// jemalloc preloaded when EWS_JEMALLOC asks: allocator.ts), unless they are there already. Only node builtins here: the launcher loads this
// before the CLI, and the parent that waits for its child should not pay for DuckDB or the model.
//
// Why --single-threaded-gc for `rescore` and `backtest`: their worker threads keep the two cores busy, and
// the work V8's helper threads did for parallel scavenges and concurrent marking mostly did not reappear
// on the workers once the flag moved it there. On the 1M-loan Parquet portfolio, 2 workers, by turns, V8's
// helpers used 10.4-12.3 µs of CPU an input loan with them and 5.3-5.7 without, the workers at most 3.4
// more, and a run's CPU was 0.83-1.03x, median 0.92 over 13 pairs (docs/batch.md,
// "Twenty-first session"); the 20,000-loan backtest with 2 workers took 0.78-0.83x the CPU, the same
// results (docs/rules.md). The service's batch route measured no gain (bench/service-gc.ts): it is not
// relaunched.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { JEMALLOC_COMMANDS, jemallocLibrary, withPreload } from './allocator.js';

export const SINGLE_THREADED_GC = '--single-threaded-gc';

/** Node options by command. */
export const NODE_OPTIONS_BY_COMMAND: Readonly<Record<string, readonly string[]>> = {
  rescore: [SINGLE_THREADED_GC],
  backtest: [SINGLE_THREADED_GC],
};

/** Set in the child's environment: it is the relaunched process (and watches for its parent). */
export const RELAUNCHED_ENV = 'EWS_RELAUNCHED';
/** EWS_RELAUNCH=0 runs every command in the process it was started in. */
export const RELAUNCH_ENV = 'EWS_RELAUNCH';

/** How to start a command again: node options to add, and LD_PRELOAD's new value (null: unchanged). */
export interface RelaunchPlan {
  readonly options: readonly string[];
  readonly ldPreload: string | null;
}

/** How to relaunch this command, or null: run here (also under --inspect). */
export function relaunchPlan(argv: readonly string[], execArgv: readonly string[], env: NodeJS.ProcessEnv, platform: NodeJS.Platform, exists: (path: string) => boolean = existsSync): RelaunchPlan | null {
  // Windows has no signals to forward; the child would be left running on Ctrl-C.
  if (platform === 'win32' || env[RELAUNCH_ENV] === '0' || env[RELAUNCHED_ENV] === '1') return null;
  // Under a debugger, run what was started: the child would find the inspector's port taken.
  if (execArgv.some((o) => o.startsWith('--inspect'))) return null;
  const command = argv[0];
  if (command === undefined || !Object.hasOwn(NODE_OPTIONS_BY_COMMAND, command)) return null;
  const options = NODE_OPTIONS_BY_COMMAND[command]!.filter((o) => !execArgv.includes(o));
  const library = JEMALLOC_COMMANDS.has(command) ? jemallocLibrary(env, platform, exists) : null;
  const ldPreload = library === null ? null : withPreload(env['LD_PRELOAD'], library);
  return options.length === 0 && ldPreload === null ? null : { options, ldPreload };
}

/**
 * Signals the parent passes on, each exactly once: the child has its own session, so a terminal's Ctrl-C
 * reaches the parent only. SIGCONT continues a child stopped with the launcher (`fg`, `bg`; see SIGTSTP below).
 */
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGCONT'] as const;

/**
 * Runs `script argv` again under node with the plan's options and LD_PRELOAD, stdio shared, and resolves with its exit code
 * (128 + n for a child killed by signal n). The child gets a channel to this process: when this process
 * dies, even by SIGKILL, the channel closes and the child stops as on SIGTERM (watchParent).
 */
export function relaunch(script: string, argv: readonly string[], plan: RelaunchPlan): Promise<number> {
  const child: ChildProcess = spawn(process.execPath, [...process.execArgv, ...plan.options, script, ...argv], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [RELAUNCHED_ENV]: '1', ...(plan.ldPreload === null ? {} : { LD_PRELOAD: plan.ldPreload }) },
    // Its own session: a terminal's Ctrl-C goes to this process, which forwards it once (a shared
    // process group would deliver it twice, and the second Ctrl-C means "quit now" to rescore).
    detached: true,
  });
  const forward = (signal: NodeJS.Signals) => () => {
    child.kill(signal);
  };
  // Job control: the terminal's Ctrl-Z stops the launcher only, so the child is stopped with it.
  const stop = () => {
    child.kill('SIGSTOP');
    process.kill(process.pid, 'SIGSTOP');
  };
  const handlers: (readonly [NodeJS.Signals, () => void])[] = [...FORWARDED.map((s) => [s, forward(s)] as const), ['SIGTSTP', stop]];
  for (const [s, h] of handlers) process.on(s, h);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      for (const [s, h] of handlers) process.off(s, h);
      resolve(code ?? 128 + (signal === null ? 0 : (constants.signals[signal] ?? 0)));
    });
  });
}

/**
 * In a relaunched child: stop as on SIGTERM when the parent is gone (its channel closes), and never let
 * the channel alone keep the process running.
 */
export function watchParent(env: NodeJS.ProcessEnv = process.env): void {
  if (env[RELAUNCHED_ENV] !== '1' || process.channel === undefined) return;
  process.channel.unref();
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}

/** How V8 collects garbage in this process, for the start log. */
export function gcMode(execArgv: readonly string[] = process.execArgv): 'single-threaded' | 'parallel' {
  return execArgv.includes(SINGLE_THREADED_GC) ? 'single-threaded' : 'parallel';
}
