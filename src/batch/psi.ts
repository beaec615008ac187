// Population stability index of this run's PDs against the model's training score distribution.
// PSI = sum over bins of (actual - expected) * ln(actual / expected), with proportions floored at a
// small epsilon so that an empty bin does not make it infinite. Above 0.2 is the usual "shifted".

export const PSI_DRIFT_THRESHOLD = 0.2;
const EPSILON = 1e-4;

/** The reference distribution: k ascending inner edges on the PD scale and k + 1 proportions. */
export interface ReferenceDistribution {
  readonly edges: readonly number[];
  readonly proportions: readonly number[];
}

export function psi(expected: readonly number[], actualCounts: readonly number[]): number | null {
  if (expected.length !== actualCounts.length || expected.length === 0) return null;
  const total = actualCounts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const expectedTotal = expected.reduce((a, b) => a + b, 0);
  let sum = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(EPSILON, expected[i]! / expectedTotal);
    const a = Math.max(EPSILON, actualCounts[i]! / total);
    sum += (a - e) * Math.log(a / e);
  }
  return sum;
}

/** Checks the shape so that a malformed manifest is named, not silently misread. */
export function validateReference(ref: ReferenceDistribution): string | null {
  if (ref.proportions.length !== ref.edges.length + 1) return `expected ${ref.edges.length + 1} proportions for ${ref.edges.length} edges, got ${ref.proportions.length}`;
  for (let i = 1; i < ref.edges.length; i++) if (!(ref.edges[i]! > ref.edges[i - 1]!)) return `edges must ascend (edge ${i})`;
  if (ref.proportions.some((p) => !(p >= 0))) return 'proportions must be >= 0';
  return null;
}
