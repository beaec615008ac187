// The scoring engine's versioned artefacts on disk: a model directory (with the feature configuration
// it was trained on), the rule set and the policy. The service, the batch workers, the backtest and
// the benchmarks all load the engine through here, so they cannot score with different pieces.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parsePolicy, type Policy } from './domain/decision/policy.js';
import { FeatureConfig, featureSetVersion } from './domain/features/index.js';
import { parseRuleSet, type RuleSetOptions } from './domain/rules/load.js';
import type { RuleSet } from './domain/rules/schema.js';
import { loadRiskModel, type LoadedRiskModel } from './model/load.js';
import { createScorer } from './scoring/feature-engine.js';
import type { Scorer } from './scoring/scorer.js';

/** The shipped defaults, resolved from the package root (works from src/ and dist/). */
export const DEFAULT_RULES_FILE = fileURLToPath(new URL('../config/rules/default.json', import.meta.url));
export const DEFAULT_POLICY_FILE = fileURLToPath(new URL('../config/policy/default.json', import.meta.url));

async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the ${what} ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not JSON (${(error as Error).message})`, { cause: error });
  }
}

/** A bad file fails naming the file, the rule and the path at fault. */
export async function readRuleSet(file: string = DEFAULT_RULES_FILE, options: RuleSetOptions = {}): Promise<RuleSet> {
  return parseRuleSet(await readJson(file, 'rule set'), file, options);
}

export async function readPolicy(file: string = DEFAULT_POLICY_FILE): Promise<Policy> {
  return parsePolicy(await readJson(file, 'policy'), file);
}

export interface ScoringModel {
  readonly model: LoadedRiskModel;
  /** The configuration the model was trained with, so the scorer computes exactly its features. */
  readonly featureConfig: FeatureConfig;
}

/** A model directory; refuses a model whose feature-set version differs from this code's. */
export async function loadScoringModel(dir: string): Promise<ScoringModel> {
  const model = await loadRiskModel(dir, { featureSetVersion: (config) => featureSetVersion(FeatureConfig.parse(config ?? {})) });
  return { model, featureConfig: FeatureConfig.parse(model.manifest.featureConfig ?? {}) };
}

export interface EngineFiles {
  readonly modelDir: string;
  readonly rulesFile?: string;
  readonly policyFile?: string;
}

export interface Engine extends ScoringModel {
  readonly scorer: Scorer;
  readonly ruleSet: RuleSet;
  readonly policy: Policy;
}

/** Model + rule set + policy -> the Scorer every path uses. */
export async function loadEngine(files: EngineFiles): Promise<Engine> {
  const [loaded, ruleSet, policy] = await Promise.all([loadScoringModel(files.modelDir), readRuleSet(files.rulesFile), readPolicy(files.policyFile)]);
  const scorer = createScorer({ model: loaded.model, featureConfig: loaded.featureConfig, ruleSet, policy });
  return { ...loaded, scorer, ruleSet, policy };
}
