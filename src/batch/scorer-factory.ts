// The one place a batch run (in-process or in a worker thread) gets its Scorer from. The spec is
// plain data so that every worker builds the same scorer as the main thread would.
import { readFileSync } from 'node:fs';
import { parsePolicy } from '../domain/decision/policy.js';
import { FeatureConfig, featureSetVersion } from '../domain/features/index.js';
import { parseRuleSet } from '../domain/rules/load.js';
import { loadRiskModel } from '../model/load.js';
import { createScorer } from '../scoring/feature-engine.js';
import type { Scorer } from '../scoring/scorer.js';
import { createFixtureScorer } from './fixture-scorer.js';

export type ScorerSpec =
  | { readonly kind: 'fixture' }
  | { readonly kind: 'engine'; readonly modelDir: string; readonly rulesFile: string; readonly policyFile: string };

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the ${what} ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not JSON (${(error as Error).message})`, { cause: error });
  }
}

export async function buildScorer(spec: ScorerSpec): Promise<Scorer> {
  switch (spec.kind) {
    case 'fixture':
      return createFixtureScorer();
    case 'engine': {
      const model = await loadRiskModel(spec.modelDir, { featureSetVersion: (c) => featureSetVersion(FeatureConfig.parse(c)) });
      return createScorer({
        model,
        featureConfig: FeatureConfig.parse(model.manifest.featureConfig),
        ruleSet: parseRuleSet(readJson(spec.rulesFile, 'rule set'), spec.rulesFile),
        policy: parsePolicy(readJson(spec.policyFile, 'policy'), spec.policyFile),
      });
    }
  }
}
