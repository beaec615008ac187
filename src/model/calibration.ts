// Calibration maps the network's raw log-odds to a probability that means what it says. Fitted on
// rows the network never trained on. Platt (a·z + b through a sigmoid) keeps the map smooth and
// monotone, so attributions stay in calibrated log-odds; isotonic is offered for comparison.
export type Calibration =
  | { readonly method: 'platt'; readonly a: number; readonly b: number }
  | { readonly method: 'isotonic'; readonly x: readonly number[]; readonly y: readonly number[] }
  | { readonly method: 'beta'; readonly a: number; readonly b: number; readonly c: number }
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
    case 'beta':
      // a·ln(q) − b·ln(1−q) + c with q = sigmoid(z); ln q = −softplus(−z), ln(1−q) = −softplus(z)
      return -cal.a * softplus(-z) + cal.b * softplus(z) + cal.c;
    case 'isotonic':
      return logit(isotonicAt(cal, sigmoid(z)));
  }
}

export const calibratedPd = (cal: Calibration, z: number): number =>
  cal.method === 'isotonic' ? isotonicAt(cal, sigmoid(z)) : sigmoid(calibratedLogit(cal, z));

/** calibratedPd specialised once per model, for loops that call it per row. */
export function pdFunction(cal: Calibration): (z: number) => number {
  if (cal.method === 'platt') {
    const { a, b } = cal;
    return (z) => 1 / (1 + Math.exp(-(a * z + b)));
  }
  if (cal.method === 'none') return (z) => 1 / (1 + Math.exp(-z));
  return (z) => calibratedPd(cal, z);
}

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

const softplus = (z: number): number => (z > 30 ? z : z < -30 ? Math.exp(z) : Math.log1p(Math.exp(z)));

/**
 * Beta calibration (Kull et al. 2017): a logistic regression of y on ln q and −ln(1−q). It bends the
 * two tails independently where Platt can only stretch and shift; a, b are kept >= 0 so the map stays
 * monotone (then it is refitted as Platt when a tail would turn).
 */
export function fitBeta(z: ArrayLike<number>, y: ArrayLike<number>): Calibration {
  const n = z.length;
  const f1 = new Float64Array(n), f2 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    f1[i] = -softplus(-z[i]!);
    f2[i] = softplus(z[i]!);
  }
  let a = 1, b = 1, c = 0;
  for (let iter = 0; iter < 100; iter++) {
    const g = [0, 0, 0];
    const h = [[1e-9, 0, 0], [0, 1e-9, 0], [0, 0, 1e-9]];
    for (let i = 0; i < n; i++) {
      const x = [f1[i]!, f2[i]!, 1];
      const p = sigmoid(a * x[0]! + b * x[1]! + c);
      const w = Math.max(p * (1 - p), 1e-12);
      const r = p - y[i]!;
      for (let u = 0; u < 3; u++) {
        g[u]! += r * x[u]!;
        for (let v = 0; v < 3; v++) h[u]![v]! += w * x[u]! * x[v]!;
      }
    }
    const step = solve3(h, g);
    if (step === undefined) break;
    a -= step[0]!;
    b -= step[1]!;
    c -= step[2]!;
    if (Math.abs(step[0]!) + Math.abs(step[1]!) + Math.abs(step[2]!) < 1e-10) break;
  }
  if (!(a >= 0 && b >= 0) || !Number.isFinite(a + b + c)) return fitPlatt(z, y);
  return { method: 'beta', a, b, c };
}

function solve3(m: number[][], r: number[]): number[] | undefined {
  const A = m.map((row, i) => [...row, r[i]!]);
  for (let col = 0; col < 3; col++) {
    let piv = col;
    for (let k = col + 1; k < 3; k++) if (Math.abs(A[k]![col]!) > Math.abs(A[piv]![col]!)) piv = k;
    if (Math.abs(A[piv]![col]!) < 1e-15) return undefined;
    [A[col], A[piv]] = [A[piv]!, A[col]!];
    for (let k = 0; k < 3; k++) {
      if (k === col) continue;
      const f = A[k]![col]! / A[col]![col]!;
      for (let j = col; j < 4; j++) A[k]![j]! -= f * A[col]![j]!;
    }
  }
  return [A[0]![3]! / A[0]![0]!, A[1]![3]! / A[1]![1]!, A[2]![3]! / A[2]![2]!];
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
