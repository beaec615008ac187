// Calibration maps the network's raw log-odds to a probability that means what it says. Fitted on
// rows the network never trained on. Platt (a·z + b through a sigmoid) keeps the map smooth and
// monotone, so attributions stay in calibrated log-odds; isotonic is offered for comparison.
export type Calibration =
  | { readonly method: 'platt'; readonly a: number; readonly b: number }
  | { readonly method: 'isotonic'; readonly x: readonly number[]; readonly y: readonly number[] }
  | { readonly method: 'none' };

const EPS = 1e-7;
export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
export const logit = (p: number): number => {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
};

/** Calibrated log-odds for a raw log-odds value. */
export function calibratedLogit(cal: Calibration, z: number): number {
  switch (cal.method) {
    case 'platt':
      return cal.a * z + cal.b;
    case 'none':
      return z;
    case 'isotonic':
      return logit(isotonicAt(cal, sigmoid(z)));
  }
}

export const calibratedPd = (cal: Calibration, z: number): number =>
  cal.method === 'isotonic' ? isotonicAt(cal, sigmoid(z)) : sigmoid(calibratedLogit(cal, z));

function isotonicAt(cal: { x: readonly number[]; y: readonly number[] }, p: number): number {
  const { x, y } = cal;
  const n = x.length;
  if (p <= x[0]!) return y[0]!;
  if (p >= x[n - 1]!) return y[n - 1]!;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid]! <= p) lo = mid;
    else hi = mid;
  }
  const t = (p - x[lo]!) / (x[hi]! - x[lo]! || 1);
  return y[lo]! + t * (y[hi]! - y[lo]!);
}

/** Platt scaling by Newton's method on the log loss (with Platt's target smoothing). */
export function fitPlatt(z: ArrayLike<number>, y: ArrayLike<number>): Calibration {
  const n = z.length;
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i]!;
  const hiT = (pos + 1) / (pos + 2);
  const loT = 1 / (n - pos + 2);
  let a = 1;
  let b = 0;
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
    for (let i = 0; i < n; i++) {
      const p = sigmoid(a * z[i]! + b);
      const t = y[i]! > 0.5 ? hiT : loT;
      const g = p - t;
      const w = Math.max(p * (1 - p), 1e-12);
      ga += g * z[i]!;
      gb += g;
      haa += w * z[i]! * z[i]!;
      hab += w * z[i]!;
      hbb += w;
    }
    haa += 1e-9;
    hbb += 1e-9;
    const det = haa * hbb - hab * hab;
    if (Math.abs(det) < 1e-18) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) < 1e-10 && Math.abs(db) < 1e-10) break;
  }
  return { method: 'platt', a, b };
}

/** Isotonic regression of y on sigmoid(z) by pool-adjacent-violators. */
export function fitIsotonic(z: ArrayLike<number>, y: ArrayLike<number>): Calibration {
  const n = z.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => z[i]! - z[j]!);
  const blocks: { x: number; sum: number; w: number }[] = [];
  for (const i of order) {
    blocks.push({ x: sigmoid(z[i]!), sum: y[i]!, w: 1 });
    while (blocks.length > 1) {
      const b = blocks[blocks.length - 1]!;
      const a = blocks[blocks.length - 2]!;
      if (a.sum / a.w <= b.sum / b.w) break;
      blocks.pop();
      a.x = (a.x * a.w + b.x * b.w) / (a.w + b.w);
      a.sum += b.sum;
      a.w += b.w;
    }
  }
  return {
    method: 'isotonic',
    x: blocks.map((b) => b.x),
    y: blocks.map((b) => Math.min(1 - EPS, Math.max(EPS, b.sum / b.w))),
  };
}
