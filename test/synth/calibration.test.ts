import { describe, expect, it } from 'vitest';
import { generatePortfolio } from '../../src/synth/portfolio.js';
import { PortfolioSummary } from '../../src/synth/summary.js';

const summarise = (policy?: { callFromDpd: number; offerGrace: boolean }) => {
  const s = new PortfolioSummary();
  for (const loan of generatePortfolio({ seed: 3, start: '2024-01-01', months: 24, paths: 0, ...(policy === undefined ? {} : { policy }) }, 3000)) s.add(loan.outcome);
  return s.report();
};
const baseline = summarise();

describe('portfolio calibration (docs/generator.md)', () => {
  it('lands in the aimed ranges: 8-15% ever 30+ DPD, 3-6% referred', () => {
    expect(baseline.loans).toBe(3000);
    expect(baseline.ever30Rate).toBeGreaterThan(0.07);
    expect(baseline.ever30Rate).toBeLessThan(0.15);
    expect(baseline.referralRate).toBeGreaterThan(0.03);
    expect(baseline.referralRate).toBeLessThan(0.07);
    expect(baseline.fraudShare).toBeGreaterThan(0.005);
    expect(baseline.fraudShare).toBeLessThan(0.02);
    expect(baseline.rollRates.toDpd31).toBeLessThan(baseline.rollRates.toDpd1);
  });

  it('makes occupations differ: irregular work is riskier than a guard post', () => {
    const by = new Map(baseline.byOccupation.map((o) => [o.occupation, o]));
    expect(by.get('seasonal_farm')!.ever30Rate).toBeGreaterThan(by.get('security_guard')!.ever30Rate);
    expect(by.get('construction')!.referralRate).toBeGreaterThan(by.get('ride_hailing')!.referralRate);
  });

  it('interventions matter: collector calls and grace cure loans, earlier calls cure more', () => {
    const passive = summarise({ callFromDpd: 10_000, offerGrace: false });
    const early = summarise({ callFromDpd: 1, offerGrace: true });
    const maxOverdue = (r: typeof baseline): number => r.referralsByReason.max_overdue ?? 0;
    // Same borrowers and shocks (same seed), only the lender's policy differs.
    expect(passive.ever30Rate).toBeGreaterThan(baseline.ever30Rate * 1.1);
    expect(maxOverdue(passive)).toBeGreaterThan(maxOverdue(baseline) * 1.3);
    expect(early.rollRates.toDpd1).toBeLessThan(baseline.rollRates.toDpd1);
    expect(maxOverdue(early)).toBeLessThan(maxOverdue(baseline));
  });
});
