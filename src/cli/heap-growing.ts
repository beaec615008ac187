// V8's old-generation growing factor for the service process. With V8's own factor the event loop's
// heap fell into a spiral under batch load: after a major GC the next limit was set so close above the
// live size (25 MB live, 16-42 MB of room) that V8 started marking again at once, 2-4 major GCs a
// second: the event loop and V8's helper threads used 16.3 µs of CPU a batch loan in a benchmark run
// without the factor, 6.7-8.7 with it (docs/service.md, "A major-GC spiral on the event loop"). V8 reads the flag each time it sets a limit, so it can be set
// at run time; it applies to every isolate of the process, the score workers included.
import { setFlagsFromString } from 'node:v8';

/** Sets V8's heap growing percent (0: leaves V8's own); the line to log, or null. */
export function applyHeapGrowingPercent(percent: number): string | null {
  if (!Number.isInteger(percent) || percent < 0) throw new Error(`heap growing percent must be a whole number >= 0, got ${percent}`);
  if (percent === 0) return null;
  setFlagsFromString(`--heap-growing-percent=${percent}`);
  return `V8 heap growing factor set to ${1 + percent / 100} (EWS_HEAP_GROWING_PERCENT=${percent}; 0 leaves V8's own)`;
}
