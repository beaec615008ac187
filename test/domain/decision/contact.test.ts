// Every contact guardrail: quiet hours (in the loan's zone), the daily and 7-day call caps, opt-outs
// by channel, and never a third party.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatInstant, parseInstant } from '../../../src/domain/history/calendar.js';
import { buildTimeline } from '../../../src/domain/history/timeline.js';
import { chooseChannel, contactStateAt, contactStateOf, earliestContact, type ContactState } from '../../../src/domain/decision/contact.js';
import type { LoanHistory } from '../../../src/domain/history/schema.js';
import { historyAtArb } from '../../support/history-arbitrary.js';
import { call, loan, optOut, phoneChanged, sh } from '../../support/rules-history.js';
import { defaultPolicy } from '../../support/rule-config.js';

const rules = defaultPolicy().contact;
const none: ContactState = { attempts: [], optedOut: new Set(), phoneReachesThirdParty: false };
const at = (ms: number, zone = 'Asia/Shanghai') => formatInstant(ms, zone);

describe('quiet hours', () => {
  it('allows contact now inside 08:00-21:00 local', () => {
    expect(at(earliestContact(sh('2025-03-03', '08:00'), 'Asia/Shanghai', 'call', none, rules).at)).toBe('2025-03-03T08:00:00+08:00');
    const r = earliestContact(sh('2025-03-03', '20:59'), 'Asia/Shanghai', 'call', none, rules);
    expect(at(r.at)).toBe('2025-03-03T20:59:00+08:00');
    expect(r.effects).toEqual([]);
  });

  it('defers an early-morning contact to 08:00 the same day', () => {
    const r = earliestContact(sh('2025-03-03', '06:30'), 'Asia/Shanghai', 'sms', none, rules);
    expect(at(r.at)).toBe('2025-03-03T08:00:00+08:00');
    expect(r.effects.map((e) => e.guardrail)).toEqual(['quiet_hours']);
  });

  it('defers a contact at 21:00 or later to 08:00 the next day', () => {
    expect(at(earliestContact(sh('2025-03-03', '21:00'), 'Asia/Shanghai', 'call', none, rules).at)).toBe('2025-03-04T08:00:00+08:00');
    expect(at(earliestContact(sh('2025-03-03', '23:59'), 'Asia/Shanghai', 'robocall', none, rules).at)).toBe('2025-03-04T08:00:00+08:00');
  });

  it('uses the loan zone, not UTC: 13:00Z is 09:00 in New York (DST) but 21:00 in Shanghai', () => {
    const t = parseInstant('2025-07-01T13:00:00Z');
    expect(formatInstant(earliestContact(t, 'America/New_York', 'call', none, rules).at, 'America/New_York')).toBe('2025-07-01T09:00:00-04:00');
    expect(at(earliestContact(t, 'Asia/Shanghai', 'call', none, rules).at)).toBe('2025-07-02T08:00:00+08:00');
  });

  it('does not apply to a letter', () => {
    const r = earliestContact(sh('2025-03-03', '23:00'), 'Asia/Shanghai', 'letter', none, rules);
    expect(at(r.at)).toBe('2025-03-03T23:00:00+08:00');
    expect(r.effects).toEqual([]);
  });

  it('follows a configured window', () => {
    const narrow = { ...rules, quietHours: { start: '09:30', end: '18:00' } };
    expect(at(earliestContact(sh('2025-03-03', '09:00'), 'Asia/Shanghai', 'call', none, narrow).at)).toBe('2025-03-03T09:30:00+08:00');
    expect(at(earliestContact(sh('2025-03-03', '18:00'), 'Asia/Shanghai', 'call', none, narrow).at)).toBe('2025-03-04T09:30:00+08:00');
  });
});

