// A computed feature: its declaration (FeatureDef) plus the small function that reads it off the
// shared scan. Groups declare their features in groups/*.ts; registry.ts puts them in order.
import type { LoanScan } from './scan.js';
import type { FeatureDef, FeatureGroup } from './types.js';

export interface Feature extends FeatureDef {
  readonly value: (s: LoanScan) => number;
}

export interface FeatureSpec {
  readonly unit: string;
  readonly windowDays?: number | null;
  readonly missing?: number;
  readonly en: string;
  readonly zh: string;
}

/** Declares features of one group: `name: [spec, value]`, in vector order. */
export function group(name: FeatureGroup, specs: Record<string, readonly [FeatureSpec, (s: LoanScan) => number]>): Feature[] {
  return Object.entries(specs).map(([featureName, [spec, value]]) => ({
    name: featureName,
    group: name,
    en: spec.en,
    zh: spec.zh,
    unit: spec.unit,
    windowDays: spec.windowDays ?? null,
    missing: spec.missing ?? 0,
    value,
  }));
}
