// Test histories from a factory: makeHistory({ missed: 2 }) beats a 500-line fixture.
import type { EventOf, LoanEvent, LoanHistory, LoanHistoryInput } from '../../src/domain/history/schema.js';
import { mustParseHistory } from '../../src/domain/history/validate.js';

export interface HistoryOptions {
  loanId?: string;
  instalments?: number;
  /** Instalments already due (from the first). */
  due?: number;
  /** Of the due instalments, how many at the end are unpaid. */
  missed?: number;
  originationDate?: string;
  amountDue?: number;
  events?: LoanEvent[];
}

export function addMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

/** Raw JSON as a client would send it (defaults omitted). */
export function makeHistoryInput(o: HistoryOptions = {}): LoanHistoryInput {
  const n = o.instalments ?? 12;
  const start = o.originationDate ?? '2025-01-10';
  const amount = o.amountDue ?? 500;
  const due = o.due ?? 0;
  const paid = due - (o.missed ?? 0);
  const schedule = Array.from({ length: n }, (_, i) => ({ seq: i + 1, dueDate: addMonths(start, i + 1), amountDue: amount }));
  const payments: LoanEvent[] = schedule.slice(0, paid).map((s) => ({
    id: `pay-${s.seq}`,
    type: 'payment',
    at: `${s.dueDate}T10:00:00+08:00`,
    amount,
  }));
  return {
    loanId: o.loanId ?? 'L-1',
    borrowerId: 'B-1',
    timeZone: 'Asia/Shanghai',
    currency: 'CNY',
    contract: { originationDate: start, principal: amount * n * 0.9, instalmentCount: n, maxOverdueDays: 90 },
    borrower: { occupation: 'construction', age: 34, monthlyIncome: 6000, payFrequency: 'monthly', migrant: true },
    schedule,
    events: [...payments, ...(o.events ?? [])],
  };
}

export function makeHistory(o: HistoryOptions = {}): LoanHistory {
  return mustParseHistory(makeHistoryInput(o));
}

let counter = 0;
export function contactEvent(at: string, outcome: 'answered' | 'refused' | 'no_answer' = 'answered', id?: string): LoanEvent {
  return { id: id ?? `c-${++counter}`, type: 'contact', at, channel: 'call', direction: 'outbound', outcome };
}

export function paymentEvent(at: string, amount: number, id?: string): EventOf<'payment'> {
  return { id: id ?? `p-${++counter}`, type: 'payment', at, amount };
}
