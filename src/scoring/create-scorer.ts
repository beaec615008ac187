// The scoring use case: features -> model -> rules -> decide(). scoreOne runs the model's fast
// path; scoreMany goes row by row when the model gives batch PDs one row at a time (predictRow),
// else computes every vector first and calls the model once for the whole batch.
// The point-in-time timeline and ledger are built only when a rule, the contact guardrails or the
// evidence summary ask for them: most loans on most days need neither.
import { contactStateAt, contactStateOf } from '../domain/decision/contact.js';
import { decide } from '../domain/decision/decide.js';
import { evidenceAt, evidenceOf, evidenceSummary } from '../domain/decision/evidence.js';
import type { Policy } from '../domain/decision/policy.js';
import type { ModelReasonInput } from '../domain/decision/reasons.js';
import type { Decision, EvidenceSummary } from '../domain/decision/schema.js';
import { buildLedger, type Ledger } from '../domain/history/ledger.js';
import type { LoanHistory } from '../domain/history/schema.js';
import { buildTimeline, type Timeline } from '../domain/history/timeline.js';
import { evaluateRuleHits, evaluateRules, type FactSource, type RuleResult } from '../domain/rules/evaluate.js';
import { HistoryFactSource } from '../domain/rules/facts.js';
import type { RuleSet } from '../domain/rules/schema.js';
import type { FeatureVectorizer } from './features-port.js';
import type { RiskModel } from './ports.js';
import type { Scorer, ScoringVersions } from './scorer.js';

/** Reasons the model may contribute (the decision keeps at most four in all). */
const MAX_MODEL_REASONS = 4;

export interface ScorerParts {
  readonly model: RiskModel;
  readonly features: FeatureVectorizer;
  readonly ruleSet: RuleSet;
  readonly policy: Policy;
  /** PD -> points (higher is safer). */
  readonly points: (pd: number) => number;
}

export interface ScorerOptions {
  /** Skip model attributions (reasons come from rules only): the backtest needs steps, not prose. */
  readonly explain?: boolean;
}

/** A loan prepared for scoring: its feature vector, model row, and lazily its timeline and ledger. */
export class Prepared {
  private tl: Timeline | null = null;
  private led: Ledger | null = null;
  constructor(
    readonly history: LoanHistory,
    readonly asOf: number,
    /** Engine-order feature vector. */
    readonly vector: Float32Array,
    /** Model-order row. */
    readonly row: Float32Array,
  ) {}
  get timeline(): Timeline {
    return (this.tl ??= buildTimeline(this.history, this.asOf));
  }
  get ledger(): Ledger {
    return (this.led ??= buildLedger(this.timeline));
  }
  /**
   * Drops the timeline and ledger once the decision is made: scoreMany keeps a whole chunk of
   * Prepared alive until the last decision, and V8 pretenures allocation sites whose objects live
   * that long, which made every later timeline several times dearer to build.
   */
  get hasTimeline(): boolean {
    return this.tl !== null;
  }
  release(): void {
    this.tl = null;
    this.led = null;
  }
}

export interface ScoringPipeline extends Scorer {
  prepare(history: LoanHistory, asOf: number): Prepared;
  /** A feature's value for a prepared loan (undefined when the engine has no such feature). */
  feature(p: Prepared, name: string): number | undefined;
  rules(p: Prepared): RuleResult[];
  finish(p: Prepared, pd: number, options?: ScorerOptions): Decision;
  /** Batch inference over prepared rows. */
  predict(prepared: readonly Prepared[]): Promise<Float32Array>;
}

