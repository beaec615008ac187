// A feature is declared once (name, group, descriptions, unit, window, value when missing) and
// computed by one small pure function. The registry order is the vector order.
export const FEATURE_GROUPS = [
  'delinquency',
  'performance',
  'timing',
  'exposure',
  'revolving',
  'contact',
  'promise',
  'hardship',
  'stability',
  'calendar',
  'application',
  'declared',
] as const;
export type FeatureGroup = (typeof FEATURE_GROUPS)[number];

export interface FeatureDef {
  readonly name: string;
  readonly group: FeatureGroup;
  readonly en: string;
  readonly zh: string;
  readonly unit: string;
  /** Look-back window in days, or null when the feature is not windowed. */
  readonly windowDays: number | null;
  /** Value used when the input needed is absent (e.g. no income declared). */
  readonly missing: number;
}
