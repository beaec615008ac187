// A seeded synthetic portfolio for the batch benchmark: monthly instalment loans with payment,
// contact, promise and arrangement events shaped by a per-loan risk type. Used when no generator
// output is at hand; the same seed gives the same portfolio.
import type { LoanHistoryInput } from '../../src/domain/history/schema.js';

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OCCUPATIONS = ['construction', 'factory', 'logistics_delivery', 'food_service', 'domestic_cleaning', 'security_guard', 'ride_hailing', 'seasonal_farm'] as const;
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', '+00:00');
const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function syntheticHistory(i: number, seed = 7): LoanHistoryInput {
  const r = rng(seed * 1_000_003 + i);
  const origination = Date.UTC(2024, 6, 1) + Math.floor(r() * 400) * DAY;
  const n = [6, 9, 12, 12, 18][Math.floor(r() * 5)]!;
  const amount = Math.round(300 + r() * 900);
  const risk = r(); // 0 = reliable, 1 = likely to fall behind
  const schedule = Array.from({ length: n }, (_, k) => ({ seq: k + 1, dueDate: date(origination + (k + 1) * 30 * DAY), amountDue: amount }));
  const events: NonNullable<LoanHistoryInput['events']> = [];
  let stopAt = risk > 0.8 ? Math.floor(r() * n) : n;
  for (let k = 0; k < n; k++) {
    const due = origination + (k + 1) * 30 * DAY;
    if (k >= stopAt) {
      events.push({ id: `c${k}`, type: 'contact', at: iso(due + 3 * DAY + 10 * 3600_000), channel: r() < 0.5 ? 'sms' : 'call', outcome: r() < 0.4 ? 'no_answer' : 'answered' });
      if (r() < 0.3) events.push({ id: `t${k}`, type: 'promise_to_pay', at: iso(due + 4 * DAY), amount, promisedDate: date(due + 10 * DAY) });
      if (r() < 0.1) stopAt = n; // cured
      continue;
    }
    const late = risk > 0.5 && r() < risk - 0.4 ? Math.floor(r() * 20) : 0;
    events.push({ id: `p${k}`, type: 'payment', at: iso(due + late * DAY - 5 * 3600_000), amount });
    if (late > 5) events.push({ id: `s${k}`, type: 'contact', at: iso(due + 2 * DAY + 9 * 3600_000), channel: 'robocall', outcome: 'delivered' });
  }
  if (risk > 0.9) events.push({ id: 'h', type: 'hardship_reported', at: iso(origination + 100 * DAY), reason: 'wage_arrears' });
  return {
    loanId: `BL${String(i).padStart(8, '0')}`,
    borrowerId: `BB${String(i).padStart(8, '0')}`,
    contract: { originationDate: date(origination), principal: amount * n * 0.9, instalmentCount: n, apr: 0.24, maxOverdueDays: 90 },
    borrower: {
      occupation: OCCUPATIONS[Math.floor(r() * OCCUPATIONS.length)]!,
      age: 20 + Math.floor(r() * 40),
      monthlyIncome: Math.round(3000 + r() * 6000),
      payFrequency: r() < 0.6 ? 'monthly' : 'weekly',
      migrant: r() < 0.5,
      dependents: Math.floor(r() * 4),
      attributes: { bureau_score: Math.round(450 + r() * 350) },
    },
    schedule,
    events,
  };
}
