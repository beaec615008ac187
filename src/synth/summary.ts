// The portfolio summary `ews generate` prints: delinquency, referrals by reason, roll rates, by occupation.
import type { LoanOutcome } from './generate-loan.js';

interface Counts {
  loans: number;
  ever1: number;
  ever30: number;
  ever31: number;
  ever61: number;
  referred: number;
  closed: number;
  fraud: number;
}

const zero = (): Counts => ({ loans: 0, ever1: 0, ever30: 0, ever31: 0, ever61: 0, referred: 0, closed: 0, fraud: 0 });

export interface SummaryReport {
  readonly loans: number;
  readonly ever30Rate: number;
  readonly referralRate: number;
  readonly closedRate: number;
  readonly fraudShare: number;
  readonly referralsByReason: Readonly<Record<string, number>>;
  /** current->1-30, 1-30->31-60, 31-60->61-90, 61-90->referral: share of loans reaching a bucket that reach the next. */
  readonly rollRates: { readonly toDpd1: number; readonly toDpd31: number; readonly toDpd61: number; readonly toReferral: number };
  readonly byOccupation: ReadonlyArray<{ occupation: string; loans: number; ever30Rate: number; referralRate: number }>;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

export class PortfolioSummary {
  private readonly all = zero();
  private readonly byOcc = new Map<string, Counts>();
  private readonly reasons = new Map<string, number>();
  private referredFrom61 = 0;

  add(o: LoanOutcome): void {
    let occ = this.byOcc.get(o.occupation);
    if (occ === undefined) {
      occ = zero();
      this.byOcc.set(o.occupation, occ);
    }
    for (const c of [this.all, occ]) {
      c.loans++;
      if (o.maxDpd >= 1) c.ever1++;
      if (o.maxDpd >= 30) c.ever30++;
      if (o.maxDpd >= 31) c.ever31++;
      if (o.maxDpd >= 61) c.ever61++;
      if (o.referral !== null) c.referred++;
      if (o.closed) c.closed++;
      if (o.fraud) c.fraud++;
    }
    if (o.referral !== null) {
      this.reasons.set(o.referral, (this.reasons.get(o.referral) ?? 0) + 1);
      if (o.maxDpd >= 61) this.referredFrom61++;
    }
  }

  report(): SummaryReport {
    const a = this.all;
    const referralsByReason: Record<string, number> = {};
    for (const [k, v] of [...this.reasons].sort((x, y) => y[1] - x[1])) referralsByReason[k] = v;
    return {
      loans: a.loans,
      ever30Rate: ratio(a.ever30, a.loans),
      referralRate: ratio(a.referred, a.loans),
      closedRate: ratio(a.closed, a.loans),
      fraudShare: ratio(a.fraud, a.loans),
      referralsByReason,
      rollRates: {
        toDpd1: ratio(a.ever1, a.loans),
        toDpd31: ratio(a.ever31, a.ever1),
        toDpd61: ratio(a.ever61, a.ever31),
        toReferral: ratio(this.referredFrom61, a.ever61),
      },
      byOccupation: [...this.byOcc]
        .sort((x, y) => y[1].loans - x[1].loans)
        .map(([occupation, c]) => ({ occupation, loans: c.loans, ever30Rate: ratio(c.ever30, c.loans), referralRate: ratio(c.referred, c.loans) })),
    };
  }
}
