// manifest.json: everything needed to reproduce, load and audit a model, beside its tfjs weights.
import { z } from 'zod';

export const MANIFEST_FORMAT = 'ews-model/1';

const num = z.number();
const MetricsSummary = z.object({
  n: num, positives: num, auc: num, aucCi95: z.tuple([num, num]), gini: num, ks: num, brier: num, ece: num, logLoss: num,
}).passthrough();

export const Manifest = z.object({
  format: z.literal(MANIFEST_FORMAT),
  name: z.string(),
  /** name@ + the first 12 hex of sha256(weights.bin): content-addressed, so a retrain with other weights is a new version. */
  version: z.string(),
  architecture: z.enum(['mlp', 'logistic']),
  featureSetVersion: z.string(),
  featureNames: z.array(z.string()),
  /** The FeatureConfig the features were computed with (feature engine JSON). */
  featureConfig: z.unknown(),
  normalisation: z.object({
    transform: z.array(z.enum(['none', 'slog'])),
    mean: z.array(num),
    std: z.array(num),
    clip: num,
  }),
  calibration: z.discriminatedUnion('method', [
    z.object({ method: z.literal('platt'), a: num, b: num }),
    z.object({ method: z.literal('isotonic'), x: z.array(num), y: z.array(num) }),
    z.object({ method: z.literal('beta'), a: num, b: num, c: num }),
    z.object({ method: z.literal('none') }),
  ]),
  /** Reference borrower (per-feature training median) for attributions. */
  reference: z.array(num),
  label: z.object({ definition: z.string(), horizonDays: num }),
  trainingData: z.object({ source: z.string(), sha256: z.string(), rows: num, positives: num, split: z.string() }),
  seed: num,
  hyperParams: z.record(z.string(), z.unknown()),
  epochs: z.array(num),
  backend: z.string(),
  metrics: z.object({
    validation: z.object({ auc: num, logLoss: num }),
    heldOut: MetricsSummary.optional(),
    test: MetricsSummary.optional(),
    baseline: z.object({ name: z.string(), test: MetricsSummary.optional(), heldOut: MetricsSummary.optional() }).optional(),
    /** AUC of the data generator's true probabilities on the same test rows: the ceiling for synthetic data. */
    ceiling: z.object({ auc: num, modelAuc: num, n: num, source: z.string() }).optional(),
  }).passthrough(),
  /** Training score distribution (calibration hold-out): decile edges and shares, for PSI. */
  scoreDistribution: z.object({ edges: z.array(num), shares: z.array(num) }),
});
export type Manifest = z.infer<typeof Manifest>;
