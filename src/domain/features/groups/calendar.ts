import { monthOf } from '../days.js';
import { block } from '../feature.js';
import { daysSinceSpringFestival, daysToSpringFestival } from '../spring-festival.js';

let lastDay = Number.NaN;
let toFestival = 0;
let sinceFestival = 0;
let month = 0;

export const calendar = block(
  'calendar',
  {
    days_to_spring_festival: { unit: 'days', missing: -1, en: 'Days to the next Spring Festival (-1: outside 2000-2035)', zh: '距下一个春节的天数' },
    days_since_spring_festival: { unit: 'days', missing: -1, en: 'Days since the last Spring Festival (-1: outside 2000-2035)', zh: '距上一个春节的天数' },
    month: { unit: 'month', en: 'Calendar month in the loan time zone', zh: '月份' },
  },
  (s, out, o, at) => {
    // These depend on the as-of day alone, which a batch shares loan after loan.
    if (s.asOfDay !== lastDay) {
      lastDay = s.asOfDay;
      toFestival = daysToSpringFestival(lastDay);
      sinceFestival = daysSinceSpringFestival(lastDay);
      month = monthOf(lastDay);
    }
    out[o + at.days_to_spring_festival] = toFestival;
    out[o + at.days_since_spring_festival] = sinceFestival;
    out[o + at.month] = month;
  },
);
