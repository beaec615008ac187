// A small loan-history builder for the rules and decision tests: a 12-instalment monthly loan
// originated 2025-01-01 in Asia/Shanghai, plus whatever events a test adds.
import { mustParseHistory } from '../../src/domain/history/validate.js';
import type { LoanEventInput, LoanHistory } from '../../src/domain/history/schema.js';
import { parseInstant } from '../../src/domain/history/calendar.js';

export interface LoanOptions {
  readonly events?: LoanEventInput[];
  readonly zone?: string;
  readonly maxOverdueDays?: number;
  readonly migrant?: boolean;
  readonly originationDate?: string;
  readonly instalments?: number;
}

export function loan(opts: LoanOptions = {}): LoanHistory {
  const n = opts.instalments ?? 12;
  const [y, m] = (opts.originationDate ?? '2025-01-01').split('-').map(Number) as [number, number];
  const schedule = Array.from({ length: n }, (_, i) => {
    const mm = m - 1 + i + 1;
    const date = `${y + Math.floor(mm / 12)}-${String((mm % 12) + 1).padStart(2, '0')}-01`;
    return { seq: i + 1, dueDate: date, amountDue: 500 };
  });
  return mustParseHistory({
    loanId: 'L1',
    borrowerId: 'B1',
    timeZone: opts.zone ?? 'Asia/Shanghai',
    contract: { originationDate: opts.originationDate ?? '2025-01-01', principal: 5000, instalmentCount: n, maxOverdueDays: opts.maxOverdueDays ?? 90 },
    borrower: { occupation: 'construction', migrant: opts.migrant ?? false },
    schedule,
    events: opts.events ?? [],
  });
}

let seq = 0;
const nextId = (): string => `e${++seq}`;

export const pay = (at: string, amount = 500): LoanEventInput => ({ id: nextId(), type: 'payment', at, amount });
export const call = (at: string, outcome: 'answered' | 'no_answer' | 'refused' | 'switched_off' | 'wrong_number' | 'busy' = 'no_answer', channel: 'call' | 'robocall' | 'sms' = 'call'): LoanEventInput => ({
  id: nextId(),
  type: 'contact',
  at,
  channel,
  direction: 'outbound',
  outcome,
});
export const optOut = (at: string, channel: 'sms' | 'call' | 'robocall' | 'app' | 'letter' | 'visit'): LoanEventInput => ({ id: nextId(), type: 'opt_out', at, channel });
export const phoneChanged = (at: string): LoanEventInput => ({ id: nextId(), type: 'contact_details_changed', at, field: 'phone' });
export const promise = (at: string, promisedDate: string, amount = 500): LoanEventInput => ({ id: nextId(), type: 'promise_to_pay', at, promisedDate, amount });
export const agreed = (at: string, arrangementId: string, graceUntil: string): LoanEventInput => ({ id: nextId(), type: 'arrangement_agreed', at, arrangementId, kind: 'grace', graceUntil });
export const broken = (at: string, arrangementId: string): LoanEventInput => ({ id: nextId(), type: 'arrangement_broken', at, arrangementId });
export const borrowerPlan = (at: string, plan: Array<{ dueDate: string; amount: number }>): LoanEventInput => ({
  id: nextId(),
  type: 'arrangement_offered',
  at,
  arrangementId: nextId(),
  kind: 'plan',
  proposedBy: 'borrower',
  plan,
});

/** Local wall-clock time in Shanghai (+08:00) as epoch ms. */
export const sh = (date: string, time = '10:00'): number => parseInstant(`${date}T${time}:00+08:00`);