export function createScorerFrom(parts: ScorerParts): ScoringPipeline {
  const { model, features, ruleSet, policy } = parts;
  const index = new Map(features.names.map((n, i) => [n, i]));
  const missing = model.info.featureNames.filter((n) => !index.has(n));
  if (missing.length > 0) throw new Error(`model ${model.info.name}@${model.info.version} needs features the engine does not compute: ${missing.join(', ')}`);
  if (model.info.featureSetVersion !== features.version) {
    throw new Error(`model ${model.info.name}@${model.info.version} was trained on feature set ${model.info.featureSetVersion}, the engine computes ${features.version}`);
  }
  const toModel = Int32Array.from(model.info.featureNames, (n) => index.get(n)!);
  const width = toModel.length;
  const modelVersion = model.info.version.startsWith(`${model.info.name}@`) ? model.info.version : `${model.info.name}@${model.info.version}`;
  const versions: ScoringVersions = { model: modelVersion, featureSet: features.version, ruleSet: ruleSet.version, policy: policy.version };
  const keyFacts = new Map(ruleSet.rules.map((r) => [r.id, r.keyFact]));
  const arrangementIndex = index.get('arrangement_active');

  const prepare = (history: LoanHistory, asOf: number): Prepared => {
    const vector = features.vector(history, asOf);
    const row = new Float32Array(width);
    for (let j = 0; j < width; j++) row[j] = vector[toModel[j]!]!;
    return new Prepared(history, asOf, vector, row);
  };

  // One vector and one row reused by the loans scored and decided in one go (scoreOne, scoreMany row by
  // row): their Prepared never outlives finish, and a decision keeps numbers, not the arrays.
  const vectorInto = features.vectorInto;
  const scratchVector = new Float32Array(features.names.length);
  const scratchRow = new Float32Array(width);
  const prepareTransient = (history: LoanHistory, asOf: number): Prepared => {
    if (vectorInto === undefined) return prepare(history, asOf);
    vectorInto.call(features, history, asOf, scratchVector);
    for (let j = 0; j < width; j++) scratchRow[j] = scratchVector[toModel[j]!]!;
    return new Prepared(history, asOf, scratchVector, scratchRow);
  };

  const feature = (p: Prepared, name: string): number | undefined => {
    const i = index.get(name);
    return i === undefined ? undefined : p.vector[i];
  };

  // An agreed arrangement in force at asOf and not broken, as the ledger has it: the feature engine's
  // arrangement_active says the same (a pause in force is never a broken one; test/domain/features/
  // ledger-parity.test.ts), so neither the guardrail nor the rules' arrangement_kept fact has to build
  // the timeline and ledger for it (on 2,000 active bench loans the rules built them for 21 before, 2 after).
  const arrangementKept = (p: Prepared): number =>
    arrangementIndex !== undefined ? (p.vector[arrangementIndex] === 1 ? 1 : 0) : p.ledger.activePause !== null && !p.ledger.activePause.broken ? 1 : 0;

  // The fact source reads the timeline and ledger only if a rule asks for a history fact.
  // A Prepared is the HistoryView itself (its getters live on the prototype: an object literal with
  // getters per loan cost more than the rules it served).
  // One fact source, aimed at each loan in turn (scoring is synchronous: one loan at a time); it keeps
  // the last loan until the next, no longer.
  let current: Prepared | null = null;
  const lookup = (name: string): number | undefined => (name === 'arrangement_kept' ? arrangementKept(current!) : feature(current!, name));
  let facts: HistoryFactSource | null = null;
  const factsOf = (p: Prepared): FactSource => {
    current = p;
    return (facts ??= new HistoryFactSource(lookup, p)).over(p);
  };
  const rules = (p: Prepared): RuleResult[] => evaluateRules(ruleSet, factsOf(p));

  // Each model column's name and texts, looked up once rather than per reason.
  const columnText = model.info.featureNames.map((name) => ({ name, ...(features.describe(name) ?? { en: name, zh: name }) }));
  const attributions = (p: Prepared): ModelReasonInput[] => {
    const found = model.explain(p.row, MAX_MODEL_REASONS);
    const out: ModelReasonInput[] = [];
    for (const a of found) {
      const column = columnText[a.feature];
      const name = column?.name ?? `feature_${a.feature}`;
      out.push({ feature: name, contribution: a.contribution, value: p.row[a.feature] ?? Number.NaN, en: column?.en ?? name, zh: column?.zh ?? name });
    }
    return out;
  };

  // The legal review's evidence: off the feature scan when it still holds this loan (scoring one loan at
  // a time), else off the timeline built already (a rule read it), else a timeline of the ledger's events.
  const evidenceCounts = features.evidence;
  const evidence = (p: Prepared): EvidenceSummary => {
    const counts = evidenceCounts?.call(features, p.history, p.asOf);
    if (counts !== undefined) return evidenceSummary(counts, p.history.contract.maxOverdueDays, p.history.timeZone);
    return (p.hasTimeline ? null : evidenceAt(p.history, p.asOf)) ?? evidenceOf(p.timeline, p.ledger);
  };

  const finish = (p: Prepared, pd: number, options?: ScorerOptions): Decision => {
    // A decision shows hits and errors only: rules that do not hit are tested without a result.
    const ruleResults = evaluateRuleHits(ruleSet, factsOf(p));
    const kept = arrangementKept(p) === 1;
    const decision = decide(
      {
        loanId: p.history.loanId,
        asOf: p.asOf,
        zone: p.history.timeZone,
        horizonDays: model.info.horizonDays,
        pd,
        points: Math.round(parts.points(pd)),
        attributions: options?.explain === false ? [] : attributions(p),
        ruleResults,
        keyFacts,
        // Straight off the history in the usual case; the timeline when ids repeat or order is off.
        contact: () => contactStateAt(p.history, p.asOf) ?? contactStateOf(p.timeline),
        arrangementKept: kept,
        evidence: () => evidence(p),
        versions,
      },
      policy,
    );
    p.release();
    return decision;
  };

  const predict = async (prepared: readonly Prepared[]): Promise<Float32Array> => {
    if (prepared.length === 0) return new Float32Array(0);
    const rows = new Float32Array(prepared.length * width);
    prepared.forEach((p, i) => rows.set(p.row, i * width));
    return await model.predictBatch(rows, prepared.length);
  };

  return {
    versions,
    prepare,
    feature,
    rules,
    finish,
    predict,
    scoreOne(history, asOf) {
      const p = prepareTransient(history, asOf);
      return finish(p, clampPd(model.predictOne(p.row)));
    },
    async scoreMany(histories, asOf) {
      const predictRow = model.predictRow;
      if (predictRow !== undefined) {
        // Row by row: one forward pass serves the PD and the reasons, and no loan's vectors outlive it.
        return histories.map((h) => {
          const p = prepareTransient(h, asOf);
          return finish(p, clampPd(predictRow.call(model, p.row)));
        });
      }
      const prepared = histories.map((h) => prepare(h, asOf));
      const pds = await predict(prepared);
      return prepared.map((p, i) => finish(p, clampPd(pds[i]!)));
    },
  };
}

/** float32 rounding can put a calibrated PD a hair outside [0, 1]; a NaN is a model fault. */
export function clampPd(pd: number): number {
  if (Number.isNaN(pd)) throw new Error('the model returned NaN for a PD');
  return Math.min(1, Math.max(0, pd));
}
