// Contact guardrails (DOMAIN.md "Contact conduct"): quiet hours in the loan's zone, daily and 7-day
// call caps per borrower, opt-outs by channel, never a third party. A recommendation never breaks
// them: the channel falls back, and the step carries the earliest instant contact is allowed.
import { DAY_MS, localDayOf, localMinuteOfDay, localToInstant } from '../history/calendar.js';
import type { ContactChannel, LoanEvent, LoanHistory } from '../history/schema.js';
import { eventIdsUnique } from '../history/id-table.js';
import { eventInstantsOf, instantOf } from '../history/instant-memo.js';
import { byAtThenId, type Timeline } from '../history/timeline.js';
import { VisibleWalk } from '../history/visible.js';
import { knownBy } from './known.js';
import type { ContactRules } from './policy.js';
import type { GuardrailEffect } from './schema.js';
import { STEP_CHANNELS } from './schema.js';

export type StepChannel = (typeof STEP_CHANNELS)[number];

export interface ContactAttempt {
  /** Epoch ms. */
  readonly at: number;
  readonly channel: ContactChannel;
}

/** What the guardrails need to know about a borrower's contact history. */
export interface ContactState {
  /** Outbound attempts to the borrower (all of the borrower's loans when the caller can merge them). */
  readonly attempts: readonly ContactAttempt[];
  readonly optedOut: ReadonlySet<ContactChannel>;
  /** The borrower's phone number is known to reach someone else (a wrong-number outcome since the last phone change). */
  readonly phoneReachesThirdParty: boolean;
}

export function contactStateOf(timeline: Timeline): ContactState {
  const acc = new ContactAccumulator();
  for (const { event, at } of timeline.events) acc.visit(event, at);
  return acc.state();
}

/**
 * The same state read straight off the history, without building its timeline, when no event id
 * occurs twice (a re-sent id needs the timeline's first-recorded rule). Only the contact-related
 * events are parsed, and sorted into (at, id) order (the third-party flag depends on it) only when
 * they do not come so. Null when an id repeats: use contactStateOf then.
 */
export function contactStateAt(history: LoanHistory, asOf: number): ContactState | null {
  if (!eventIdsUnique(history.events)) return null;
  // Visited as they come while they come in (at, id) order; else collected and sorted. A recording
  // matters only as visible or not, mostly settled by its date prefix without a parse.
  const acc = new ContactAccumulator();
  let prevAt = -Infinity;
  let prevId = '';
  const events = history.events;
  const memo = eventInstantsOf(events);
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    if (!isContactRelated(event)) continue;
    const at = instantOf(memo, i, event.at);
    if (at > asOf || (event.recordedAt !== undefined && !knownBy(event.recordedAt, asOf))) continue;
    if (at < prevAt || (at === prevAt && event.id <= prevId)) return sortedContactState(history, asOf);
    prevAt = at;
    prevId = event.id;
    acc.visit(event, at);
  }
  return acc.state();
}

/** The events a contact state reads: contacts, opt-outs, changed contact details. */
function isContactRelated(event: LoanEvent): boolean {
  return event.type === 'contact' || event.type === 'opt_out' || event.type === 'contact_details_changed';
}

/** contactStateAt for contact events that do not come in (at, id) order (ids known unique). */
function sortedContactState(history: LoanHistory, asOf: number): ContactState {
  const seen: Array<{ event: LoanEvent; at: number }> = [];
  const walk = new VisibleWalk(asOf);
  for (const event of history.events) {
    if (isContactRelated(event) && walk.sees(event.at, event.recordedAt)) seen.push({ event, at: walk.at });
  }
  seen.sort(byAtThenId);
  const acc = new ContactAccumulator();
  for (const { event, at } of seen) acc.visit(event, at);
  return acc.state();
}

/** The opted-out channels of a borrower who opted out of none (most): shared, never added to. */
const NO_OPT_OUTS: ReadonlySet<ContactChannel> = new Set<ContactChannel>();

class ContactAccumulator {
  private readonly attempts: ContactAttempt[] = [];
  private optedOut: Set<ContactChannel> | null = null;
  private phoneReachesThirdParty = false;

  /** Events in (at, id) order. */
  visit(event: LoanEvent, at: number): void {
    if (event.type === 'contact') {
      if (event.direction === 'outbound' && event.thirdParty !== true) this.attempts.push({ at, channel: event.channel });
      if (event.outcome === 'wrong_number') this.phoneReachesThirdParty = true;
      else if (event.outcome === 'answered' && (event.channel === 'call' || event.channel === 'robocall')) this.phoneReachesThirdParty = false;
    } else if (event.type === 'opt_out') {
      (this.optedOut ??= new Set()).add(event.channel);
    } else if (event.type === 'contact_details_changed' && event.field === 'phone') {
      this.phoneReachesThirdParty = false;
    }
  }

