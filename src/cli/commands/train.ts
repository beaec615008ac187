import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { readHistories } from '../../history-files.js';
import { groupsOf, historiesDataset, readGroundTruth, readSnapshots, readSplit, snapshotMatrix, subset } from '../../model/dataset.js';
import { trainAndSave } from '../../model/pipeline.js';
import { readTrainConfig } from '../../model/train-config.js';
import { intFlag, parseFlags, requireFlag } from '../args.js';
import { EXIT, UsageError, type Command } from '../command.js';
import { table } from '../output.js';

async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export const train: Command = {
  name: 'train',
  usage: 'ews train (--snapshots <ndjson> [--split <csv>] | --histories <ndjson> [--every 7] [--horizon 60] [--truth <ground-truth.ndjson>]) [--config <json>] --out models/<name> [--seed N] [--json]',
  async run(argv, out) {
    const { values } = parseFlags(argv, {
      snapshots: { type: 'string' }, histories: { type: 'string' }, every: { type: 'string' }, horizon: { type: 'string' }, truth: { type: 'string' },
      split: { type: 'string' }, config: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean' }, quiet: { type: 'boolean' },
    });
    const target = requireFlag(values.out, 'out');
    if ((values.snapshots === undefined) === (values.histories === undefined)) throw new UsageError('give exactly one of --snapshots or --histories');
    const config = await readTrainConfig(values.config);
    const log = values.quiet ? () => undefined : (m: string) => out.error(m);
    const seed = values.seed === undefined ? undefined : intFlag(values.seed, 'seed', 0);
    const common = {
      name: basename(target),
      out: target,
      featureConfig: config.features,
      architecture: config.architecture,
      hyperParams: { ...config.hyperParams, ...(seed === undefined ? {} : { seed }) },
      baseline: true,
      card: config.card,
    };
    let outcome;
    let problems: number;
    if (values.histories !== undefined) {
      const file = values.histories;
      const everyDays = intFlag(values.every, 'every', 7, 1);
      const horizonDays = intFlag(values.horizon, 'horizon', 60, 1);
      const read = await readHistories(file);
      problems = read.bad.length;
      for (const p of read.bad.slice(0, 20)) out.error(`${file} line ${p.line}: ${p.message}`);
      if (read.histories.length === 0) throw new UsageError(`${file}: no valid loan histories`);
      const data = historiesDataset(read.histories, config.features, { everyDays, horizonDays });
      log(`${data.stats.loans} loans -> ${data.stats.snapshots} snapshots (${data.stats.positives} positive, ${data.stats.censored} censored); time split at ${new Date(data.cutoff).toISOString()}: train ${data.train.n} (${data.embargoed} embargoed), test ${data.test.n}`);
      let testTruth;
      if (values.truth !== undefined) {
        const truth = await readGroundTruth(values.truth);
        testTruth = { pd: Float64Array.from(data.testSnapshots, (s) => truth.get(`${s.history.loanId} ${s.asOf}`) ?? NaN), source: `generator ground truth ${basename(values.truth)}` };
      }
      outcome = await trainAndSave({
        ...common,
        train: data.train,
        test: data.test,
        testGroups: groupsOf(data.testSnapshots),
        label: { definition: config.label?.definition ?? 'Referral-grade delinquency: a legal referral, or DPD reaching the contract maximum, within the horizon (DOMAIN.md)', horizonDays },
        source: basename(file),
        sha256: await fileSha256(file),
        split: `time-based: loans starting before ${new Date(data.cutoff).toISOString()} train (${data.train.n} snapshots, label windows embargoed), later test (${data.test.n}); snapshots every ${everyDays} days, observed until ${new Date(data.observedUntil).toISOString()}`,
        ...(testTruth ? { testTruth } : {}),
      }, log);
    } else {
      const file = values.snapshots!;
      const data = await readSnapshots(file);
      problems = data.problems.length;
      for (const p of data.problems.slice(0, 20)) out.error(`${file} line ${p.line}: ${p.message}`);
      if (data.snapshots.length === 0) throw new UsageError(`${file}: no labelled snapshots`);
      const matrix = snapshotMatrix(data.snapshots, config.features);
      let trainRows = data.snapshots.map((_, i) => i);
      let testRows: number[] = [];
      if (values.split !== undefined) {
        const split = await readSplit(values.split);
        if (split.length !== data.rows) throw new UsageError(`${values.split} has ${split.length} rows but ${file} has ${data.rows}`);
        trainRows = trainRows.filter((i) => split[data.rowIndex[i]!] === 'train');
        testRows = data.snapshots.map((_, i) => i).filter((i) => split[data.rowIndex[i]!] === 'test');
      }
      const horizons = new Set(data.snapshots.map((s) => s.horizonDays ?? 60));
      outcome = await trainAndSave({
        ...common,
        train: subset(matrix, trainRows),
        ...(testRows.length > 0 ? { test: subset(matrix, testRows), testGroups: groupsOf(testRows.map((i) => data.snapshots[i]!)) } : {}),
        label: { definition: config.label?.definition ?? 'label as given in the snapshots', horizonDays: config.label?.horizonDays ?? [...horizons][0]! },
        source: basename(file),
        sha256: await fileSha256(file),
        split: values.split === undefined ? 'none (held-out parts of the file only)' : `${basename(values.split)} (sha256 ${(await fileSha256(values.split)).slice(0, 16)}): train ${trainRows.length}, test ${testRows.length}`,
      }, log);
    }
    const m = outcome.manifest.metrics;
    if (values.json) {
      out.json({ version: outcome.manifest.version, test: m.test, heldOut: m.heldOut, baseline: m.baseline, ceiling: m.ceiling, backend: outcome.manifest.backend });
    } else {
      const rows: Array<Array<string | number>> = [['', 'AUC', 'KS', 'Brier', 'ECE']];
      const add = (label: string, x: typeof m.test) => x && rows.push([label, x.auc, x.ks, x.brier, x.ece]);
      add(`${outcome.manifest.architecture} test`, m.test);
      add(`${outcome.manifest.architecture} held-out`, m.heldOut);
      add('logistic test', m.baseline?.test);
      add('logistic held-out', m.baseline?.heldOut);
      out.line(`${outcome.manifest.version} (backend ${outcome.manifest.backend})`);
      out.line(table(rows));
      if (m.ceiling) out.line(`ceiling (true PDs) AUC ${m.ceiling.auc.toFixed(4)} vs model ${m.ceiling.modelAuc.toFixed(4)} on ${m.ceiling.n} test rows`);
    }
    return problems === 0 ? EXIT.ok : EXIT.partial;
  },
};
