// The blue-collar borrower population and the lender's products. Figures are assumptions chosen to
// look like the segment (docs/generator.md says where each comes from); they are data, not code paths.
import type { Occupation, PayFrequency } from '../domain/history/schema.js';
import type { Rng } from './rng.js';

export interface OccupationProfile {
  readonly occupation: Occupation;
  /** Share of borrowers. */
  readonly share: number;
  /** Median monthly income, CNY. */
  readonly medianIncome: number;
  /** Log-sd of one pay packet around its expected value (piece work, day rates). */
  readonly volatility: number;
  readonly payFrequency: Readonly<Partial<Record<PayFrequency, number>>>;
  /** Annual job-loss hazard at 12 months' tenure. */
  readonly jobLossPerYear: number;
  /** Median days out of work after a job loss. */
  readonly medianJobSearchDays: number;
  readonly migrantShare: number;
  /** Chance per winter that wages are withheld until the Spring Festival (arrears). */
  readonly yearEndArrears: number;
  /** Annual chance of an illness or injury that stops work. */
  readonly injuryPerYear: number;
  /** Winter months without work (seasonal farm work). */
  readonly winterIdle: boolean;
}

export const OCCUPATION_PROFILES: readonly OccupationProfile[] = [
  { occupation: 'construction', share: 0.18, medianIncome: 6500, volatility: 0.3, payFrequency: { monthly: 0.5, daily: 0.3, semi_monthly: 0.1, weekly: 0.1 }, jobLossPerYear: 0.3, medianJobSearchDays: 25, migrantShare: 0.8, yearEndArrears: 0.35, injuryPerYear: 0.1, winterIdle: false },
  { occupation: 'factory', share: 0.2, medianIncome: 5200, volatility: 0.1, payFrequency: { monthly: 0.9, semi_monthly: 0.1 }, jobLossPerYear: 0.18, medianJobSearchDays: 30, migrantShare: 0.7, yearEndArrears: 0.04, injuryPerYear: 0.05, winterIdle: false },
  { occupation: 'logistics_delivery', share: 0.16, medianIncome: 7000, volatility: 0.25, payFrequency: { monthly: 0.5, weekly: 0.3, daily: 0.2 }, jobLossPerYear: 0.25, medianJobSearchDays: 18, migrantShare: 0.6, yearEndArrears: 0.05, injuryPerYear: 0.07, winterIdle: false },
  { occupation: 'food_service', share: 0.12, medianIncome: 4500, volatility: 0.15, payFrequency: { monthly: 0.8, semi_monthly: 0.2 }, jobLossPerYear: 0.3, medianJobSearchDays: 20, migrantShare: 0.6, yearEndArrears: 0.05, injuryPerYear: 0.05, winterIdle: false },
  { occupation: 'domestic_cleaning', share: 0.08, medianIncome: 4800, volatility: 0.2, payFrequency: { monthly: 0.5, daily: 0.3, weekly: 0.2 }, jobLossPerYear: 0.22, medianJobSearchDays: 25, migrantShare: 0.6, yearEndArrears: 0.03, injuryPerYear: 0.05, winterIdle: false },
  { occupation: 'security_guard', share: 0.08, medianIncome: 4200, volatility: 0.08, payFrequency: { monthly: 1 }, jobLossPerYear: 0.12, medianJobSearchDays: 30, migrantShare: 0.5, yearEndArrears: 0.03, injuryPerYear: 0.03, winterIdle: false },
  { occupation: 'ride_hailing', share: 0.1, medianIncome: 7500, volatility: 0.3, payFrequency: { weekly: 0.6, daily: 0.4 }, jobLossPerYear: 0.15, medianJobSearchDays: 15, migrantShare: 0.4, yearEndArrears: 0, injuryPerYear: 0.05, winterIdle: false },
  { occupation: 'seasonal_farm', share: 0.05, medianIncome: 3800, volatility: 0.4, payFrequency: { daily: 0.6, monthly: 0.4 }, jobLossPerYear: 0.35, medianJobSearchDays: 35, migrantShare: 0.5, yearEndArrears: 0.15, injuryPerYear: 0.08, winterIdle: true },
  { occupation: 'other', share: 0.03, medianIncome: 5000, volatility: 0.2, payFrequency: { monthly: 0.7, weekly: 0.3 }, jobLossPerYear: 0.2, medianJobSearchDays: 25, migrantShare: 0.5, yearEndArrears: 0.05, injuryPerYear: 0.05, winterIdle: false },
];

export interface Product {
  readonly name: string;
  readonly minPrincipal: number;
  readonly maxPrincipal: number;
  readonly terms: readonly number[];
  readonly apr: number;
  /** One-off fee as a share of principal. */
  readonly feeRate: number;
  readonly maxOverdueDays: number;
}

