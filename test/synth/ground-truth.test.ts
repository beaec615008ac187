import { describe, expect, it } from 'vitest';
import { dateToDay, localDayOf, parseInstant } from '../../src/domain/history/calendar.js';
import { generateLoan } from '../../src/synth/generate-loan.js';
import { generatorOptions } from '../../src/synth/portfolio.js';

const ZONE = 'Asia/Shanghai';
const opts = generatorOptions({ seed: 5, start: '2024-01-01', months: 18, paths: 24 });
const loans = Array.from({ length: 500 }, (_, k) => generateLoan(opts, k));

describe('ground truth', () => {
  it('has a weekly snapshot while the loan is active, with a probability', () => {
    for (const { history, truth } of loans) {
      expect(truth).not.toBeNull();
      const origin = dateToDay(history.contract.originationDate);
      const days = truth!.snapshots.map((s) => localDayOf(parseInstant(s.asOf), ZONE));
      days.forEach((d, i) => expect(d).toBe(origin + 7 * i));
      for (const s of truth!.snapshots) {
        expect(s.pd).toBeGreaterThanOrEqual(0);
        expect(s.pd).toBeLessThanOrEqual(1);
      }
      const referral = history.events.find((e) => e.type === 'legal_referral');
      if (referral !== undefined) expect(days.at(-1)!).toBeLessThan(localDayOf(parseInstant(referral.at), ZONE));
    }
  });

  it('never leaks into the histories', () => {
    for (const { history } of loans.slice(0, 50)) expect(JSON.stringify(history)).not.toMatch(/"(pd|willingness|slack|fraud|bureauScore|cash)":/);
  });

  it('is calibrated against the realised paths and separates them', () => {
    // The realised path is one more draw from the same model, so the mean truth must match the
    // realised label rate (referral in (asOf, asOf + 60d]) and be far higher where the label is 1.
    let n = 0;
    let sumPd = 0;
    let positives = 0;
    let pdPos = 0;
    let pdNeg = 0;
    for (const { history, truth } of loans) {
      const referral = history.events.find((e) => e.type === 'legal_referral');
      const referralDay = referral === undefined ? Infinity : localDayOf(parseInstant(referral.at), ZONE);
      for (const s of truth!.snapshots) {
        const day = localDayOf(parseInstant(s.asOf), ZONE);
        if (day + truth!.horizonDays > opts.cutoffDay) continue; // label censored by the cut-off
        const label = referralDay > day && referralDay <= day + truth!.horizonDays;
        n++;
        sumPd += s.pd;
        if (label) {
          positives++;
          pdPos += s.pd;
        } else pdNeg += s.pd;
      }
    }
    const meanPd = sumPd / n;
    const rate = positives / n;
    expect(positives).toBeGreaterThan(40);
    expect(meanPd / rate).toBeGreaterThan(0.75);
    expect(meanPd / rate).toBeLessThan(1.33);
    expect(pdPos / positives).toBeGreaterThan(8 * (pdNeg / (n - positives)));
  });
});
