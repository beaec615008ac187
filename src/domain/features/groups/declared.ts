// Lender-declared borrower attributes named by a FeatureConfig: numeric ones as they are (or their
// missing value), categorical ones one-hot over the declared levels plus `other` (absent: all 0).
import type { FeatureConfig } from '../feature-config.js';
import type { FeatureBlock } from '../feature.js';
import type { LoanScan } from '../scan.js';
import type { FeatureDef } from '../types.js';

export function declaredBlock(config: FeatureConfig): FeatureBlock {
  const defs: FeatureDef[] = [];
  const def = (name: string, en: string, zh: string, unit: string, missing: number): void => {
    defs.push({ name, group: 'declared', en, zh, unit, windowDays: null, missing });
  };
  for (const a of config.numeric) def(`attr_${a.name}`, `Declared attribute ${a.name}`, `自定义属性 ${a.name}`, 'value', a.missing);
  for (const a of config.categorical) {
    for (const level of a.levels) def(`attr_${a.name}=${level}`, `Declared attribute ${a.name} is ${level}`, `自定义属性 ${a.name} 为 ${level}`, 'flag', 0);
    def(`attr_${a.name}=other`, `Declared attribute ${a.name} has an undeclared value`, `自定义属性 ${a.name} 为其他值`, 'flag', 0);
  }
  const numeric = config.numeric.map((a) => ({ name: a.name, missing: a.missing }));
  const categorical = config.categorical.map((a) => ({ name: a.name, levels: a.levels, index: new Map(a.levels.map((l, i) => [l, i])) }));
  const write = (s: LoanScan, out: Float32Array, o: number): void => {
      const attributes = s.history.borrower.attributes;
      let p = o;
      for (const a of numeric) {
        const v = attributes[a.name];
        out[p++] = typeof v === 'number' ? v : a.missing;
      }
      for (const a of categorical) {
        for (let i = 0; i <= a.levels.length; i++) out[p + i] = 0;
        const v = attributes[a.name];
        if (v !== undefined) out[p + (a.index.get(String(v)) ?? a.levels.length)] = 1;
        p += a.levels.length + 1;
      }
  };
  return { defs, write, fill: write, slots: {} };
}
