import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultWorkers } from '../../src/batch/rescore.js';

const tables = { kind: 'tables', format: 'parquet', loans: 'l', schedule: 's', events: 'e' } as const;

describe('defaultWorkers', () => {
  it('gives flat tables one worker per two cores (each also keeps a range query busy), at least one; other inputs one per core', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 256 }), (cores) => {
        const t = defaultWorkers(tables, cores);
        expect(t).toBeGreaterThanOrEqual(1);
        // Two threads a worker never ask for more than the cores, and at most one core is left over.
        expect(2 * t <= Math.max(2, cores)).toBe(true);
        expect(cores - 2 * t).toBeLessThanOrEqual(1);
        expect(defaultWorkers({ kind: 'ndjson', files: ['x'] }, cores)).toBe(cores);
        expect(defaultWorkers({ kind: 'store' }, cores)).toBe(cores);
      }),
    );
  });
});
