// A promise is kept when payments from the day it was made to its date reach its amount (less the
// 1-unit tolerance); broken when its date has passed without that; pending otherwise.
import { block } from '../feature.js';
import { NEVER } from '../scan.js';

export const promise = block(
  'promise',
  {
    ptp_made_60d: { unit: 'count', windowDays: 60, en: 'Promises to pay made in the last 60 days', zh: '近60天承诺还款次数' },
    ptp_kept_60d: { unit: 'count', windowDays: 60, en: 'Of those, kept', zh: '近60天兑现的承诺次数' },
    ptp_broken_60d: { unit: 'count', windowDays: 60, en: 'Of those, broken', zh: '近60天违约的承诺次数' },
    ptp_broken_streak: { unit: 'count', en: 'Consecutive broken promises up to now', zh: '连续违约承诺次数' },
    ptp_pending: { unit: 'count', en: 'Promises whose date has not yet come and not yet kept', zh: '未到期的承诺次数' },
    days_since_ptp_broken: { unit: 'days', missing: NEVER, en: 'Days since a promise was last broken (999: never)', zh: '距上次违约承诺的天数' },
  },
  (s, out, o, at) => {
    out[o + at.ptp_made_60d] = s.ptpMade60;
    out[o + at.ptp_kept_60d] = s.ptpKept60;
    out[o + at.ptp_broken_60d] = s.ptpBroken60;
    out[o + at.ptp_broken_streak] = s.ptpBrokenStreak;
    out[o + at.ptp_pending] = s.ptpPending;
    out[o + at.days_since_ptp_broken] = s.lastBrokenPromiseDay >= 0 ? s.asOfDay - s.lastBrokenPromiseDay : NEVER;
  },
);
