// The event loop's garbage collections into the metrics, as node reports them (perf_hooks 'gc' entries).
import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import type { Metrics } from './metrics.js';

const KINDS = new Map<number, string>([
  [constants.NODE_PERFORMANCE_GC_MAJOR, 'major'],
  [constants.NODE_PERFORMANCE_GC_MINOR, 'minor'],
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL, 'incremental'],
  [constants.NODE_PERFORMANCE_GC_WEAKCB, 'weakcb'],
]);

/** Observes this thread's collections into metrics.gc until the returned function is called. */
export function observeGc(metrics: Metrics): () => void {
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const detail = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail;
      const kind = KINDS.get(detail?.kind ?? -1) ?? 'other';
      metrics.gc.observe({ kind }, entry.duration / 1000);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => observer.disconnect();
}
