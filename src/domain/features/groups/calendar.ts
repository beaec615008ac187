import { group } from '../feature.js';
import { monthOf } from '../days.js';
import { daysSinceSpringFestival, daysToSpringFestival } from '../spring-festival.js';

export const calendar = group('calendar', {
  days_to_spring_festival: [{ unit: 'days', missing: -1, en: 'Days to the next Spring Festival (-1: outside 2000-2035)', zh: '距下一个春节的天数' }, (s) => daysToSpringFestival(s.asOfDay)],
  days_since_spring_festival: [{ unit: 'days', missing: -1, en: 'Days since the last Spring Festival (-1: outside 2000-2035)', zh: '距上一个春节的天数' }, (s) => daysSinceSpringFestival(s.asOfDay)],
  month: [{ unit: 'month', en: 'Calendar month in the loan time zone', zh: '月份' }, (s) => monthOf(s.asOfDay)],
});
