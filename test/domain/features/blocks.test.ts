// Each block's writer must fill every one of its slots and nothing outside them, for any history.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { BASE_BLOCKS } from '../../../src/domain/features/index.js';
import { FeatureConfig } from '../../../src/domain/features/feature-config.js';
import { declaredBlock } from '../../../src/domain/features/groups/declared.js';
import { LoanScan } from '../../../src/domain/features/scan.js';
import { historyAtArb } from '../../support/history-arbitrary.js';

const declared = declaredBlock(FeatureConfig.parse({ numeric: [{ name: 'bureau' }], categorical: [{ name: 'region', levels: ['north', 'south'] }] }));
const SENTINEL = 12345.5;

it('every block writes exactly its own slots', () => {
  const scan = new LoanScan();
  fc.assert(
    fc.property(historyAtArb({ maxEvents: 20 }), ({ history, asOf }) => {
      scan.run(history, asOf);
      for (const b of [...BASE_BLOCKS, declared]) {
        const n = b.defs.length;
        const out = new Float32Array(n + 8).fill(SENTINEL);
        out.fill(Number.NaN, 4, 4 + n);
        b.write(scan, out, 4);
        const names = b.defs.map((d) => d.name);
        expect(Array.from(out.subarray(4, 4 + n)).map((v, i) => (Number.isNaN(v) ? names[i] : null)).filter((x) => x !== null), names[0]).toEqual([]);
        expect([...out.subarray(0, 4), ...out.subarray(4 + n)].every((v) => v === SENTINEL), names[0]).toBe(true);
      }
    }),
    { numRuns: 150, seed: 17 },
  );
});
