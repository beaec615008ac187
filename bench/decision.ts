// Cost of a decision, stage by stage, on generated histories with the bundled model:
// features, rules, decide(), scoreOne (fast path, with reasons), scoreMany (one batch).
//   npm run bench:decision [-- --loans 2000 --rounds 5]
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadScoringModel, readPolicy, readRuleSet } from '../src/engine-files.js';
import { computeFeatures } from '../src/domain/features/index.js';
import { dateToDay, localToInstant } from '../src/domain/history/calendar.js';
import { createScorer } from '../src/scoring/feature-engine.js';
import { generatePortfolio } from '../src/synth/portfolio.js';

const { values } = parseArgs({ options: { loans: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '5' }, model: { type: 'string', default: 'models/default' } } });
const n = Number(values.loans);
const rounds = Number(values.rounds);
const histories = [...generatePortfolio({ seed: 3, start: '2025-01-01', months: 12, paths: 0 }, n)].map((l) => l.history);
const asOf = localToInstant(dateToDay('2025-10-01'), 0, 'Asia/Shanghai') - 1;
const { model, featureConfig } = await loadScoringModel(values.model);
const scorer = createScorer({ model, featureConfig, ruleSet: await readRuleSet('config/rules/default.json'), policy: await readPolicy('config/policy/default.json') });
const prepared = histories.map((h) => scorer.prepare(h, asOf));
const pds = await scorer.predict(prepared);

/** Median over rounds of µs per loan. */
function time(label: string, run: () => void): [string, number] {
  const samples: number[] = [];
  run();
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    run();
    samples.push(((performance.now() - t0) * 1000) / n);
  }
  samples.sort((a, b) => a - b);
  return [label, Math.round(samples[samples.length >> 1]! * 100) / 100];
}

const results = Object.fromEntries([
  time('features (computeFeatures)', () => histories.forEach((h) => computeFeatures(h, asOf, featureConfig))),
  time('rules (16 default rules)', () => prepared.forEach((p) => scorer.rules(p))),
  time('rules + decide (finish, no reasons)', () => prepared.forEach((p, i) => scorer.finish(p, pds[i]!, { explain: false }))),
  time('scoreOne (features + model + rules + decide + reasons)', () => histories.forEach((h) => scorer.scoreOne(h, asOf))),
]);
const t0 = performance.now();
await scorer.scoreMany(histories, asOf);
results['scoreMany (one batch)'] = Math.round((((performance.now() - t0) * 1000) / n) * 100) / 100;
const out = { loans: n, rounds, model: scorer.versions.model, backend: model.info.backend, node: process.version, microsecondsPerLoan: results };
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/decision.json', `${JSON.stringify(out, null, 2)}\n`);
console.log(JSON.stringify(out, null, 2));