  state(): ContactState {
    return { attempts: this.attempts, optedOut: this.optedOut ?? NO_OPT_OUTS, phoneReachesThirdParty: this.phoneReachesThirdParty };
  }
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

const EFFECT_TEXT: Record<GuardrailEffect['guardrail'], { en: string; zh: string }> = {
  quiet_hours: { en: 'Outside permitted contact hours; contact deferred to the next allowed time', zh: '当前不在允许联系的时段，联系顺延至下一个允许时间' },
  daily_cap: { en: 'Daily call-attempt limit reached; contact deferred to the next day', zh: '已达当日呼叫次数上限，联系顺延至次日' },
  weekly_cap: { en: '7-day call-attempt limit reached; contact deferred until an attempt ages out', zh: '已达7日呼叫次数上限，联系顺延' },
  opt_out: { en: 'Borrower opted out of the recommended channel; another channel is used', zh: '借款人已退订推荐渠道，改用其他渠道' },
  arrangement_kept: { en: 'An agreed arrangement is being kept; no escalation', zh: '借款人正在履行已达成的还款安排，不升级催收' },
  third_party: { en: 'The phone number reaches a third party; phone contact avoided', zh: '该号码联系到的是第三方，避免电话联系' },
};

export function effect(guardrail: GuardrailEffect['guardrail']): GuardrailEffect {
  const text = EFFECT_TEXT[guardrail];
  return { guardrail, en: text.en, zh: text.zh };
}

export interface ChannelChoice {
  readonly channel: StepChannel;
  readonly effects: GuardrailEffect[];
}

/** The step's channel, or the first fallback that the borrower has not opted out of and that reaches only the borrower. */
export function chooseChannel(preferred: StepChannel, fallbacks: readonly StepChannel[], state: ContactState, rules: ContactRules): ChannelChoice {
  if (preferred === 'none' || preferred === 'legal') return { channel: preferred, effects: [] };
  const effects: GuardrailEffect[] = [];
  for (let i = -1; i < fallbacks.length; i++) {
    const ch = i < 0 ? preferred : fallbacks[i]!;
    if (rules.honourOptOuts && isContactChannel(ch) && state.optedOut.has(ch)) {
      if (!effects.some((e) => e.guardrail === 'opt_out')) effects.push(effect('opt_out'));
      continue;
    }
    if (rules.avoidThirdParties && state.phoneReachesThirdParty && rules.phoneChannels.includes(ch)) {
      if (!effects.some((e) => e.guardrail === 'third_party')) effects.push(effect('third_party'));
      continue;
    }
    return { channel: ch, effects };
  }
  return { channel: 'none', effects };
}

function isContactChannel(ch: StepChannel): ch is ContactChannel {
  return ch !== 'none' && ch !== 'legal';
}

export interface EarliestContact {
  readonly at: number;
  readonly effects: GuardrailEffect[];
}

/** The last quiet hours asked, as text and in minutes (a policy keeps one pair). */
let quietStartText = '';
let quietEndText = '';
let quietStart = 0;
let quietEnd = 0;

/** Guardrails met, in the order first met: most decisions meet none, so nothing is allocated for them. */
function note(seen: GuardrailEffect['guardrail'][] | null, g: GuardrailEffect['guardrail']): GuardrailEffect['guardrail'][] {
  if (seen === null) return [g];
  if (!seen.includes(g)) seen.push(g);
  return seen;
}

const callsOn = (callDays: ReadonlyMap<number, number> | null, day: number): number => (callDays === null ? 0 : (callDays.get(day) ?? 0));

function callsIn7(callDays: ReadonlyMap<number, number> | null, day: number): number {
  let n = 0;
  for (let d = day - 6; d <= day; d++) n += callsOn(callDays, d);
  return n;
}

/** The earliest instant at or after `asOf` when contact on `channel` respects quiet hours and call caps. */
export function earliestContact(asOf: number, zone: string, channel: StepChannel, state: ContactState, rules: ContactRules): EarliestContact {
  const quiet = rules.quietHoursChannels.includes(channel);
  const capped = isContactChannel(channel) && rules.callChannels.includes(channel);
  if (rules.quietHours.start !== quietStartText || rules.quietHours.end !== quietEndText) {
    quietStartText = rules.quietHours.start;
    quietEndText = rules.quietHours.end;
    quietStart = minutesOf(quietStartText);
    quietEnd = minutesOf(quietEndText);
  }
  const start = quietStart;
  const end = quietEnd;
  let seen: GuardrailEffect['guardrail'][] | null = null;
  const callDays = capped ? callsByDay(state, asOf, zone, rules) : null;
  let t = asOf;
  // Each pass moves t forward to a later day or settles; a zero cap can never be met, so bound the search.
  for (let pass = 0; pass < 32; pass++) {
    const day = localDayOf(t, zone);
    const minute = localMinuteOfDay(t, zone);
    if (quiet && minute < start) {
      t = localToInstant(day, start, zone);
      seen = note(seen, 'quiet_hours');
    } else if (quiet && minute >= end) {
      t = localToInstant(day + 1, start, zone);
      seen = note(seen, 'quiet_hours');
      continue;
    }
    if (capped && callsOn(callDays, day) >= rules.maxCallsPerDay) {
      t = localToInstant(day + 1, quiet ? start : 0, zone);
      seen = note(seen, 'daily_cap');
      continue;
    }
    if (capped && callsIn7(callDays, day) >= rules.maxCallsPer7Days) {
      t = localToInstant(day + 1, quiet ? start : 0, zone);
      seen = note(seen, 'weekly_cap');
      continue;
    }
    break;
  }
  return { at: t, effects: seen === null ? [] : seen.map(effect) };
}

/** Call attempts per local day (null: none); only the last 7 local days before asOf are ever asked about. */
function callsByDay(state: ContactState, asOf: number, zone: string, rules: ContactRules): Map<number, number> | null {
  let byDay: Map<number, number> | null = null;
  // 8 days back covers 7 local days whatever the zone's offset does in between.
  const since = asOf - 8 * DAY_MS;
  for (const a of state.attempts) {
    if (a.at < since || !rules.callChannels.includes(a.channel)) continue;
    const d = localDayOf(a.at, zone);
    byDay ??= new Map<number, number>();
    byDay.set(d, (byDay.get(d) ?? 0) + 1);
  }
  return byDay;
}
