// jemalloc for `ews rescore`, on request (EWS_JEMALLOC=1): the launcher's child process gets it through
// LD_PRELOAD (relaunch.ts), since malloc is chosen when a process starts. DuckDB's node bindings use the
// C library's malloc, and in a rescore DuckDB reads the flat tables and writes the Parquet on the same two
// cores the workers score on. Off by default because three A/Bs by turns did not show a gain beyond the
// noise (docs/batch.md, "Twenty-third to twenty-fifth sessions"; 1M Parquet tables, 1 worker): +8 % one
// afternoon (four pairs), +0.5 % that evening (six pairs), -4 % on the next machine (four pairs), with peak
// RSS ~30-100 MB higher in the last two. Only node builtins here (the launcher loads it).
import { existsSync, readFileSync } from 'node:fs';

/** EWS_JEMALLOC=1 preloads jemalloc from where the distributions put it; EWS_JEMALLOC=/path/libjemalloc.so.2 names it; unset or 0: the C library's malloc. */
export const JEMALLOC_ENV = 'EWS_JEMALLOC';

/** Where Debian and Ubuntu (`apt-get install libjemalloc2`), Fedora and Alpine put jemalloc. */
export const JEMALLOC_PATHS: readonly string[] = [
  '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2',
  '/usr/lib/aarch64-linux-gnu/libjemalloc.so.2',
  '/usr/lib64/libjemalloc.so.2',
  '/usr/lib/libjemalloc.so.2',
];

/** Commands that run on jemalloc when EWS_JEMALLOC asks for it (measured for rescore only). */
export const JEMALLOC_COMMANDS: ReadonlySet<string> = new Set(['rescore']);

/** The jemalloc library to preload for this environment, or null (not asked for, not installed, not Linux). */
export function jemallocLibrary(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, exists: (path: string) => boolean = existsSync): string | null {
  if (platform !== 'linux') return null;
  const chosen = env[JEMALLOC_ENV];
  if (chosen === undefined || chosen === '' || chosen === '0') return null;
  if (chosen === '1') return JEMALLOC_PATHS.find((p) => exists(p)) ?? null;
  return exists(chosen) ? chosen : null;
}

/** LD_PRELOAD with `library` added, or null when a jemalloc is preloaded already. */
export function withPreload(ldPreload: string | undefined, library: string): string | null {
  const current = (ldPreload ?? '').split(/[:\s]+/).filter((p) => p !== '');
  if (current.some((p) => p.includes('libjemalloc'))) return null;
  return [...current, library].join(':');
}

/** The malloc this process runs on, from its mapped libraries (for the start log). */
export function allocatorInUse(maps: () => string = () => readFileSync('/proc/self/maps', 'utf8')): 'jemalloc' | 'system' {
  try {
    return maps().includes('libjemalloc') ? 'jemalloc' : 'system';
  } catch {
    // No /proc (not Linux): the C library's malloc, as nothing here preloads another.
    return 'system';
  }
}
