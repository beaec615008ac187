import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../../src/domain/history/schema.js';
import { describeProblems, mustParseHistory, parseEvent, parseHistory, ValidationError } from '../../../src/domain/history/validate.js';

const base = {
  loanId: 'L1',
  borrowerId: 'B1',
  contract: { originationDate: '2025-01-05', principal: 5000, instalmentCount: 2 },
  borrower: { occupation: 'factory' },
  schedule: [
    { seq: 1, dueDate: '2025-02-05', amountDue: 2600 },
    { seq: 2, dueDate: '2025-03-05', amountDue: 2600 },
  ],
  events: [] as unknown[],
};

describe('loan-history validation', () => {
  it('accepts a minimal application and fills defaults', () => {
    const h = mustParseHistory({ ...base, schedule: [] });
    expect(h.timeZone).toBe('Asia/Shanghai');
    expect(h.currency).toBe('CNY');
    expect(h.contract.maxOverdueDays).toBe(90);
    expect(h.borrower.attributes).toEqual({});
  });

  it('names the path and the problem of a bad field', () => {
    const events = Array.from({ length: 13 }, (_, i) => ({ id: `e${i}`, type: 'payment', at: '2025-02-05T10:00:00+08:00', amount: 10 }));
    events[12] = { ...events[12]!, amount: -5 };
    const parsed = parseHistory({ ...base, events });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(describeProblems(parsed.problems)).toContain('events[12].amount: expected a positive number');
  });

  it('rejects an unknown event type with the list of known ones', () => {
    const parsed = parseEvent({ id: 'x', type: 'teleport', at: '2025-02-05T10:00:00+08:00' });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.problems[0]!.path).toBe('type');
      for (const t of EVENT_TYPES) expect(parsed.problems[0]!.message).toContain(t);
    }
  });

  it('rejects unknown fields by name, and keeps lender extras under meta', () => {
    const bad = parseHistory({ ...base, events: [{ id: 'e1', type: 'payment', at: '2025-02-05T10:00:00+08:00', amount: 10, recordAt: 'x' }] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(describeProblems(bad.problems)).toContain('events[0]: unknown field(s) "recordAt"');
    const ok = parseHistory({ ...base, meta: { branch: 'Shenzhen-3' } });
    expect(ok.ok).toBe(true);
  });

  it('rejects a bad time zone, a date-time without offset, and duplicate instalment numbers', () => {
    const parsed = parseHistory({
      ...base,
      timeZone: 'Mars/Olympus',
      schedule: [base.schedule[0], { ...base.schedule[1], seq: 1 }],
      events: [{ id: 'e1', type: 'payment', at: '2025-02-05 10:00', amount: 1 }],
    });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      const text = describeProblems(parsed.problems, 10);
      expect(text).toContain('timeZone: expected an IANA time zone');
      expect(text).toContain('events[0].at: expected an ISO 8601 date-time with offset');
      expect(text).toContain('schedule[1].seq: duplicate instalment seq 1');
    }
  });

  it('throws a ValidationError carrying every problem', () => {
    expect(() => mustParseHistory({ ...base, loanId: '' })).toThrow(ValidationError);
  });
});
