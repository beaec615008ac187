// One pass of a workload timed by the CPU it used (all threads: GC helpers included) and the main
// thread's GC pauses inside it, for benchmarks that compare variants interleaved in one process.
import { PerformanceObserver } from 'node:perf_hooks';

export interface TimedPass<T> {
  readonly result: T;
  /** CPU µs of the whole process during the pass. */
  readonly cpuMicros: number;
  /** Milliseconds of GC pauses that started during the pass. */
  readonly gcMs: number;
}

/** Starts watching GC pauses; the returned function runs and times one pass. */
export function passTimer(): <T>(pass: () => Promise<T>) => Promise<TimedPass<T>> {
  const pauses: Array<{ at: number; ms: number }> = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push({ at: e.startTime, ms: e.duration });
  }).observe({ entryTypes: ['gc'] });
  return async (pass) => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const result = await pass();
    const c = process.cpuUsage(c0);
    const t1 = performance.now();
    // GC entries arrive after the pass: give the observer a turn, then count the pauses inside it.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const gcMs = pauses.filter((p) => p.at >= t0 && p.at <= t1).reduce((s, p) => s + p.ms, 0);
    return { result, cpuMicros: c.user + c.system, gcMs };
  };
}
