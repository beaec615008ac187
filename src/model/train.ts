// Training on a feature matrix: positive-class weighting, Adam with L2, early stopping that keeps
// the best epoch, and a few seeded members averaged into one network. Two ways to get calibration
// data: 'slice' (seeded stratified hold-outs: validation for early stopping, a separate part for
// calibration, normalisation from the fit rows only) or 'cross-fit' (member m trains on every fold
// but m and stops early on fold m, so every training row gets an out-of-fold log-odds and the
// calibration is fitted on all of them). The same seed gives byte-identical weights.
import type * as TF from '@tensorflow/tfjs';
import { calibratedPd, fitBeta, fitIsotonic, fitPlatt, sigmoid, type Calibration } from './calibration.js';
import { createFastModel } from './forward.js';
import { mergeMembers, type Network } from './network.js';
import { fitNormalisation, normaliseRows, type Normalisation } from './normalise.js';
import { auc, logLoss } from './metrics.js';
import { permutation, seededRng, type Rng } from './rng.js';
import { fromTfModel, loadTf, type Tf } from './tf.js';

export interface HyperParams {
  /** Hidden layer widths; [] is logistic regression. */
  readonly hidden: readonly number[];
  readonly l2: number;
  readonly learningRate: number;
  readonly batchSize: number;
  readonly maxEpochs: number;
  readonly patience: number;
  /** Seeded members whose log-odds are averaged. */
  readonly members: number;
  /** Weight of a positive row in the loss: a number, or 'sqrt' = sqrt(neg/pos). Calibration undoes the shift. */
  readonly positiveWeight: number | 'sqrt' | 'balanced';
  readonly validationFraction: number;
  readonly calibrationFraction: number;
  readonly calibration: 'platt' | 'beta' | 'isotonic';
  /** Where calibration rows come from: a held-out slice, or out-of-fold log-odds with one fold per member. */
  readonly calibrationData: 'slice' | 'cross-fit';
  readonly seed: number;
}

export const MLP_DEFAULTS: HyperParams = {
  hidden: [32],
  l2: 1e-4,
  learningRate: 2e-3,
  batchSize: 256,
  maxEpochs: 60,
  patience: 6,
  members: 5,
  positiveWeight: 'sqrt',
  validationFraction: 0.15,
  calibrationFraction: 0.15,
  calibration: 'beta',
  calibrationData: 'slice',
  seed: 20260601,
};

export const LOGISTIC_DEFAULTS: HyperParams = { ...MLP_DEFAULTS, hidden: [], members: 1, l2: 1e-5, learningRate: 1e-2 };

export interface TrainedModel {
  readonly network: Network;
  readonly normalisation: Normalisation;
  readonly calibration: Calibration;
  /** The reference borrower for attributions: per-feature median of the training rows. */
  readonly reference: number[];
  readonly backend: string;
  readonly hyperParams: HyperParams;
  readonly epochs: number[];
  /** Rows per part; under cross-fit, fit and validation are per member (its training folds, its own fold). */
  readonly rows: { readonly fit: number; readonly validation: number; readonly calibration: number };
  readonly validation: { readonly auc: number; readonly logLoss: number };
  /** Calibrated PDs of the calibration rows (out-of-fold under cross-fit): the training score distribution kept for PSI. */
  readonly heldOutPd: Float32Array;
  readonly heldOutLabels: Uint8Array;
}

export type TrainLog = (message: string) => void;

/** Splits indices into fit / validation / calibration, stratified by label. */
export function stratifiedSplit(y: ArrayLike<number>, fractions: [number, number], rng: Rng): { fit: number[]; validation: number[]; calibration: number[] } {
  const out = { fit: [] as number[], validation: [] as number[], calibration: [] as number[] };
  for (const cls of [0, 1]) {
    const idx: number[] = [];
    for (let i = 0; i < y.length; i++) if ((y[i]! > 0.5 ? 1 : 0) === cls) idx.push(i);
    const perm = permutation(idx.length, rng);
    const nVal = Math.round(idx.length * fractions[0]);
    const nCal = Math.round(idx.length * fractions[1]);
    perm.forEach((p, k) => (k < nVal ? out.validation : k < nVal + nCal ? out.calibration : out.fit).push(idx[p]!));
  }
  for (const part of Object.values(out)) part.sort((a, b) => a - b);
  return out;
}

/** Assigns every row to one of k folds, stratified by label. */
export function stratifiedFolds(y: ArrayLike<number>, k: number, rng: Rng): Uint8Array {
  const fold = new Uint8Array(y.length);
  for (const cls of [0, 1]) {
    const idx: number[] = [];
    for (let i = 0; i < y.length; i++) if ((y[i]! > 0.5 ? 1 : 0) === cls) idx.push(i);
    const perm = permutation(idx.length, rng);
    perm.forEach((p, r) => (fold[idx[p]!] = r % k));
  }
  return fold;
}

function gatherRows(x: Float32Array, d: number, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * d);
  for (let k = 0; k < rows.length; k++) out.set(x.subarray(rows[k]! * d, rows[k]! * d + d), k * d);
  return out;
}

