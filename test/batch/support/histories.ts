// Loan-history factory for batch tests: small, valid histories with a controllable payment record.
import type { LoanHistoryInput } from '../../../src/domain/history/schema.js';

export interface HistoryOptions {
  /** Instalments (of 6, monthly from 2025-01-15) left unpaid, counted from the first. */
  readonly missed?: number;
  readonly closed?: boolean;
  readonly originationDate?: string;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function makeHistory(i: number, o: HistoryOptions = {}): LoanHistoryInput {
  const missed = o.missed ?? i % 4;
  const schedule = Array.from({ length: 6 }, (_, k) => ({ seq: k + 1, dueDate: `2025-${pad(k + 2)}-15`, amountDue: 500 }));
  const events: NonNullable<LoanHistoryInput['events']> = [];
  schedule.forEach((s, k) => {
    if (k >= missed) events.push({ id: `p${k}`, type: 'payment', at: `${s.dueDate}T10:00:00+08:00`, amount: 500 });
  });
  if (o.closed === true) events.push({ id: 'c', type: 'closed', at: '2025-03-01T10:00:00+08:00', reason: 'settled' });
  return {
    loanId: `L${String(i).padStart(7, '0')}`,
    borrowerId: `B${i}`,
    contract: { originationDate: o.originationDate ?? '2025-01-15', principal: 2800, instalmentCount: 6, maxOverdueDays: 90 },
    borrower: { occupation: 'construction', age: 30 + (i % 20) },
    schedule,
    events,
  };
}

export function ndjson(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('\n') + '\n';
}
