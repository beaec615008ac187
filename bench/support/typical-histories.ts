// Seeded synthetic "typical" histories for benchmarks when no sample file is present: 12 monthly
// instalments and about 25 events (payments, some late or missed, contacts, promises, the odd
// hardship report or phone change), a third of them recorded later than they happened, in time order.
import { dateToDay, dayToDate } from '../../src/domain/history/calendar.js';
import { LoanHistory, type LoanEventInput } from '../../src/domain/history/schema.js';
import { seededRng as mulberry32 } from '../../src/model/rng.js';

const pad = (n: number): string => String(n).padStart(2, '0');
const local = (day: number, minute: number): string => `${dayToDate(day)}T${pad(Math.floor(minute / 60))}:${pad(minute % 60)}:00+08:00`;

export function synthesiseHistories(count: number, seed: number): LoanHistory[] {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const out: LoanHistory[] = [];
  const start = dateToDay('2024-01-01');
  for (let i = 0; i < count; i++) {
    const origin = start + Math.floor(rnd() * 365);
    const amount = 300 + Math.floor(rnd() * 700);
    const events: LoanEventInput[] = [];
    let k = 0;
    const id = (): string => `e${i}-${k++}`;
    const at = (day: number, minute: number): { at: string; recordedAt?: string } =>
      rnd() < 0.33 ? { at: local(day, minute), recordedAt: local(day + 1 + Math.floor(rnd() * 3), minute) } : { at: local(day, minute) };
    const trouble = rnd();
    for (let s = 1; s <= 12; s++) {
      const due = origin + 30 * s;
      if (trouble > 0.8 && s > 8) continue;
      const late = trouble > 0.6 ? Math.floor(rnd() * 20) : rnd() < 0.2 ? Math.floor(rnd() * 5) : 0;
      events.push({ id: id(), type: 'payment', ...at(due + late - 1, 600 + Math.floor(rnd() * 600)), amount });
    }
    const contacts = 8 + Math.floor(rnd() * 5);
    for (let c = 0; c < contacts; c++) {
      events.push({
        id: id(),
        type: 'contact',
        ...at(origin + 30 + Math.floor(rnd() * 330), 540 + Math.floor(rnd() * 600)),
        channel: pick(['sms', 'call', 'call', 'robocall'] as const),
        direction: rnd() < 0.1 ? 'inbound' : 'outbound',
        outcome: pick(['delivered', 'answered', 'no_answer', 'busy', 'refused', 'switched_off'] as const),
      });
    }
    const promises = 1 + Math.floor(rnd() * 3);
    for (let p = 0; p < promises; p++) {
      const day = origin + 40 + Math.floor(rnd() * 300);
      events.push({ id: id(), type: 'promise_to_pay', ...at(day, 700), amount, promisedDate: dayToDate(day + 3 + Math.floor(rnd() * 7)) });
    }
    if (rnd() < 0.3) events.push({ id: id(), type: 'hardship_reported', ...at(origin + 100 + Math.floor(rnd() * 200), 800), reason: pick(['job_loss', 'wage_arrears', 'illness_injury'] as const) });
    if (rnd() < 0.2) events.push({ id: id(), type: 'contact_details_changed', ...at(origin + Math.floor(rnd() * 300), 800), field: 'phone' });
    // Event logs arrive in time order; bench/features.ts also measures a shuffled copy.
    events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.id < b.id ? -1 : 1));
    out.push(
      LoanHistory.parse({
        loanId: `L${i}`,
        borrowerId: `B${i}`,
        contract: { originationDate: dayToDate(origin), principal: amount * 11, instalmentCount: 12, apr: 0.24 },
        borrower: { occupation: pick(['construction', 'factory', 'logistics_delivery', 'food_service'] as const), age: 20 + Math.floor(rnd() * 40), monthlyIncome: 3000 + Math.floor(rnd() * 5000), payFrequency: 'monthly', payday: 1 + Math.floor(rnd() * 28), migrant: rnd() < 0.6 },
        schedule: Array.from({ length: 12 }, (_, s) => ({ seq: s + 1, dueDate: dayToDate(origin + 30 * (s + 1)), amountDue: amount })),
        events,
      }),
    );
  }
  return out;
}
