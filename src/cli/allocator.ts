// jemalloc for `ews rescore`, when the machine has it: the launcher's child process gets it through
// LD_PRELOAD (relaunch.ts), since malloc is chosen when a process starts. DuckDB's node bindings use the
// C library's malloc, and in a rescore DuckDB reads the flat tables and writes the Parquet on the same
// two cores the workers score on. The evidence is mixed (docs/batch.md, "Twenty-third to twenty-fifth
// sessions"): by turns on the 1M-loan Parquet tables, 1 worker, one afternoon gave 47,858-50,119
// loans/s against 44,042-44,577 with glibc's malloc (four pairs), that evening 36,902-42,100 against
// 34,017-42,879 (six pairs, no measurable difference). Kept because it never lost beyond the noise and
// stays under the memory bound, though its peak RSS ran up to ~60 MB higher. Only node builtins here
// (the launcher loads it).
import { existsSync, readFileSync } from 'node:fs';

/** EWS_JEMALLOC=0 keeps the C library's malloc; EWS_JEMALLOC=/path/libjemalloc.so.2 names the library. */
export const JEMALLOC_ENV = 'EWS_JEMALLOC';

/** Where Debian and Ubuntu (`apt-get install libjemalloc2`), Fedora and Alpine put jemalloc. */
export const JEMALLOC_PATHS: readonly string[] = [
  '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2',
  '/usr/lib/aarch64-linux-gnu/libjemalloc.so.2',
  '/usr/lib64/libjemalloc.so.2',
  '/usr/lib/libjemalloc.so.2',
];

/** Commands that run on jemalloc when it is there (measured for rescore only). */
export const JEMALLOC_COMMANDS: ReadonlySet<string> = new Set(['rescore']);

/** The jemalloc library to preload for this environment, or null (none installed, turned off, not Linux). */
export function jemallocLibrary(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, exists: (path: string) => boolean = existsSync): string | null {
  if (platform !== 'linux') return null;
  const chosen = env[JEMALLOC_ENV];
  if (chosen === '0') return null;
  if (chosen !== undefined && chosen !== '') return exists(chosen) ? chosen : null;
  return JEMALLOC_PATHS.find((p) => exists(p)) ?? null;
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
