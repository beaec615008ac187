// When a fresh decision deserves a collector's attention: its band rose, or a rule fired that did not
// fire last time. A loan's first decision is compared against a quiet baseline (band low, no rules).
import { BANDS, type Band, type Decision } from '../domain/decision/schema.js';
import type { AlertTrigger, NewAlert } from './store-port.js';

export const ALERT_BASELINE_BAND: Band = 'low';

export interface AlertVerdict {
  readonly triggers: AlertTrigger[];
  readonly newRules: string[];
}

export function bandRank(band: Band): number {
  return BANDS.indexOf(band);
}

export function firedRules(decision: Decision): Set<string> {
  const out = new Set<string>();
  for (const hit of decision.ruleHits) if (hit.outcome === 'hit') out.add(hit.ruleId);
  return out;
}

export function alertVerdict(previous: Decision | null, next: Decision): AlertVerdict {
  const triggers: AlertTrigger[] = [];
  const before = previous === null ? ALERT_BASELINE_BAND : previous.band;
  if (bandRank(next.band) > bandRank(before)) triggers.push('band_rise');
  const old = previous === null ? new Set<string>() : firedRules(previous);
  const newRules = [...firedRules(next)].filter((id) => !old.has(id)).sort();
  if (newRules.length > 0) triggers.push('new_rule');
  return { triggers, newRules };
}

/** The alert a saved decision raises, or null when it deserves none. */
export function alertFor(previous: Decision | null, next: Decision, saved: { readonly id: number; readonly createdAt: string }): NewAlert | null {
  const verdict = alertVerdict(previous, next);
  if (verdict.triggers.length === 0) return null;
  return {
    loanId: next.loanId,
    decisionId: saved.id,
    createdAt: saved.createdAt,
    triggers: verdict.triggers,
    band: next.band,
    previousBand: previous?.band ?? null,
    newRules: verdict.newRules,
    step: next.step.action,
    priority: next.step.priority,
    earliestContactAt: next.step.earliestContactAt,
  };
}
