// glibc's heap-trimming threshold for the service. glibc reads it from the environment only at process
// start, so it is set outside the process: `npm start`, the Dockerfile and the service benchmark set it
// to this value (a test holds them to it). Why: docs/service.md, "glibc's heap trimming".
export const MALLOC_TRIM_THRESHOLD = '268435456';

/** A note for the log when a Linux service starts without it, else null. */
export function mallocTrimNote(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string | null {
  if (platform !== 'linux' || env.MALLOC_TRIM_THRESHOLD_ !== undefined) return null;
  return `MALLOC_TRIM_THRESHOLD_ is not set: under batch load glibc then shrinks and regrows its heap, which costs the event loop CPU (npm start and the Dockerfile set it to ${MALLOC_TRIM_THRESHOLD}; docs/service.md)`;
}
