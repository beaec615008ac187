// The service sets V8's heap growing factor at run time (src/cli/heap-growing.ts). The flag must take
// effect after V8 has started, or the event loop's major-GC spiral comes back (docs/service.md): a child
// process sets it through the module, as `ews serve` does, and V8's own trace shows the limit it then
// sets after a full collection.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { applyHeapGrowingPercent } from '../../src/cli/heap-growing.js';

const moduleUrl = new URL('../../dist/cli/heap-growing.js', import.meta.url).href;

/** The old-generation limit (MB) V8 sets after a full GC of ~20 MB live, with the percent set at run time. */
function limitAfterGc(percent: number): number {
  const script = `
    const { applyHeapGrowingPercent } = await import(${JSON.stringify(moduleUrl)});
    applyHeapGrowingPercent(${percent});
    const keep = [];
    for (let i = 0; i < 20; i++) keep.push(new Array(125_000).fill(i));
    globalThis.gc();
    for (let i = 0; i < 400; i++) keep.push(new Array(125_000).fill(i));`;
  const trace = execFileSync(process.execPath, ['--expose-gc', '--trace-incremental-marking', '--input-type=module', '-e', script], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const start = /\[IncrementalMarking\] Start \([^)]*\): \(size\/limit\/slack\) v8: (\d+)MB \/ (\d+)MB/.exec(trace);
  if (start === null) throw new Error(`no marking start in V8's trace:\n${trace.slice(0, 2000)}`);
  return Number(start[2]);
}

describe('the heap growing percent', () => {
  it('is 400 unless EWS_HEAP_GROWING_PERCENT says otherwise, and a bad value names the variable', () => {
    expect(loadConfig({}).heapGrowingPercent).toBe(400);
    expect(loadConfig({ EWS_HEAP_GROWING_PERCENT: '0' }).heapGrowingPercent).toBe(0);
    expect(() => loadConfig({ EWS_HEAP_GROWING_PERCENT: '-5' })).toThrow(/EWS_HEAP_GROWING_PERCENT/);
    expect(() => loadConfig({ EWS_HEAP_GROWING_PERCENT: 'lots' })).toThrow(/EWS_HEAP_GROWING_PERCENT/);
  });

  it('0 leaves V8 alone; anything but a whole number >= 0 is refused', () => {
    expect(applyHeapGrowingPercent(0)).toBeNull();
    expect(() => applyHeapGrowingPercent(-1)).toThrow(/whole number/);
    expect(() => applyHeapGrowingPercent(2.5)).toThrow(/whole number/);
  });

  it('set at run time, it sets the limit V8 grows the old generation to after a full GC', () => {
    const wide = limitAfterGc(400);
    const narrow = limitAfterGc(100);
    // ~20 MB live: 400 % lets the old generation grow to ~5x, 100 % to ~2x.
    expect(wide).toBeGreaterThanOrEqual(100);
    expect(narrow).toBeLessThan(80);
    expect(wide).toBeGreaterThanOrEqual(2 * narrow);
  });
});
