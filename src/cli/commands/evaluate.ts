import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FeatureConfig } from '../../domain/features/index.js';
import { groupsOf, readSnapshots, readSplit, snapshotMatrix, subset } from '../../model/dataset.js';
import { evaluateScores, headline } from '../../model/evaluation.js';
import { loadRiskModel } from '../../model/load.js';
import { renderReport } from '../../model/report.js';
import { parseFlags, requireFlag } from '../args.js';
import { EXIT, UsageError, type Command } from '../command.js';
import { table } from '../output.js';

export const evaluate: Command = {
  name: 'evaluate',
  usage: 'ews evaluate --model <dir> --snapshots <ndjson> [--split <csv>] [--report <dir>] [--json]',
  async run(argv, out) {
    const { values } = parseFlags(argv, { model: { type: 'string' }, snapshots: { type: 'string' }, split: { type: 'string' }, report: { type: 'string' }, json: { type: 'boolean' } });
    const dir = requireFlag(values.model, 'model');
    const file = requireFlag(values.snapshots, 'snapshots');
    const model = await loadRiskModel(dir);
    const config = FeatureConfig.parse(model.manifest.featureConfig);
    const data = await readSnapshots(file);
    for (const p of data.problems.slice(0, 20)) out.error(`${file} line ${p.line}: ${p.message}`);
    let rows = data.snapshots.map((_, i) => i);
    if (values.split !== undefined) {
      const split = await readSplit(values.split);
      if (split.length !== data.rows) throw new UsageError(`${values.split} has ${split.length} rows but ${file} has ${data.rows}`);
      rows = rows.filter((i) => split[data.rowIndex[i]!] === 'test');
    }
    if (rows.length === 0) throw new UsageError('no labelled rows to evaluate');
    const snapshots = rows.map((i) => data.snapshots[i]!);
    const matrix = subset(snapshotMatrix(data.snapshots, config), rows);
    const pd = await model.predictBatch(matrix.x, matrix.n);
    const evaluation = evaluateScores(pd, matrix.y, groupsOf(snapshots), model.manifest);
    if (values.report !== undefined) {
      await mkdir(values.report, { recursive: true });
      await writeFile(join(values.report, 'index.html'), renderReport(evaluation, `Evaluation of ${model.manifest.name} on ${file}${values.split ? ' (test rows)' : ''}`));
    }
    if (values.json) {
      out.json({ ...headline(evaluation), psi: evaluation.psi, meanPd: evaluation.meanPd, observedRate: evaluation.observedRate, model: evaluation.model, deciles: evaluation.deciles, calibration: evaluation.calibration, byOccupation: evaluation.byOccupation, byAgeBand: evaluation.byAgeBand });
    } else {
      out.line(`${model.manifest.version} on ${evaluation.n} rows (${evaluation.positives} positive)`);
      out.line(table([
        ['AUC', 'CI95 low', 'CI95 high', 'Gini', 'KS', 'Brier', 'ECE', 'log loss', 'PSI'],
        [evaluation.auc, evaluation.aucCi95[0], evaluation.aucCi95[1], evaluation.gini, evaluation.ks, evaluation.brier, evaluation.ece, evaluation.logLoss, evaluation.psi],
      ].map((r) => r.map((c) => (typeof c === 'number' ? Number(c.toFixed(4)) : c)))));
      if (values.report !== undefined) out.line(`report: ${join(values.report, 'index.html')}`);
    }
    return data.problems.length === 0 ? EXIT.ok : EXIT.partial;
  },
};
