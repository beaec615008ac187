// Input normalisation learned on the training rows only: heavy-tailed features (money, days) go
// through a signed log first, then every feature is standardised and clipped, so that one extreme
// balance cannot dominate a hidden unit. Saved in the manifest and applied identically everywhere.
export interface Normalisation {
  /** Per feature: 'slog' = sign(x)·ln(1+|x|) before standardising. */
  readonly transform: ReadonlyArray<'none' | 'slog'>;
  readonly mean: readonly number[];
  /** 0 marks a feature that was constant in training: the model never learned from it, so it is held at 0. */
  readonly std: readonly number[];
  /** Standardised values are clipped to ±clip. */
  readonly clip: number;
}

/** A feature whose 99th percentile of |x| exceeds this is log-transformed. */
const SLOG_THRESHOLD = 10;
const CLIP = 8;

const slog = (x: number): number => (x < 0 ? -Math.log1p(-x) : Math.log1p(x));

export function fitNormalisation(x: Float32Array, n: number, d: number): Normalisation {
  if (n === 0) throw new Error('cannot fit a normalisation on zero rows');
  const transform: Array<'none' | 'slog'> = [];
  const mean: number[] = [];
  const std: number[] = [];
  const column = new Float64Array(n);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < n; i++) column[i] = Math.abs(x[i * d + j]!);
    const sorted = column.slice().sort();
    const p99 = sorted[Math.min(n - 1, Math.floor(0.99 * n))]!;
    const t = p99 > SLOG_THRESHOLD ? 'slog' : 'none';
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i * d + j]!;
      const u = t === 'slog' ? slog(v) : v;
      column[i] = u;
      sum += u;
    }
    const m = sum / n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (column[i]! - m) ** 2;
    const s = Math.sqrt(ss / n);
    transform.push(t);
    mean.push(m);
    std.push(s > 1e-9 ? s : 0);
  }
  return { transform, mean, std, clip: CLIP };
}

/** Normalise one value of feature j. */
export function normaliseValue(norm: Normalisation, j: number, v: number): number {
  if (Number.isNaN(v) || norm.std[j] === 0) return 0; // absent or never varied in training: the training mean
  const u = norm.transform[j] === 'slog' ? slog(v) : v;
  const z = (u - norm.mean[j]!) / norm.std[j]!;
  return z > norm.clip ? norm.clip : z < -norm.clip ? -norm.clip : z;
}

/** Normalise n rows (row-major, d features) into a new Float32Array. */
export function normaliseRows(norm: Normalisation, x: Float32Array, n: number, d: number): Float32Array {
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[i * d + j] = normaliseValue(norm, j, x[i * d + j]!);
  return out;
}

/**
 * The normalisation over the active features only (those that varied in training; the others are
 * held at 0 and need no input column): writes n rows × active.length standardised values.
 */
export function compactNormaliser(norm: Normalisation): { readonly active: Int32Array; into(x: Float32Array, n: number, d: number, out: Float32Array): void } {
  const active = Int32Array.from(norm.std.flatMap((s, j) => (s > 0 ? [j] : [])));
  const k = active.length;
  const isSlog = Uint8Array.from(active, (j) => (norm.transform[j] === 'slog' ? 1 : 0));
  const mean = Float64Array.from(active, (j) => norm.mean[j]!);
  const std = Float64Array.from(active, (j) => norm.std[j]!);
  const clip = norm.clip;
  // Most inputs of a real row are 0 (counts, flags): their normalised value is a constant.
  const zero = Float64Array.from(mean, (m, a) => Math.min(clip, Math.max(-clip, -m / std[a]!)));
  return {
    active,
    into(x, n, d, out) {
      for (let i = 0; i < n; i++) {
        const at = i * d;
        const o = i * k;
        for (let a = 0; a < k; a++) {
          let v = x[at + active[a]!]!;
          if (v === 0) {
            out[o + a] = zero[a]!;
            continue;
          }
          if (v !== v) {
            out[o + a] = 0;
            continue;
          }
          if (isSlog[a] === 1) v = v < 0 ? -Math.log1p(-v) : Math.log1p(v);
          const z = (v - mean[a]!) / std[a]!;
          out[o + a] = z > clip ? clip : z < -clip ? -clip : z;
        }
      }
    },
  };
}
