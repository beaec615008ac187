import { HARDSHIP_REASONS } from '../../history/schema.js';
import { block, type FeatureSpec } from '../feature.js';

const REASON_ZH: Readonly<Record<(typeof HARDSHIP_REASONS)[number], string>> = {
  job_loss: '失业',
  wage_arrears: '欠薪',
  illness_injury: '疾病或受伤',
  family_emergency: '家庭变故',
  seasonal_gap: '季节性停工',
  disaster: '灾害',
  other: '其他困难',
};

// One count per reason, in HARDSHIP_REASONS order (the scan's hardship90 order).
export const hardshipByReason = block(
  'hardship',
  Object.fromEntries(
    HARDSHIP_REASONS.map((reason): [string, FeatureSpec] => [
      `hardship_${reason}_90d`,
      { unit: 'count', windowDays: 90, en: `Hardship reported in the last 90 days: ${reason.replace('_', ' ')}`, zh: `近90天报告困难：${REASON_ZH[reason]}` },
    ]),
  ),
  (s, out, o) => {
    for (let i = 0; i < HARDSHIP_REASONS.length; i++) out[o + i] = s.hardship90[i]!;
  },
);

export const arrangements = block(
  'hardship',
  {
    hardship_ever: { unit: 'count', en: 'Hardship reports ever', zh: '累计报告困难次数' },
    arrangement_active: { unit: 'flag', en: 'A grace period or repayment plan is in force', zh: '宽限期或还款计划生效中' },
    plan_active: { unit: 'flag', en: 'A repayment plan is in force', zh: '还款计划生效中' },
    arrangement_broken_90d: { unit: 'count', windowDays: 90, en: 'Arrangements broken in the last 90 days', zh: '近90天违约的还款安排次数' },
    arrangements_agreed: { unit: 'count', en: 'Arrangements agreed ever', zh: '累计达成的还款安排次数' },
    arrangements_offered_90d: { unit: 'count', windowDays: 90, en: 'Arrangements offered in the last 90 days', zh: '近90天提出的还款安排次数' },
  },
  (s, out, o, at) => {
    out[o + at.hardship_ever] = s.hardshipEver;
    out[o + at.arrangement_active] = s.activePauseKind > 0 ? 1 : 0;
    out[o + at.plan_active] = s.activePauseKind === 2 ? 1 : 0;
    out[o + at.arrangement_broken_90d] = s.arrangementsBroken90;
    out[o + at.arrangements_agreed] = s.arrangementsAgreed;
    out[o + at.arrangements_offered_90d] = s.arrangementsOffered90;
  },
);
