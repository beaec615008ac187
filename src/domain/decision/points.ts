// PD <-> points, the scorecard convention underwriters expect: higher is safer; `basePoints` at
// good:bad odds of `baseOdds`, and every `doublingPoints` points double the odds.
export interface PointsScale {
  readonly basePoints: number;
  readonly baseOdds: number;
  readonly doublingPoints: number;
}

export const DEFAULT_POINTS_SCALE: PointsScale = { basePoints: 600, baseOdds: 50, doublingPoints: 20 };

/** PDs are clamped away from 0 and 1 so that points stay finite. */
const PD_FLOOR = 1e-9;

function checkScale(scale: PointsScale): void {
  if (!(scale.baseOdds > 0) || !Number.isFinite(scale.baseOdds)) throw new RangeError(`points scale: baseOdds must be a positive number, got ${scale.baseOdds}`);
  if (!(scale.doublingPoints > 0) || !Number.isFinite(scale.doublingPoints)) throw new RangeError(`points scale: doublingPoints must be a positive number, got ${scale.doublingPoints}`);
  if (!Number.isFinite(scale.basePoints)) throw new RangeError(`points scale: basePoints must be a finite number, got ${scale.basePoints}`);
}

/** Points for a PD (unrounded): base + factor · ln(odds / baseOdds), factor = doublingPoints / ln 2. */
export function pdToPoints(pd: number, scale: PointsScale = DEFAULT_POINTS_SCALE): number {
  checkScale(scale);
  if (!Number.isFinite(pd) || pd < 0 || pd > 1) throw new RangeError(`pd must be a probability in [0, 1], got ${pd}`);
  const p = Math.min(1 - PD_FLOOR, Math.max(PD_FLOOR, pd));
  const odds = (1 - p) / p;
  return scale.basePoints + (scale.doublingPoints / Math.LN2) * Math.log(odds / scale.baseOdds);
}

/** The PD that a score in points stands for (inverse of pdToPoints inside the clamp). */
export function pointsToPd(points: number, scale: PointsScale = DEFAULT_POINTS_SCALE): number {
  checkScale(scale);
  if (!Number.isFinite(points)) throw new RangeError(`points must be a finite number, got ${points}`);
  const odds = scale.baseOdds * Math.pow(2, (points - scale.basePoints) / scale.doublingPoints);
  return 1 / (1 + odds);
}
