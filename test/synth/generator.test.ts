import { describe, expect, it } from 'vitest';
import { dateToDay, localDayOf, localToInstant, parseInstant } from '../../src/domain/history/calendar.js';
import { buildLedger } from '../../src/domain/history/ledger.js';
import type { LoanEvent, LoanHistory } from '../../src/domain/history/schema.js';
import { buildTimeline } from '../../src/domain/history/timeline.js';
import { parseHistory } from '../../src/domain/history/validate.js';
import { generateLoan, type GeneratedLoan } from '../../src/synth/generate-loan.js';
import {
  ATTEMPTS_BEFORE_REFUSAL_REFERRAL,
  FRAUD_MIN_DEAD_LINES,
  FRAUD_MIN_DPD,
  FRAUD_PHONE_CHANGE_WINDOW_DAYS,
  MAX_REASONABLE_PLAN_PARTS,
  REFUSALS_BEFORE_REFERRAL,
} from '../../src/synth/loan-sim.js';
import { generatePortfolio, generatorOptions } from '../../src/synth/portfolio.js';

const SPEC = { seed: 11, start: '2024-01-01', months: 24, paths: 0 } as const;
const opts = { ...generatorOptions(SPEC), traceDpd: true };
const loans: GeneratedLoan[] = Array.from({ length: 1500 }, (_, k) => generateLoan(opts, k));
const ZONE = 'Asia/Shanghai';
const endOfDay = (day: number): number => localToInstant(day + 1, 0, ZONE) - 1;
/** The ledger as if every event were recorded when it happened (the simulator's own view). */
const ledgerAt = (h: LoanHistory, asOf: number) => buildLedger(buildTimeline({ ...h, events: h.events.map((e) => ({ ...e, recordedAt: undefined })) }, asOf));

