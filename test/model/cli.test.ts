import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/cli/commands/evaluate.js';
import { importCommand } from '../../src/cli/commands/import.js';
import { train } from '../../src/cli/commands/train.js';
import { capture } from '../../src/cli/output.js';
import { Manifest } from '../../src/model/manifest.js';
import { sharedFile } from '../support/shared-data.js';

const CSV = sharedFile('data/uci-taiwan/UCI_Credit_Card.csv');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ews-cli-'));
  const lines = (await readFile(CSV, 'utf8')).split('\n');
  await writeFile(join(dir, 'tw.csv'), lines.slice(0, 2001).join('\n'));
  const split = ['row_index,id,label,split', ...Array.from({ length: 2000 }, (_, i) => `${i},${i + 1},0,${i % 5 === 0 ? 'test' : 'train'}`)];
  await writeFile(join(dir, 'split.csv'), split.join('\n'));
  const config = JSON.parse(await readFile('config/models/uci-taiwan.json', 'utf8')) as Record<string, unknown>;
  config['hyperParams'] = { members: 1, maxEpochs: 4, hidden: [8] };
  await writeFile(join(dir, 'config.json'), JSON.stringify(config));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('ews import / train / evaluate', () => {
  it('runs end to end on a slice of the Taiwan file', async () => {
    const out = capture();
    expect(await importCommand.run(['uci-taiwan', join(dir, 'tw.csv'), '--out', join(dir, 'tw.ndjson')], out)).toBe(0);
    expect(out.stdout.join('\n')).toMatch(/2000 rows, 2000 snapshots written/);

    const model = join(dir, 'models', 'tw');
    const t = capture();
    expect(await train.run(['--snapshots', join(dir, 'tw.ndjson'), '--split', join(dir, 'split.csv'), '--config', join(dir, 'config.json'), '--out', model, '--json', '--quiet'], t)).toBe(0);
    const trained = JSON.parse(t.stdout[0]!) as { version: string; test: { n: number }; baseline: { name: string } };
    expect(trained.test.n).toBe(400);
    expect(trained.baseline.name).toBe('logistic');
    for (const f of ['model.json', 'weights.bin', 'manifest.json', 'MODEL_CARD.md']) expect(existsSync(join(model, f)), f).toBe(true);
    const manifest = Manifest.parse(JSON.parse(await readFile(join(model, 'manifest.json'), 'utf8')));
    expect(manifest.version).toBe(trained.version);
    expect(manifest.featureNames).toContain('attr_EDUCATION=2');
    expect(manifest.trainingData.rows).toBe(1600);
    const card = await readFile(join(model, 'MODEL_CARD.md'), 'utf8');
    expect(card).toMatch(/## Intended use/);
    expect(card).toMatch(/By age band/);

    const e = capture();
    expect(await evaluate.run(['--model', model, '--snapshots', join(dir, 'tw.ndjson'), '--split', join(dir, 'split.csv'), '--json', '--report', join(dir, 'report')], e)).toBe(0);
    const result = JSON.parse(e.stdout[0]!) as Record<string, unknown>;
    expect(result).toMatchObject({ n: 400, positives: manifest.metrics.test!.positives });
    for (const key of ['auc', 'ks', 'brier', 'ece', 'gini', 'logLoss', 'psi']) expect(typeof result[key], key).toBe('number');
    expect(result['aucCi95']).toHaveLength(2);
    expect(result['auc']).toBeCloseTo(manifest.metrics.test!.auc, 6);
    const html = await readFile(join(dir, 'report', 'index.html'), 'utf8');
    expect(html.match(/<svg/g)).toHaveLength(3);
  });

  it('explains bad invocations', async () => {
    await expect(train.run(['--snapshots', 'x.ndjson'], capture())).rejects.toThrow(/missing required flag --out/);
    await expect(importCommand.run(['nope', 'x.csv', '--out', 'y'], capture())).rejects.toThrow(/expected a source: uci-taiwan/);
  });
});
