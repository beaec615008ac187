import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventIdsUnique, IdTable } from '../../../src/domain/history/id-table.js';

describe('IdTable', () => {
  it('answers as a fresh Set per loan would, across many loans of any size on one table', () => {
    // Short ids from a small alphabet collide often; sizes cross the table's growth.
    const id = fc.oneof(fc.string({ maxLength: 3, unit: fc.constantFrom('a', 'b', 'é', '1') }), fc.string());
    fc.assert(
      fc.property(fc.array(fc.array(id, { maxLength: 200 }), { minLength: 1, maxLength: 8 }), (loans) => {
        const table = new IdTable();
        for (const ids of loans) {
          table.reset(ids.length);
          const set = new Set<string>();
          for (const x of ids) {
            expect(table.add(x)).toBe(!set.has(x));
            set.add(x);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('eventIdsUnique is true exactly when no two events share an id', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 2 }), { maxLength: 40 }), (ids) => {
        expect(eventIdsUnique(ids.map((x) => ({ id: x })))).toBe(new Set(ids).size === ids.length);
      }),
    );
  });
});
