// decide(): the ONE pure function that turns a PD, rule results and the contact state into the
// Decision every path returns (service, batch, backtest). No clock: `asOf` is an input.
import { formatInstant } from '../history/calendar.js';
import type { RuleResult } from '../rules/evaluate.js';
import { chooseChannel, earliestContact, effect, type ContactState } from './contact.js';
import { bandOf, higherPriority, higherStep, stepRank, type Priority } from './ladder.js';
import type { Policy } from './policy.js';
import { mergeReasons, modelReasons, ruleReasons, type ModelReasonInput } from './reasons.js';
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
  const hits = input.ruleResults.filter((r) => r.outcome === 'hit');
  const guardrails: GuardrailEffect[] = [];

  let action: Step = policy.bandSteps[band];
  for (const h of hits) action = higherStep(action, h.step);
  const referral = hits.some((h) => h.referralCondition);

  if (input.arrangementKept && stepRank(action) > stepRank(policy.arrangementKeptMaxStep)) {
    action = policy.arrangementKeptMaxStep;
    guardrails.push(effect('arrangement_kept'));
  }
  if (action === 'legal_review' && !referral) action = policy.legalReviewFallback;

  const priority = action === 'none' ? 'low' : priorityOf(band, hits, policy);
  const spec = policy.steps[action];
  let contact: ContactState | null = null;
  const contactState = (): ContactState => (contact ??= typeof input.contact === 'function' ? input.contact() : input.contact);
  const choice = spec.channel === 'none' || spec.channel === 'legal' ? { channel: spec.channel, effects: [] } : chooseChannel(spec.channel, spec.fallbackChannels, contactState(), policy.contact);
  guardrails.push(...choice.effects);
  let earliestContactAt: string | null = null;
  if (choice.channel !== 'none' && choice.channel !== 'legal') {
    const when = earliestContact(input.asOf, input.zone, choice.channel, contactState(), policy.contact);
    guardrails.push(...when.effects);
    earliestContactAt = formatInstant(when.at, input.zone);
  }

  const reasons = mergeReasons(ruleReasons(input.ruleResults, input.keyFacts), modelReasons(input.attributions), policy.reasons);
  const evidence = action === 'legal_review' ? (typeof input.evidence === 'function' ? input.evidence() : input.evidence) : null;

  return {
    loanId: input.loanId,
    asOf: formatInstant(input.asOf, input.zone),
    horizonDays: input.horizonDays,
    pd: input.pd,
    points: input.points,
    band,
    reasons,
    ruleHits: input.ruleResults.filter((r) => r.outcome !== 'no_hit'),
    step: { action, channel: choice.channel, priority, earliestContactAt, en: spec.en, zh: spec.zh },
    guardrails,
    evidence,
    versions: input.versions,
  };
}

function priorityOf(band: Decision['band'], hits: readonly RuleResult[], policy: Policy): Priority {
  let p: Priority = policy.bandPriority[band];
  for (const h of hits) {
    if (h.referralCondition) p = higherPriority(p, policy.referralPriority);
    for (const s of policy.severityPriority) if (h.severity >= s.minSeverity) p = higherPriority(p, s.priority);
  }
  return p;
}
