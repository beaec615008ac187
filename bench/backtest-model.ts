// Trains the synthetic model the backtest runs when no bundled model fits the synthetic portfolio:
// a training portfolio (its own seed and an earlier period than the backtest's out-of-time
// portfolio), labelled snapshots every 14 days built like scoring, then `trainAndSave`.
//   npm run bench:backtest-model -- [--loans 8000] [--seed 1] [--start 2024-01-01] [--months 12] [--out tmp/models/synthetic]
import { parseArgs } from 'node:util';
import { EMPTY_FEATURE_CONFIG } from '../src/domain/features/index.js';
import { parseInstant } from '../src/domain/history/calendar.js';
import { trainAndSave } from '../src/model/pipeline.js';
import { buildSnapshotSet, latestInstant, snapshotsToMatrix } from '../src/scoring/training-set.js';
import { generatePortfolio } from '../src/synth/portfolio.js';

const { values } = parseArgs({
  options: {
    loans: { type: 'string', default: '8000' },
    seed: { type: 'string', default: '1' },
    start: { type: 'string', default: '2024-01-01' },
    months: { type: 'string', default: '12' },
    every: { type: 'string', default: '14' },
    architecture: { type: 'string', default: 'mlp' },
    out: { type: 'string', default: 'tmp/models/synthetic' },
  },
});
const spec = { seed: Number(values.seed), start: values.start, months: Number(values.months), horizonDays: 60, paths: 0 };
const t0 = performance.now();
const histories = [...generatePortfolio(spec, Number(values.loans))].map((l) => l.history);
const observedUntil = latestInstant(histories);
const set = buildSnapshotSet(histories, { everyDays: Number(values.every), horizonDays: 60, observedUntil });
const m = snapshotsToMatrix(set.snapshots, EMPTY_FEATURE_CONFIG);
console.error(`${histories.length} loans, ${set.stats.snapshots} snapshots (${set.stats.positives} positive, ${set.stats.censored} censored) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const outcome = await trainAndSave(
  {
    name: 'synthetic-backtest',
    out: values.out,
    train: { x: m.X, y: Uint8Array.from(m.y), n: m.n, d: m.d, names: m.featureNames, version: m.featureSetVersion },
    featureConfig: EMPTY_FEATURE_CONFIG,
    architecture: values.architecture === 'logistic' ? 'logistic' : 'mlp',
    hyperParams: { seed: spec.seed },
    baseline: false,
    label: { definition: 'legal referral or DPD reaching the contract maximum in (asOf, asOf + 60 days]', horizonDays: 60 },
    source: `ews generate --loans ${values.loans} --seed ${spec.seed} --start ${spec.start} --months ${spec.months} (snapshots every ${values.every} days, observed until ${new Date(observedUntil).toISOString()})`,
    sha256: 'generated in memory',
    split: 'none (held-out parts of the training portfolio only)',
  },
  (msg) => console.error(msg),
);
console.log(JSON.stringify({ out: values.out, seconds: Math.round((performance.now() - t0) / 100) / 10, metrics: outcome.manifest.metrics, observedUntil: parseInstant(new Date(observedUntil).toISOString()) }));
