// The default model target (DOMAIN.md): referral-grade delinquency within H days of asOf, i.e. a
// legal referral, or DPD reaching the contract maximum, in (asOf, asOf + H]. The future is only known
// up to `observedUntil` (when the data was extracted; the caller says, the domain has no clock):
// a positive seen before then is certain; a loan repaid or settled before then stays negative;
// otherwise, when asOf + H lies beyond observedUntil, the outcome is unknown: censored, never 0.
import { DAY_MS, localDayOf } from './calendar.js';
import { buildLedger } from './ledger.js';
import type { LoanHistory } from './schema.js';
import { buildTimeline } from './timeline.js';

export const DEFAULT_HORIZON_DAYS = 60;

export interface LabelOptions {
  horizonDays?: number;
  /** Epoch ms up to which the history is complete (events happened and recorded by then are all present). */
  observedUntil: number;
}

export type LabelOutcome =
  | { readonly status: 'labelled'; readonly label: 0 | 1; readonly cause: 'legal_referral' | 'max_overdue' | null }
  | { readonly status: 'censored' };

export function referralLabel(history: LoanHistory, asOfMs: number, options: LabelOptions): LabelOutcome {
  const horizonDays = options.horizonDays ?? DEFAULT_HORIZON_DAYS;
  if (!Number.isInteger(horizonDays) || horizonDays < 1) throw new RangeError(`horizonDays: expected an integer >= 1, got ${horizonDays}`);
  if (!Number.isFinite(options.observedUntil)) throw new RangeError('observedUntil: expected epoch milliseconds');
  const endMs = asOfMs + horizonDays * DAY_MS;
  const complete = options.observedUntil >= endMs;
  // Look only as far as both the horizon and the observation allow.
  const lookMs = Math.min(endMs, options.observedUntil);
  const timeline = buildTimeline(history, lookMs);
  for (const e of timeline.events) {
    if (e.event.type === 'legal_referral' && e.at > asOfMs) return { status: 'labelled', label: 1, cause: 'legal_referral' };
  }
  const ledger = buildLedger(timeline);
  const firstDay = localDayOf(asOfMs, history.timeZone) + 1;
  if (lookMs > asOfMs && ledger.worstDpdSince(firstDay) >= history.contract.maxOverdueDays) return { status: 'labelled', label: 1, cause: 'max_overdue' };
  if (complete) return { status: 'labelled', label: 0, cause: null };
  if (ledger.closed !== null && ledger.closed.reason !== 'written_off') return { status: 'labelled', label: 0, cause: null };
  return { status: 'censored' };
}
