// A promise is kept when payments from the day it was made to its date reach its amount (less the
// 1-unit tolerance); broken when its date has passed without that; pending otherwise.
import { group } from '../feature.js';
import { NEVER } from '../scan.js';

export const promise = group('promise', {
  ptp_made_60d: [{ unit: 'count', windowDays: 60, en: 'Promises to pay made in the last 60 days', zh: '近60天承诺还款次数' }, (s) => s.ptpMade60],
  ptp_kept_60d: [{ unit: 'count', windowDays: 60, en: 'Of those, kept', zh: '近60天兑现的承诺次数' }, (s) => s.ptpKept60],
  ptp_broken_60d: [{ unit: 'count', windowDays: 60, en: 'Of those, broken', zh: '近60天违约的承诺次数' }, (s) => s.ptpBroken60],
  ptp_broken_streak: [{ unit: 'count', en: 'Consecutive broken promises up to now', zh: '连续违约承诺次数' }, (s) => s.ptpBrokenStreak],
  ptp_pending: [{ unit: 'count', en: 'Promises whose date has not yet come and not yet kept', zh: '未到期的承诺次数' }, (s) => s.ptpPending],
  days_since_ptp_broken: [
    { unit: 'days', missing: NEVER, en: 'Days since a promise was last broken (999: never)', zh: '距上次违约承诺的天数' },
    (s) => (s.lastBrokenPromiseDay >= 0 ? s.asOfDay - s.lastBrokenPromiseDay : NEVER),
  ],
});
