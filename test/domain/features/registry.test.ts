import { describe, expect, it } from 'vitest';
import { FEATURE_GROUPS, FEATURES, featureDefs, featureNames, featureSetVersion } from '../../../src/domain/features/index.js';
import { FeatureConfig } from '../../../src/domain/features/feature-config.js';
import { versionOf } from '../../../src/domain/features/version.js';
import { mustParse } from '../../support/parse.js';

// The names the rules helper references.
const REQUIRED = [
  'dpd', 'worst_dpd_ever', 'worst_dpd_90d', 'overdue_ratio', 'instalments_overdue', 'days_to_max_overdue', 'late_count_3', 'late_count_6',
  'partial_count_3', 'days_late_trend', 'days_since_last_payment', 'contact_attempts_7d', 'contact_answer_rate_30d', 'unanswered_streak',
  'refusals_30d', 'switched_off_30d', 'wrong_number_30d', 'ptp_made_60d', 'ptp_broken_60d', 'ptp_broken_streak', 'hardship_job_loss_90d',
  'hardship_wage_arrears_90d', 'arrangement_active', 'arrangement_broken_90d', 'phone_changed_90d', 'phone_changed_within_30d_of_origination',
  'employment_changed_90d', 'days_to_spring_festival', 'migrant', 'first_payment_missed', 'loan_age_days', 'instalments_remaining',
];

const config = mustParse(FeatureConfig, { numeric: [{ name: 'bureau_score', missing: 0 }], categorical: [{ name: 'region', levels: ['north', 'south'] }] });

describe('registry', () => {
  it('declares at least 40 uniquely named features with both languages, every group but declared covered', () => {
    expect(FEATURES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(FEATURES.map((f) => f.name)).size).toBe(FEATURES.length);
    for (const f of FEATURES) {
      expect(f.en.length, f.name).toBeGreaterThan(5);
      expect(f.zh.length, f.name).toBeGreaterThan(1);
      expect(Number.isFinite(f.missing), f.name).toBe(true);
    }
    const groups = new Set(FEATURES.map((f) => f.group));
    for (const g of FEATURE_GROUPS) if (g !== 'declared') expect(groups.has(g), g).toBe(true);
  });

  it('provides every feature the rules reference', () => {
    const names = new Set(featureNames());
    expect(REQUIRED.filter((n) => !names.has(n))).toEqual([]);
  });

  it('appends declared attributes after the base features', () => {
    const names = featureNames(config);
    expect(names.slice(0, FEATURES.length)).toEqual(featureNames());
    expect(names.slice(FEATURES.length)).toEqual(['attr_bureau_score', 'attr_region=north', 'attr_region=south', 'attr_region=other']);
    expect(featureDefs(config).at(-1)!.group).toBe('declared');
  });

  it('rejects a configuration that declares an attribute twice', () => {
    expect(FeatureConfig.safeParse({ numeric: [{ name: 'a' }], categorical: [{ name: 'a', levels: ['x'] }] }).success).toBe(false);
  });
});

describe('feature-set version', () => {
  const base = featureDefs(config);
  const v0 = featureSetVersion(config);

  it('is stable for equal definitions and an equal (not identical) configuration', () => {
    expect(featureSetVersion(mustParse(FeatureConfig, JSON.parse(JSON.stringify(config))))).toBe(v0);
    expect(versionOf(base.map((d) => ({ ...d })), config)).toBe(v0);
  });

  it('changes when any field of any definition changes', () => {
    const seen = new Set([v0]);
    base.forEach((def, i) => {
      const variants = [
        { ...def, name: `${def.name}_x` },
        { ...def, group: def.group === 'timing' ? 'exposure' : 'timing' },
        { ...def, en: `${def.en}.` },
        { ...def, zh: `${def.zh}。` },
        { ...def, unit: `${def.unit}s` },
        { ...def, windowDays: def.windowDays === null ? 30 : def.windowDays + 1 },
        { ...def, missing: def.missing + 1 },
      ] as const;
      for (const changed of variants) {
        const defs = base.map((d, j) => (j === i ? changed : d));
        const v = versionOf(defs, config);
        expect(seen.has(v), `${def.name}: ${JSON.stringify(changed)}`).toBe(false);
        seen.add(v);
      }
    });
    // Reordering changes the vector layout, so it must change the version too.
    expect(versionOf([base[1]!, base[0]!, ...base.slice(2)], config)).not.toBe(v0);
  });

  it('changes when the attribute configuration changes', () => {
    const variants = [
      { numeric: [{ name: 'bureau_score', missing: -1 }], categorical: config.categorical },
      { numeric: config.numeric, categorical: [{ name: 'region', levels: ['south', 'north'] }] },
      { numeric: [], categorical: [] },
    ];
    for (const c of variants) expect(featureSetVersion(mustParse(FeatureConfig, c))).not.toBe(v0);
  });
});
