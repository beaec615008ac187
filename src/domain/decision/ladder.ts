// The intervention ladder and the bands, in order: comparisons by position.
import type { Policy } from './policy.js';
import { BANDS, PRIORITIES, STEPS, type Band, type Step } from './schema.js';

export type Priority = (typeof PRIORITIES)[number];

export const stepRank = (s: Step): number => STEPS.indexOf(s);
export const bandRank = (b: Band): number => BANDS.indexOf(b);
export const priorityRank = (p: Priority): number => PRIORITIES.indexOf(p);

export const higherStep = (a: Step, b: Step): Step => (stepRank(b) > stepRank(a) ? b : a);
export const lowerStep = (a: Step, b: Step): Step => (stepRank(b) < stepRank(a) ? b : a);
export const higherPriority = (a: Priority, b: Priority): Priority => (priorityRank(b) > priorityRank(a) ? b : a);

export function bandOf(pd: number, policy: Policy): Band {
  let band: Band = 'low';
  for (const b of BANDS) if (pd >= policy.bandMinPd[b]) band = b;
  return band;
}
