// decide(): the ONE pure function that turns a PD, rule results and the contact state into the
// Decision every path returns (service, batch, backtest). No clock: `asOf` is an input.
import { formatInstant } from '../history/calendar.js';
import type { RuleResult } from '../rules/evaluate.js';
import { chooseChannel, earliestContact, effect, type ContactState, type StepChannel } from './contact.js';
import { bandOf, higherPriority, higherStep, stepRank, type Priority } from './ladder.js';
import type { Policy } from './policy.js';
import { decisionReasons, type ModelReasonInput } from './reasons.js';
import type { Decision, EvidenceSummary, GuardrailEffect, Step } from './schema.js';

export interface DecisionInput {
  readonly loanId: string;
  /** Epoch ms of the decision's as-of instant. */
  readonly asOf: number;
  /** The loan's IANA zone: quiet hours and the ISO times are local to it. */
  readonly zone: string;
  readonly horizonDays: number;
  readonly pd: number;
  readonly points: number;
  readonly attributions: readonly ModelReasonInput[];
  readonly ruleResults: readonly RuleResult[];
  /** Rule id -> the fact its reason shows. */
  readonly keyFacts?: ReadonlyMap<string, string | undefined>;
  /** Read only when the step contacts the borrower, so it may be computed on demand. */
  readonly contact: ContactState | (() => ContactState);
  /** An agreed grace period or plan is active and not broken. */
  readonly arrangementKept: boolean;
  /** Only a legal review carries evidence, so it may be computed on demand. */
  readonly evidence: EvidenceSummary | (() => EvidenceSummary);
  readonly versions: Decision['versions'];
}

export function decide(input: DecisionInput, policy: Policy): Decision {
  const band = bandOf(input.pd, policy);
  const results = input.ruleResults;
  const guardrails: GuardrailEffect[] = [];

  let action: Step = policy.bandSteps[band];
  let referral = false;
  for (const r of results) {
    if (r.outcome !== 'hit') continue;
    action = higherStep(action, r.step);
    if (r.referralCondition) referral = true;
  }

  if (input.arrangementKept && stepRank(action) > stepRank(policy.arrangementKeptMaxStep)) {
    action = policy.arrangementKeptMaxStep;
    guardrails.push(effect('arrangement_kept'));
  }
  if (action === 'legal_review' && !referral) action = policy.legalReviewFallback;

  const priority = action === 'none' ? 'low' : priorityOf(band, results, policy);
  const spec = policy.steps[action];
  // The contact state is read only when the step contacts the borrower.
  let channel: StepChannel = spec.channel;
  let earliestContactAt: string | null = null;
  if (channel !== 'none' && channel !== 'legal') {
    const contact = typeof input.contact === 'function' ? input.contact() : input.contact;
    const choice = chooseChannel(channel, spec.fallbackChannels, contact, policy.contact);
    channel = choice.channel;
    for (const e of choice.effects) guardrails.push(e);
    if (channel !== 'none' && channel !== 'legal') {
      const when = earliestContact(input.asOf, input.zone, channel, contact, policy.contact);
      for (const e of when.effects) guardrails.push(e);
      earliestContactAt = formatInstant(when.at, input.zone);
    }
  }

  const reasons = decisionReasons(results, input.keyFacts, input.attributions, policy.reasons);
  const evidence = action === 'legal_review' ? (typeof input.evidence === 'function' ? input.evidence() : input.evidence) : null;

  return {
    loanId: input.loanId,
    asOf: asOfText(input.asOf, input.zone),
    horizonDays: input.horizonDays,
    pd: input.pd,
    points: input.points,
    band,
    reasons,
    ruleHits: results.filter((r) => r.outcome !== 'no_hit'),
    step: { action, channel, priority, earliestContactAt, en: spec.en, zh: spec.zh },
    guardrails,
    evidence,
    versions: input.versions,
  };
}

// A batch decides every loan as of one instant, mostly in one zone; formatInstant's own one-entry memo
// is taken over by the other instants a decision formats (earliest contact, last payment).
let lastAsOf = Number.NaN;
let lastZone = '';
let lastAsOfText = '';
function asOfText(asOf: number, zone: string): string {
  if (asOf !== lastAsOf || zone !== lastZone) {
    lastAsOfText = formatInstant(asOf, zone);
    lastAsOf = asOf;
    lastZone = zone;
  }
  return lastAsOfText;
}

/** `results`: hits count, other outcomes do not. */
function priorityOf(band: Decision['band'], results: readonly RuleResult[], policy: Policy): Priority {
  let p: Priority = policy.bandPriority[band];
  for (const h of results) {
    if (h.outcome !== 'hit') continue;
    if (h.referralCondition) p = higherPriority(p, policy.referralPriority);
    for (const s of policy.severityPriority) if (h.severity >= s.minSeverity) p = higherPriority(p, s.priority);
  }
  return p;
}