describe('generated loans', () => {
  it('loan k is the same whatever the portfolio size or slice', () => {
    const alone = generateLoan(generatorOptions(SPEC), 37);
    const inBig = [...generatePortfolio(SPEC, 40)][37]!;
    const inSlice = [...generatePortfolio(SPEC, 1, 37)][0]!;
    expect(JSON.stringify(inBig.history)).toBe(JSON.stringify(alone.history));
    expect(JSON.stringify(inSlice.history)).toBe(JSON.stringify(alone.history));
  });

  it('validates against the loan-history contract, already in its parsed form', () => {
    for (const { history } of loans.slice(0, 400)) {
      const parsed = parseHistory(JSON.parse(JSON.stringify(history)));
      if (!parsed.ok) throw new Error(`${history.loanId}: ${JSON.stringify(parsed.problems.slice(0, 3))}`);
      expect(parsed.value).toEqual(history);
    }
  });

  it('writes events in time order, with unique ids, and some recorded later than they happened', () => {
    let late = 0;
    for (const { history } of loans.slice(0, 400)) {
      const ids = new Set(history.events.map((e) => e.id));
      expect(ids.size).toBe(history.events.length);
      let prev = -Infinity;
      for (const e of history.events) {
        const at = parseInstant(e.at);
        expect(at).toBeGreaterThanOrEqual(prev);
        prev = at;
        if (e.recordedAt !== undefined) {
          expect(parseInstant(e.recordedAt)).toBeGreaterThan(at);
          late++;
        }
      }
    }
    expect(late).toBeGreaterThan(100);
  });

  it("the ledger's DPD agrees with the simulator's own, every day", () => {
    let days = 0;
    for (const { history, dpdByDay } of loans.slice(0, 120)) {
      const origin = dateToDay(history.contract.originationDate);
      for (let i = 1; i < dpdByDay!.length; i += 1) {
        const ledger = ledgerAt(history, endOfDay(origin + i));
        if (ledger.dpd !== dpdByDay![i]) throw new Error(`${history.loanId} day ${i}: ledger ${ledger.dpd}, simulator ${dpdByDay![i]}`);
        days++;
      }
    }
    expect(days).toBeGreaterThan(10_000);
  });

  it('refers to legal exactly when a referral condition holds', () => {
    const seen = new Set<string>();
    for (const { history, outcome } of loans) {
      const referrals = history.events.filter((e) => e.type === 'legal_referral');
      expect(referrals.length).toBe(outcome.referral === null ? 0 : 1);
      const max = history.contract.maxOverdueDays;
      if (referrals.length === 0) {
        // Never referred: DPD never reached the contract maximum while the loan was watched.
        const last = history.events.length === 0 ? dateToDay(history.contract.originationDate) : localDayOf(parseInstant(history.events.at(-1)!.at), ZONE);
        expect(ledgerAt(history, endOfDay(last)).worstDpdSince(0)).toBeLessThan(max);
        continue;
      }
      const referral = referrals[0]! as Extract<LoanEvent, { type: 'legal_referral' }>;
      seen.add(referral.reason);
      const at = parseInstant(referral.at);
      const day = localDayOf(at, ZONE);
      const ledger = ledgerAt(history, at);
      const before = history.events.filter((e) => parseInstant(e.at) <= at);
      expect(history.events.at(-1)).toBe(referral); // nothing happens after a referral
      switch (referral.reason) {
        case 'max_overdue':
          expect(ledger.dpd).toBeGreaterThanOrEqual(max);
          expect(ledgerAt(history, endOfDay(day - 1)).dpd).toBeLessThan(max);
          break;
        case 'fraud': {
          const origin = dateToDay(history.contract.originationDate);
          const phone = before.find((e) => e.type === 'contact_details_changed' && e.field === 'phone');
          expect(phone).toBeDefined();
          expect(localDayOf(parseInstant(phone!.at), ZONE) - origin).toBeLessThanOrEqual(FRAUD_PHONE_CHANGE_WINDOW_DAYS);
          expect(before.some((e) => e.type === 'payment')).toBe(false);
          expect(before.filter((e) => e.type === 'contact' && (e.outcome === 'switched_off' || e.outcome === 'wrong_number')).length).toBeGreaterThanOrEqual(FRAUD_MIN_DEAD_LINES);
          expect(ledger.dpd).toBeGreaterThanOrEqual(FRAUD_MIN_DPD);
          break;
        }
        case 'broken_arrangement': {
          const broken = before.filter((e) => e.type === 'arrangement_broken').at(-1);
          expect(broken).toBeDefined();
          expect(localDayOf(parseInstant(broken!.at), ZONE)).toBe(day);
          const agreed = before.find((e) => e.type === 'arrangement_agreed' && e.arrangementId === (broken as { arrangementId: string }).arrangementId);
          expect(agreed).toMatchObject({ kind: 'plan' });
          expect(ledger.overdueAmount).toBeGreaterThan(1);
          break;
        }
        case 'unreasonable_plan': {
          const offer = before.filter((e) => e.type === 'arrangement_offered').at(-1) as Extract<LoanEvent, { type: 'arrangement_offered' }>;
          expect(offer.proposedBy).toBe('borrower');
          expect(offer.plan!.length).toBeGreaterThan(MAX_REASONABLE_PLAN_PARTS);
          break;
        }
        case 'refused_contact': {
          // Count the contact in the current delinquency spell: since the last day DPD was 0.
          let spellStart = day;
          while (spellStart > 0 && ledgerAt(history, endOfDay(spellStart - 1)).dpd > 0) spellStart--;
          const calls = before.filter((e) => e.type === 'contact' && e.channel === 'call' && localDayOf(parseInstant(e.at), ZONE) >= spellStart);
          expect(calls.filter((e) => e.type === 'contact' && e.outcome === 'refused').length).toBeGreaterThanOrEqual(REFUSALS_BEFORE_REFERRAL);
          expect(calls.length).toBeGreaterThanOrEqual(ATTEMPTS_BEFORE_REFUSAL_REFERRAL);
          break;
        }
        default:
          throw new Error(`unexpected referral reason ${referral.reason}`);
      }
    }
    expect([...seen]).toEqual(expect.arrayContaining(['max_overdue', 'fraud', 'refused_contact', 'broken_arrangement']));
  });

  it('uses the whole collection ladder', () => {
    const kinds = new Set<string>();
    for (const { history } of loans) for (const e of history.events) kinds.add(e.type === 'contact' ? `contact:${e.channel}:${e.outcome}` : e.type);
    for (const k of ['payment', 'payment_reversal', 'promise_to_pay', 'hardship_reported', 'arrangement_offered', 'arrangement_agreed', 'arrangement_broken', 'contact_details_changed', 'employment_changed', 'opt_out', 'legal_referral', 'closed', 'contact:sms:delivered', 'contact:robocall:answered', 'contact:call:answered', 'contact:call:no_answer', 'contact:call:refused', 'contact:call:switched_off', 'contact:letter:delivered'])
      expect(kinds, k).toContain(k);
  });
});
