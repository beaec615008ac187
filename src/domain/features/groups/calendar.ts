import { monthOf } from '../days.js';
import { block } from '../feature.js';
import { daysSinceSpringFestival, daysToSpringFestival } from '../spring-festival.js';

export const calendar = block(
  'calendar',
  {
    days_to_spring_festival: { unit: 'days', missing: -1, en: 'Days to the next Spring Festival (-1: outside 2000-2035)', zh: '距下一个春节的天数' },
    days_since_spring_festival: { unit: 'days', missing: -1, en: 'Days since the last Spring Festival (-1: outside 2000-2035)', zh: '距上一个春节的天数' },
    month: { unit: 'month', en: 'Calendar month in the loan time zone', zh: '月份' },
  },
  (s, out, o, at) => {
    out[o + at.days_to_spring_festival] = daysToSpringFestival(s.asOfDay);
    out[o + at.days_since_spring_festival] = daysSinceSpringFestival(s.asOfDay);
    out[o + at.month] = monthOf(s.asOfDay);
  },
);
