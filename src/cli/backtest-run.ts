// The backtest run shared by the `ews backtest` command and its worker threads: load the rule set,
// the policy and the model, build the scoring pipeline, replay a shard of the portfolio.
import type { Policy } from '../domain/decision/policy.js';
import type { FeatureConfig } from '../domain/features/index.js';
import type { LoanHistory } from '../domain/history/schema.js';
import type { RuleSet } from '../domain/rules/schema.js';
import { replay, type BacktestOptions, type LoanOutcome } from '../scoring/backtest.js';
import type { ScoringPipeline } from '../scoring/create-scorer.js';
import { createScorer } from '../scoring/feature-engine.js';
import type { RiskModel } from '../scoring/ports.js';
import { readPolicy, readRuleSet } from '../engine-files.js';

export interface ScoringModel {
  readonly model: RiskModel;
  readonly featureConfig: FeatureConfig;
}

export type ModelLoader = (dir: string) => Promise<ScoringModel>;

export interface BacktestSetup {
  readonly modelDir: string;
  readonly rulesFile: string | undefined;
  readonly policyFile: string | undefined;
}

export interface Loaded {
  readonly pipeline: ScoringPipeline;
  readonly policy: Policy;
  readonly ruleSet: RuleSet;
  readonly model: RiskModel;
}

export async function load(setup: BacktestSetup, loadModel: ModelLoader): Promise<Loaded> {
  const [ruleSet, policy] = await Promise.all([readRuleSet(setup.rulesFile), readPolicy(setup.policyFile)]);
  const { model, featureConfig } = await loadModel(setup.modelDir);
  return { pipeline: createScorer({ model, featureConfig, ruleSet, policy }), policy, ruleSet, model };
}

export async function replayShard(loaded: Loaded, histories: readonly LoanHistory[], options: BacktestOptions): Promise<LoanOutcome[]> {
  return await replay(histories, loaded.pipeline, loaded.policy, options);
}

/** What the command sends a worker thread, and what comes back. */
export interface WorkerInput {
  readonly setup: BacktestSetup;
  readonly historiesFile: string;
  readonly shard: number;
  readonly workers: number;
  readonly options: { readonly fromDay: number; readonly toDay: number; readonly stepDays: number };
}

export type WorkerMessage = { kind: 'day'; day: number } | { kind: 'done'; outcomes: LoanOutcome[] } | { kind: 'error'; message: string };