export const PRODUCTS: readonly Product[] = [
  { name: 'quick', minPrincipal: 1000, maxPrincipal: 5000, terms: [3, 6], apr: 0.36, feeRate: 0.02, maxOverdueDays: 60 },
  { name: 'standard', minPrincipal: 5000, maxPrincipal: 15000, terms: [6, 9, 12], apr: 0.24, feeRate: 0.01, maxOverdueDays: 90 },
  { name: 'large', minPrincipal: 15000, maxPrincipal: 30000, terms: [12, 18, 24], apr: 0.18, feeRate: 0.01, maxOverdueDays: 120 },
];

export interface BorrowerDraw {
  readonly profile: OccupationProfile;
  readonly age: number;
  readonly monthlyIncome: number;
  readonly payFrequency: PayFrequency;
  readonly payday: number;
  readonly tenureMonths: number;
  readonly migrant: boolean;
  readonly dependents: number;
  readonly priorLoans: number;
  readonly priorWorstDpd: number;
  /** Latent willingness to pay in (0, 1): never written to a history. */
  readonly willingness: number;
  /** Share of income left after living costs (what can service a debt). */
  readonly slack: number;
  readonly fraud: boolean;
  /** Bureau-like lender attribute: a noisy view of willingness and slack. */
  readonly bureauScore: number;
}

export interface LoanDraw {
  readonly product: Product;
  readonly principal: number;
  readonly instalmentCount: number;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);

export const FRAUD_SHARE = 0.012;

export function drawBorrower(rng: Rng): BorrowerDraw {
  const profile = OCCUPATION_PROFILES[rng.weighted(OCCUPATION_PROFILES.map((p) => p.share))]!;
  const freqs = Object.entries(profile.payFrequency) as Array<[PayFrequency, number]>;
  const payFrequency = freqs[rng.weighted(freqs.map(([, w]) => w))]![0];
  const age = Math.round(clamp(34 + 9 * rng.normal(), 18, 60));
  const monthlyIncome = Math.round(rng.logNormal(profile.medianIncome, 0.3) / 10) * 10;
  const migrant = rng.chance(profile.migrantShare);
  const tenureMonths = Math.round(clamp(rng.logNormal(14, 1), 0, 240));
  const dependents = Math.min(4, Math.floor(Math.max(0, (age - 22) / 10 + rng.normal())));
  const priorLoans = rng.chance(0.55) ? 0 : rng.int(1, 5);
  const grit = rng.normal();
  let priorWorstDpd = 0;
  if (priorLoans > 0) {
    const r = rng.next() + 0.12 * grit; // the gritty repaid their earlier loans better
    if (r < 0.05) priorWorstDpd = rng.int(31, 90);
    else if (r < 0.1) priorWorstDpd = rng.int(16, 30);
    else if (r < 0.25) priorWorstDpd = rng.int(1, 15);
  }
  const willingness = sigmoid(1.8 + 1.1 * grit - (priorWorstDpd > 30 ? 0.8 : 0) + (priorLoans > 0 && priorWorstDpd === 0 ? 0.5 : 0));
  const slack = clamp(0.32 - 0.02 * dependents + 0.06 * rng.normal(), 0.08, 0.5);
  const fraud = rng.chance(FRAUD_SHARE);
  const bureauScore = Math.round(clamp(600 + 60 * grit + 150 * (slack - 0.22) + 30 * rng.normal() - (fraud ? 20 : 0), 350, 850));
  const payday = rng.int(1, 28);
  return { profile, age, monthlyIncome, payFrequency, payday, tenureMonths, migrant, dependents, priorLoans, priorWorstDpd, willingness, slack, fraud, bureauScore };
}

export function drawLoan(rng: Rng, b: BorrowerDraw): LoanDraw {
  // Underwriting sizes the loan by affordability: the instalment is a modest share of declared income.
  const share = clamp(rng.logNormal(0.16, 0.35), 0.05, 0.4);
  const wanted = rng.logNormal(b.monthlyIncome * 1.5, 0.5);
  const product = PRODUCTS.find((p) => wanted <= p.maxPrincipal) ?? PRODUCTS[PRODUCTS.length - 1]!;
  const instalmentCount = rng.pick(product.terms);
  const r = product.apr / 12;
  const affordable = (share * b.monthlyIncome * (1 - Math.pow(1 + r, -instalmentCount))) / r;
  const principal = Math.round(clamp(Math.min(wanted, affordable), 1000, 30000) / 100) * 100;
  return { product, principal, instalmentCount };
}