describe('call caps per borrower', () => {
  const stateWith = (times: string[][]): ContactState => contactStateOf(buildTimeline(loan({ events: times.map(([d, t]) => call(`${d}T${t}:00+08:00`)) }), sh('2025-12-31')));

  it('allows a third call the same day, defers a fourth to the next morning', () => {
    const two = stateWith([['2025-03-03', '09:00'], ['2025-03-03', '10:00']]);
    expect(at(earliestContact(sh('2025-03-03', '11:00'), 'Asia/Shanghai', 'call', two, rules).at)).toBe('2025-03-03T11:00:00+08:00');
    const three = stateWith([['2025-03-03', '09:00'], ['2025-03-03', '10:00'], ['2025-03-03', '10:30']]);
    const r = earliestContact(sh('2025-03-03', '11:00'), 'Asia/Shanghai', 'call', three, rules);
    expect(at(r.at)).toBe('2025-03-04T08:00:00+08:00');
    expect(r.effects.map((e) => e.guardrail)).toEqual(['daily_cap']);
  });

  it('counts robocalls as call attempts but not SMS, and never caps an SMS', () => {
    const s = contactStateOf(buildTimeline(loan({ events: [call('2025-03-03T09:00:00+08:00', 'no_answer', 'robocall'), call('2025-03-03T09:10:00+08:00'), call('2025-03-03T09:20:00+08:00', 'no_answer', 'robocall'), call('2025-03-03T09:30:00+08:00', 'answered', 'sms')] }), sh('2025-12-31')));
    expect(at(earliestContact(sh('2025-03-03', '12:00'), 'Asia/Shanghai', 'call', s, rules).at)).toBe('2025-03-04T08:00:00+08:00');
    expect(at(earliestContact(sh('2025-03-03', '12:00'), 'Asia/Shanghai', 'sms', s, rules).at)).toBe('2025-03-03T12:00:00+08:00');
  });

  it('defers once 7 attempts fall in the last 7 local days, until the oldest ages out', () => {
    // 2 + 2 + 2 + 1 calls on Mar 1, 2, 3, 4: 7 in the window [Mar 1, Mar 7].
    const s = stateWith([['2025-03-01', '09:00'], ['2025-03-01', '10:00'], ['2025-03-02', '09:00'], ['2025-03-02', '10:00'], ['2025-03-03', '09:00'], ['2025-03-03', '10:00'], ['2025-03-04', '09:00']]);
    const r = earliestContact(sh('2025-03-05', '10:00'), 'Asia/Shanghai', 'call', s, rules);
    // Mar 8's window is [Mar 2, Mar 8]: 5 attempts, so contact resumes at 08:00 on Mar 8.
    expect(at(r.at)).toBe('2025-03-08T08:00:00+08:00');
    expect(r.effects.map((e) => e.guardrail)).toEqual(['weekly_cap']);
    const six = stateWith([['2025-03-01', '09:00'], ['2025-03-01', '10:00'], ['2025-03-02', '09:00'], ['2025-03-02', '10:00'], ['2025-03-03', '09:00'], ['2025-03-03', '10:00']]);
    expect(at(earliestContact(sh('2025-03-05', '10:00'), 'Asia/Shanghai', 'call', six, rules).at)).toBe('2025-03-05T10:00:00+08:00');
  });

  it('counts an attempt early on the oldest day of the window (6.8 days before), and one a local day earlier not at all', () => {
    const seven = (date: string) => stateWith(Array.from({ length: 7 }, (_, i) => [date, `00:${String(30 + i).padStart(2, '0')}`] as [string, string]));
    // Window of Mar 7 is [Mar 1, Mar 7]: the attempts at 00:30-00:36 on Mar 1 count.
    const r = earliestContact(sh('2025-03-07', '20:00'), 'Asia/Shanghai', 'call', seven('2025-03-01'), rules);
    expect(at(r.at)).toBe('2025-03-08T08:00:00+08:00');
    expect(r.effects.map((e) => e.guardrail)).toEqual(['weekly_cap']);
    expect(at(earliestContact(sh('2025-03-07', '20:00'), 'Asia/Shanghai', 'call', seven('2025-02-28'), rules).at)).toBe('2025-03-07T20:00:00+08:00');
  });

  it('follows configured caps', () => {
    const one = stateWith([['2025-03-03', '09:00']]);
    expect(at(earliestContact(sh('2025-03-03', '11:00'), 'Asia/Shanghai', 'call', one, { ...rules, maxCallsPerDay: 1 }).at)).toBe('2025-03-04T08:00:00+08:00');
  });
});