function median(values: Float64Array): number {
  const s = values.slice().sort();
  const n = s.length;
  if (n === 0) return 0;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

const IDENTITY_NORM = (d: number): Normalisation => ({ transform: new Array(d).fill('none'), mean: new Array(d).fill(0), std: new Array(d).fill(1), clip: Infinity });

function buildMember(tf: Tf, d: number, hp: HyperParams, seed: number): TF.Sequential {
  const model = tf.sequential();
  const widths = [...hp.hidden, 1];
  widths.forEach((units, k) => {
    const last = k === widths.length - 1;
    model.add(tf.layers.dense({
      units,
      activation: last ? 'linear' : 'relu',
      kernelInitializer: last && hp.hidden.length === 0 ? tf.initializers.zeros() : tf.initializers.glorotUniform({ seed: seed + k }),
      biasInitializer: tf.initializers.zeros(),
      kernelRegularizer: hp.l2 > 0 ? tf.regularizers.l2({ l2: hp.l2 }) : undefined,
      ...(k === 0 ? { inputShape: [d] } : {}),
    }));
  });
  return model;
}

function positiveWeight(hp: HyperParams, y: ArrayLike<number>, rows: readonly number[]): number {
  if (typeof hp.positiveWeight === 'number') return hp.positiveWeight;
  let pos = 0;
  for (const r of rows) pos += y[r]! > 0.5 ? 1 : 0;
  const ratio = (rows.length - pos) / Math.max(pos, 1);
  return hp.positiveWeight === 'balanced' ? ratio : Math.sqrt(ratio);
}

/** Trains one member with early stopping on validation log loss; returns the best epoch's network. */
async function trainMember(tf: Tf, z: Float32Array, y: Uint8Array, d: number, fit: readonly number[], valZ: Float32Array, valY: Uint8Array, hp: HyperParams, member: number, log: TrainLog): Promise<{ network: Network; epochs: number }> {
  const seed = hp.seed + 1009 * member;
  const rng = seededRng(seed);
  const model = buildMember(tf, d, hp, seed);
  const pw = positiveWeight(hp, y, fit);
  model.compile({
    optimizer: tf.train.adam(hp.learningRate),
    loss: (yTrue: TF.Tensor, yPred: TF.Tensor) => tf.losses.sigmoidCrossEntropy(yTrue, yPred, yTrue.mul(pw - 1).add(1)),
  });
  const identity = IDENTITY_NORM(d);
  const nVal = valY.length;
  let best = { loss: Infinity, network: fromTfModel(model), epoch: 0 };
  const xs = new Float32Array(fit.length * d);
  const ys = new Float32Array(fit.length);
  for (let epoch = 1; epoch <= hp.maxEpochs; epoch++) {
    const perm = permutation(fit.length, rng);
    for (let k = 0; k < fit.length; k++) {
      const r = fit[perm[k]!]!;
      xs.set(z.subarray(r * d, r * d + d), k * d);
      ys[k] = y[r]!;
    }
    const xt = tf.tensor2d(xs, [fit.length, d]);
    const yt = tf.tensor2d(ys, [fit.length, 1]);
    await model.fit(xt, yt, { epochs: 1, batchSize: hp.batchSize, shuffle: false, verbose: 0 });
    xt.dispose();
    yt.dispose();
    const network = fromTfModel(model);
    const pd = createFastModel(network, identity, { method: 'none' }, new Array(d).fill(0)).pdBatch(valZ, nVal);
    const loss = logLoss(pd, valY);
    if (loss < best.loss - 1e-6) best = { loss, network, epoch };
    else if (epoch - best.epoch >= hp.patience) break;
  }
  log(`member ${member + 1}/${hp.members}: best epoch ${best.epoch}, validation log loss ${best.loss.toFixed(5)}`);
  model.dispose();
  return { network: best.network, epochs: best.epoch };
}

export interface Members {
  readonly network: Network;
  readonly normalisation: Normalisation;
  readonly epochs: number[];
  readonly rows: TrainedModel['rows'];
  /** Raw log-odds and labels of the rows calibration is fitted on. */
  readonly calLogits: Float64Array;
  readonly calY: Uint8Array;
  /** Uncalibrated PDs and labels of the early-stopping rows. */
  readonly valPd: Float32Array;
  readonly valY: Uint8Array;
}

const rawFast = (net: Network, d: number) => createFastModel(net, IDENTITY_NORM(d), { method: 'none' }, new Array(d).fill(0));

function logitsOf(net: Network, z: Float32Array, d: number, rows: readonly number[]): Float64Array {
  const fast = rawFast(net, d);
  return Float64Array.from(rows, (r) => fast.rawLogit(z.subarray(r * d, r * d + d)));
}

/** Slice scheme: members fit on 70%, stop early on a 15% slice, calibration uses the other 15%. */
async function sliceMembers(tf: Tf, x: Float32Array, y: Uint8Array, d: number, hp: HyperParams, log: TrainLog): Promise<Members> {
  const n = y.length;
  const split = stratifiedSplit(y, [hp.validationFraction, hp.calibrationFraction], seededRng(hp.seed));
  const normalisation = fitNormalisation(gatherRows(x, d, split.fit), split.fit.length, d);
  const z = normaliseRows(normalisation, x, n, d);
  const valZ = gatherRows(z, d, split.validation);
  const valY = Uint8Array.from(split.validation, (r) => y[r]!);
  const members: Network[] = [];
  const epochs: number[] = [];
  for (let m = 0; m < hp.members; m++) {
    const trained = await trainMember(tf, z, y, d, split.fit, valZ, valY, hp, m, log);
    members.push(trained.network);
    epochs.push(trained.epochs);
  }
  const network = mergeMembers(members);
  return {
    network,
    normalisation,
    epochs,
    rows: { fit: split.fit.length, validation: split.validation.length, calibration: split.calibration.length },
    calLogits: logitsOf(network, z, d, split.calibration),
    calY: Uint8Array.from(split.calibration, (r) => y[r]!),
    valPd: rawFast(network, d).pdBatch(valZ, valY.length),
    valY,
  };
}

/**
 * Cross-fit scheme: one stratified fold per member; member m fits on the other folds and stops
 * early on fold m, whose rows then get member m's log-odds. Calibration is fitted on these
 * out-of-fold log-odds of every training row. The normalisation (label-free) uses all rows.
 */
async function crossFitMembers(tf: Tf, x: Float32Array, y: Uint8Array, d: number, hp: HyperParams, log: TrainLog): Promise<Members> {
  const n = y.length;
  const k = hp.members;
  if (k < 2) throw new Error('cross-fit calibration needs at least 2 members (one fold each)');
  const fold = stratifiedFolds(y, k, seededRng(hp.seed));
  const normalisation = fitNormalisation(x, n, d);
  const z = normaliseRows(normalisation, x, n, d);
  const members: Network[] = [];
  const epochs: number[] = [];
  const oof = new Float64Array(n);
  let fitRows = 0;
  for (let m = 0; m < k; m++) {
    const fit: number[] = [];
    const own: number[] = [];
    for (let i = 0; i < n; i++) (fold[i] === m ? own : fit).push(i);
    const ownY = Uint8Array.from(own, (r) => y[r]!);
    const trained = await trainMember(tf, z, y, d, fit, gatherRows(z, d, own), ownY, hp, m, log);
    members.push(trained.network);
    epochs.push(trained.epochs);
    logitsOf(trained.network, z, d, own).forEach((v, j) => (oof[own[j]!] = v));
    fitRows = fit.length;
  }
  return {
    network: mergeMembers(members),
    normalisation,
    epochs,
    rows: { fit: fitRows, validation: n - fitRows, calibration: n },
    calLogits: oof,
    calY: y.slice(),
    valPd: Float32Array.from(oof, sigmoid),
    valY: y.slice(),
  };
}

/** The network and the rows its calibration is fitted on, by the hyper-parameters' calibration scheme. */
export async function trainMembers(x: Float32Array, y: Uint8Array, d: number, hp: HyperParams, log: TrainLog = () => undefined): Promise<Members> {
  const { tf } = await loadTf();
  return hp.calibrationData === 'cross-fit' ? crossFitMembers(tf, x, y, d, hp, log) : sliceMembers(tf, x, y, d, hp, log);
}

export function fitCalibration(method: HyperParams['calibration'], z: ArrayLike<number>, y: ArrayLike<number>): Calibration {
  return method === 'isotonic' ? fitIsotonic(z, y) : method === 'beta' ? fitBeta(z, y) : fitPlatt(z, y);
}

/** Trains on n rows × d features (raw, un-normalised) with 0/1 labels. */
export async function trainModel(x: Float32Array, y: Uint8Array, d: number, hp: HyperParams, log: TrainLog = () => undefined): Promise<TrainedModel> {
  const n = y.length;
  if (x.length !== n * d) throw new Error(`feature matrix has ${x.length} values, expected ${n} rows × ${d} features`);
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i]!;
  if (positives === 0 || positives === n) throw new Error(`training needs both classes; got ${positives} positives in ${n} rows`);
  const { backend } = await loadTf();
  const parts = await trainMembers(x, y, d, hp, log);
  const calibration = fitCalibration(hp.calibration, parts.calLogits, parts.calY);
  const reference: number[] = [];
  const column = new Float64Array(n);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < n; i++) column[i] = x[i * d + j]!;
    reference.push(median(column));
  }
  return {
    network: parts.network,
    normalisation: parts.normalisation,
    calibration,
    reference,
    backend,
    hyperParams: hp,
    epochs: parts.epochs,
    rows: parts.rows,
    validation: { auc: auc(parts.valPd, parts.valY), logLoss: logLoss(parts.valPd, parts.valY) },
    heldOutPd: Float32Array.from(parts.calLogits, (v) => calibratedPd(calibration, v)),
    heldOutLabels: parts.calY,
  };
}
