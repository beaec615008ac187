// Lender-declared borrower attributes named by a FeatureConfig: numeric ones as they are (or their
// missing value), categorical ones one-hot over the declared levels plus `other`.
import type { FeatureConfig } from '../feature-config.js';
import type { Feature } from '../feature.js';

export function declaredFeatures(config: FeatureConfig): Feature[] {
  const out: Feature[] = [];
  for (const a of config.numeric) {
    const { name, missing } = a;
    out.push({
      name: `attr_${name}`,
      group: 'declared',
      en: `Declared attribute ${name}`,
      zh: `自定义属性 ${name}`,
      unit: 'value',
      windowDays: null,
      missing,
      value: (s) => {
        const v = s.history.borrower.attributes[name];
        return typeof v === 'number' ? v : missing;
      },
    });
  }
  for (const a of config.categorical) {
    const { name, levels } = a;
    for (const level of levels) {
      out.push({
        name: `attr_${name}=${level}`,
        group: 'declared',
        en: `Declared attribute ${name} is ${level}`,
        zh: `自定义属性 ${name} 为 ${level}`,
        unit: 'flag',
        windowDays: null,
        missing: 0,
        value: (s) => (String(s.history.borrower.attributes[name]) === level && s.history.borrower.attributes[name] !== undefined ? 1 : 0),
      });
    }
    out.push({
      name: `attr_${name}=other`,
      group: 'declared',
      en: `Declared attribute ${name} has an undeclared value`,
      zh: `自定义属性 ${name} 为其他值`,
      unit: 'flag',
      windowDays: null,
      missing: 0,
      value: (s) => {
        const v = s.history.borrower.attributes[name];
        return v !== undefined && !levels.includes(String(v)) ? 1 : 0;
      },
    });
  }
  return out;
}