describe('opt-outs and third parties', () => {
  it('falls back to the next channel the borrower has not opted out of', () => {
    const s = contactStateOf(buildTimeline(loan({ events: [optOut('2025-02-01T10:00:00+08:00', 'call')] }), sh('2025-03-01')));
    const r = chooseChannel('call', ['app', 'letter'], s, rules);
    expect(r.channel).toBe('app');
    expect(r.effects.map((e) => e.guardrail)).toEqual(['opt_out']);
  });

  it('an opt-out recorded after as-of does not count yet (point in time)', () => {
    const s = contactStateOf(buildTimeline(loan({ events: [optOut('2025-04-01T10:00:00+08:00', 'call')] }), sh('2025-03-01')));
    expect(chooseChannel('call', ['app'], s, rules).channel).toBe('call');
  });

  it('recommends no channel when every channel is opted out', () => {
    const s = contactStateOf(buildTimeline(loan({ events: [optOut('2025-02-01T10:00:00+08:00', 'sms'), optOut('2025-02-01T10:00:00+08:00', 'app')] }), sh('2025-03-01')));
    expect(chooseChannel('sms', ['app'], s, rules)).toMatchObject({ channel: 'none' });
  });

  it('avoids phone channels once the number reaches a third party, until the phone changes', () => {
    const wrong = call('2025-02-01T10:00:00+08:00', 'wrong_number');
    const s = contactStateOf(buildTimeline(loan({ events: [wrong] }), sh('2025-03-01')));
    expect(s.phoneReachesThirdParty).toBe(true);
    const r = chooseChannel('call', ['sms', 'app'], s, rules);
    expect(r.channel).toBe('app');
    expect(r.effects.map((e) => e.guardrail)).toEqual(['third_party']);
    const fixed = contactStateOf(buildTimeline(loan({ events: [wrong, phoneChanged('2025-02-10T10:00:00+08:00')] }), sh('2025-03-01')));
    expect(chooseChannel('call', ['sms', 'app'], fixed, rules).channel).toBe('call');
  });

  it('never counts a recorded third-party contact as an attempt on the borrower', () => {
    const tl = buildTimeline(loan({ events: [{ id: 'tp', type: 'contact', at: '2025-02-01T10:00:00+08:00', channel: 'call', outcome: 'answered', thirdParty: true }] }), sh('2025-03-01'));
    expect(contactStateOf(tl).attempts).toEqual([]);
  });
});

describe('contactStateAt (the contact state without a timeline)', () => {
  const ms = (iso: string) => Date.parse(iso);
  const inOrder = (h: LoanHistory): LoanHistory => ({ ...h, events: [...h.events].sort((a, b) => ms(a.at) - ms(b.at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) });

  it('equals the timeline-based state whenever it answers, and answers for in-order histories without re-sent ids', () => {
    fc.assert(
      fc.property(historyAtArb(), fc.boolean(), ({ history, asOf }, sorted) => {
        const h = sorted ? inOrder(history) : history;
        const direct = contactStateAt(h, asOf);
        const unique = new Set(h.events.map((e) => e.id)).size === h.events.length;
        if (sorted && unique) expect(direct).not.toBeNull();
        if (direct !== null) expect(direct).toEqual(contactStateOf(buildTimeline(h, asOf)));
      }),
      { numRuns: 300 },
    );
  });

  it('declines when an event id repeats or the contacts come out of order', () => {
    const h = loan({ events: [call('2025-03-01T10:00:00+08:00', 'wrong_number'), call('2025-03-02T10:00:00+08:00', 'answered')] });
    const asOf = sh('2025-03-05', '10:00');
    expect(contactStateAt(h, asOf)?.phoneReachesThirdParty).toBe(false);
    expect(contactStateAt({ ...h, events: [...h.events].reverse() }, asOf)).toBeNull();
    expect(contactStateAt({ ...h, events: [...h.events, { ...h.events[0]!, recordedAt: '2025-03-04T10:00:00+08:00' }] }, asOf)).toBeNull();
  });

  it('declines a re-sent id even in time order: the first-recorded version wins, as in the timeline', () => {
    const first = call('2025-03-01T10:00:00+08:00', 'wrong_number');
    const resent = { ...call('2025-03-02T10:00:00+08:00', 'answered'), id: first.id };
    const h = loan({ events: [first, resent] });
    const asOf = sh('2025-03-05', '10:00');
    expect(contactStateOf(buildTimeline(h, asOf)).phoneReachesThirdParty).toBe(true);
    expect(contactStateAt(h, asOf)).toBeNull();
  });
});
