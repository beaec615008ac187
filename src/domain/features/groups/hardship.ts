import { HARDSHIP_REASONS } from '../../history/schema.js';
import { group } from '../feature.js';

const REASON_ZH: Readonly<Record<(typeof HARDSHIP_REASONS)[number], string>> = {
  job_loss: '失业',
  wage_arrears: '欠薪',
  illness_injury: '疾病或受伤',
  family_emergency: '家庭变故',
  seasonal_gap: '季节性停工',
  disaster: '灾害',
  other: '其他困难',
};

export const hardship = [
  ...group(
    'hardship',
    Object.fromEntries(
      HARDSHIP_REASONS.map((reason, i) => [
        `hardship_${reason}_90d`,
        [{ unit: 'count', windowDays: 90, en: `Hardship reported in the last 90 days: ${reason.replace('_', ' ')}`, zh: `近90天报告困难：${REASON_ZH[reason]}` }, (s) => s.hardship90[i]!] as const,
      ]),
    ),
  ),
  ...group('hardship', {
    hardship_ever: [{ unit: 'count', en: 'Hardship reports ever', zh: '累计报告困难次数' }, (s) => s.hardshipEver],
    arrangement_active: [{ unit: 'flag', en: 'A grace period or repayment plan is in force', zh: '宽限期或还款计划生效中' }, (s) => (s.activePauseKind > 0 ? 1 : 0)],
    plan_active: [{ unit: 'flag', en: 'A repayment plan is in force', zh: '还款计划生效中' }, (s) => (s.activePauseKind === 2 ? 1 : 0)],
    arrangement_broken_90d: [{ unit: 'count', windowDays: 90, en: 'Arrangements broken in the last 90 days', zh: '近90天违约的还款安排次数' }, (s) => s.arrangementsBroken90],
    arrangements_agreed: [{ unit: 'count', en: 'Arrangements agreed ever', zh: '累计达成的还款安排次数' }, (s) => s.arrangementsAgreed],
    arrangements_offered_90d: [{ unit: 'count', windowDays: 90, en: 'Arrangements offered in the last 90 days', zh: '近90天提出的还款安排次数' }, (s) => s.arrangementsOffered90],
  }),
];
