// Model choices on the TRAINING rows only: the train split is cut again (stratified, seeded) into a
// part A that a candidate trains on and a part B it is judged on, for every candidate and seed.
// Test rows are never read (Taiwan: split.csv 'test' rows dropped; synthetic: the time-based test
// side dropped), so nothing here can tune on test.
// Usage (after npm run bench:model builds dist/.bench):
//   node dist/.bench/bench/model-select.js calibration --snapshots data/uci-taiwan/snapshots.ndjson \
//     --split ../shared/data/uci-taiwan/split.csv --config config/models/uci-taiwan.json [--seeds 1,2]
//   node dist/.bench/bench/model-select.js size --histories data/synth/histories.ndjson --every 14 --horizon 60 [--seeds 1]
import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { readHistories } from '../src/history-files.js';
import { calibratedPd } from '../src/model/calibration.js';
import { historiesDataset, readSnapshots, readSplit, snapshotMatrix, subset, type Matrix } from '../src/model/dataset.js';
import { createFastModel } from '../src/model/forward.js';
import { auc, ece, logLoss } from '../src/model/metrics.js';
import { seededRng } from '../src/model/rng.js';
import { readTrainConfig } from '../src/model/train-config.js';
import { fitCalibration, MLP_DEFAULTS, stratifiedSplit, trainMembers, type HyperParams } from '../src/model/train.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { snapshots: { type: 'string' }, split: { type: 'string' }, histories: { type: 'string' }, every: { type: 'string' }, horizon: { type: 'string' }, config: { type: 'string' }, seeds: { type: 'string' } },
});
const mode = positionals[0];
if (mode !== 'calibration' && mode !== 'size' && mode !== 'ensemble') throw new Error('first argument: calibration | size | ensemble');

async function trainRows(): Promise<Matrix> {
  const config = await readTrainConfig(values.config);
  if (values.histories !== undefined) {
    const read = await readHistories(values.histories);
    return historiesDataset(read.histories, config.features, { everyDays: Number(values.every ?? 14), horizonDays: Number(values.horizon ?? 60) }).train;
  }
  const data = await readSnapshots(values.snapshots!);
  const m = snapshotMatrix(data.snapshots, config.features);
  if (values.split === undefined) return m;
  const split = await readSplit(values.split);
  return subset(m, data.snapshots.map((_, i) => i).filter((i) => split[data.rowIndex[i]!] === 'train'));
}

interface Candidate { readonly label: string; readonly hp: Partial<HyperParams>; readonly calibrations: ReadonlyArray<HyperParams['calibration']> }

const CALIBRATIONS = ['platt', 'beta', 'isotonic'] as const;
const ENSEMBLE: Candidate[] = [
  { label: 'cross-fit 5', hp: { calibrationData: 'cross-fit', members: 5 }, calibrations: ['isotonic'] },
  { label: 'cross-fit 10', hp: { calibrationData: 'cross-fit', members: 10 }, calibrations: ['isotonic'] },
  { label: 'cross-fit 5, lr 1e-3, patience 10', hp: { calibrationData: 'cross-fit', members: 5, learningRate: 1e-3, patience: 10 }, calibrations: ['isotonic'] },
];
const candidates: Candidate[] = mode === 'ensemble' ? ENSEMBLE : mode === 'calibration'
  ? [
    { label: 'slice', hp: { calibrationData: 'slice' }, calibrations: CALIBRATIONS },
    { label: 'cross-fit', hp: { calibrationData: 'cross-fit' }, calibrations: CALIBRATIONS },
  ]
  : [
    { label: '1x16 slice', hp: { members: 1, hidden: [16], batchSize: 1024, learningRate: 0.003, maxEpochs: 40 }, calibrations: ['platt'] },
    { label: '2x8 cross-fit', hp: { members: 2, hidden: [8], batchSize: 1024, learningRate: 0.003, maxEpochs: 40, calibrationData: 'cross-fit' }, calibrations: ['platt', 'isotonic'] },
  ];

const all = await trainRows();
const seeds = (values.seeds ?? '1').split(',').map(Number);
const results: Array<Record<string, unknown>> = [];
for (const seed of seeds) {
  const cut = stratifiedSplit(all.y, [0.2, 0], seededRng(seed));
  const a = subset(all, cut.fit);
  const b = subset(all, cut.validation);
  for (const c of candidates) {
    const hp: HyperParams = { ...MLP_DEFAULTS, ...c.hp };
    const t0 = performance.now();
    const parts = await trainMembers(a.x, a.y, a.d, hp);
    const seconds = (performance.now() - t0) / 1000;
    const raw = createFastModel(parts.network, parts.normalisation, { method: 'none' }, new Array(a.d).fill(0));
    const zB = Float64Array.from({ length: b.n }, (_, i) => raw.rawLogit(b.x.subarray(i * b.d, (i + 1) * b.d)));
    for (const method of c.calibrations) {
      const cal = fitCalibration(method, parts.calLogits, parts.calY);
      const pd = Float32Array.from(zB, (z) => calibratedPd(cal, z));
      const r = { seed, candidate: c.label, calibration: method, aRows: a.n, bRows: b.n, epochs: parts.epochs, seconds: Number(seconds.toFixed(1)), bAuc: auc(pd, b.y), bLogLoss: logLoss(pd, b.y), bEce: ece(pd, b.y) };
      results.push(r);
      console.log(JSON.stringify(r));
    }
  }
}
await mkdir('bench/results', { recursive: true });
await writeFile(`bench/results/model-select-${mode}.json`, `${JSON.stringify({ mode, source: values.snapshots ?? values.histories, seeds, results }, null, 2)}\n`);
