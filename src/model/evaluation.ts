// One evaluation of a model on labelled rows: the metrics, stability against the training score
// distribution, subgroup figures for the model card, and curves for the HTML report.
import type { Manifest } from './manifest.js';
import { auc, binShares, evaluate, psi, type Metrics } from './metrics.js';

export interface GroupFigures {
  readonly n: number;
  readonly positives: number;
  readonly auc: number | null;
  readonly meanPd: number;
  readonly observedRate: number;
}

export interface Evaluation extends Metrics {
  readonly model: { readonly name: string; readonly version: string; readonly featureSetVersion: string };
  /** PSI of these scores against the training (calibration hold-out) distribution. */
  readonly psi: number;
  readonly byOccupation: Record<string, GroupFigures>;
  readonly byAgeBand: Record<string, GroupFigures>;
  /** ROC curve, at most ~200 points: [false positive rate, true positive rate]. */
  readonly roc: Array<[number, number]>;
  /** Score histogram: 20 PD bins of width 0.05, counts of negatives and positives. */
  readonly histogram: { readonly negatives: number[]; readonly positives: number[] };
}

export function groupFigures(pd: ArrayLike<number>, y: ArrayLike<number>, groups: readonly string[]): Record<string, GroupFigures> {
  const rows = new Map<string, number[]>();
  groups.forEach((g, i) => {
    const list = rows.get(g);
    if (list) list.push(i);
    else rows.set(g, [i]);
  });
  const out: Record<string, GroupFigures> = {};
  for (const [g, idx] of [...rows.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    let positives = 0, sp = 0;
    for (const i of idx) {
      positives += y[i]! > 0.5 ? 1 : 0;
      sp += pd[i]!;
    }
    const a = auc(pd, y, idx);
    out[g] = { n: idx.length, positives, auc: Number.isNaN(a) ? null : a, meanPd: sp / idx.length, observedRate: positives / idx.length };
  }
  return out;
}

export function rocCurve(pd: ArrayLike<number>, y: ArrayLike<number>, points = 200): Array<[number, number]> {
  const n = pd.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => pd[b]! - pd[a]!);
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i]! > 0.5 ? 1 : 0;
  const neg = n - pos;
  const out: Array<[number, number]> = [[0, 0]];
  const step = Math.max(1, Math.floor(n / points));
  let tp = 0, fp = 0;
  for (let k = 0; k < n; k++) {
    if (y[idx[k]!]! > 0.5) tp++;
    else fp++;
    if ((k + 1) % step === 0 || k === n - 1) out.push([fp / (neg || 1), tp / (pos || 1)]);
  }
  return out;
}

export function evaluateScores(pd: ArrayLike<number>, y: ArrayLike<number>, groups: { occupation: readonly string[]; ageBand: readonly string[] }, manifest: Manifest, bootstrap = 200): Evaluation {
  const metrics = evaluate(pd, y, bootstrap);
  const negatives = new Array<number>(20).fill(0);
  const positives = new Array<number>(20).fill(0);
  for (let i = 0; i < pd.length; i++) {
    const b = Math.min(19, Math.floor(pd[i]! * 20));
    (y[i]! > 0.5 ? positives : negatives)[b]!++;
  }
  return {
    ...metrics,
    model: { name: manifest.name, version: manifest.version, featureSetVersion: manifest.featureSetVersion },
    psi: psi(manifest.scoreDistribution.shares, binShares(pd, manifest.scoreDistribution.edges)),
    byOccupation: groupFigures(pd, y, groups.occupation),
    byAgeBand: groupFigures(pd, y, groups.ageBand),
    roc: rocCurve(pd, y),
    histogram: { negatives, positives },
  };
}

/** The summary kept in manifests and printed by `ews evaluate --json` first. */
export function headline(m: Metrics): Pick<Metrics, 'n' | 'positives' | 'auc' | 'aucCi95' | 'gini' | 'ks' | 'brier' | 'ece' | 'logLoss'> {
  return { n: m.n, positives: m.positives, auc: m.auc, aucCi95: m.aucCi95, gini: m.gini, ks: m.ks, brier: m.brier, ece: m.ece, logLoss: m.logLoss };
}
