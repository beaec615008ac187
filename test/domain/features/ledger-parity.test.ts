// The fast scan must agree with the reference point-in-time view (buildTimeline + buildLedger) on
// every delinquency fact, for random histories with duplicates, late recordings, reversals and pauses.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LoanScan } from '../../../src/domain/features/scan.js';
import { buildLedger } from '../../../src/domain/history/ledger.js';
import { buildTimeline } from '../../../src/domain/history/timeline.js';
import { historyAtArb } from '../../support/history-arbitrary.js';

describe('scan vs buildLedger', () => {
  it('agrees on DPD, overdue amounts, counts, worst DPD and the active pause', () => {
    const scan = new LoanScan();
    fc.assert(
      fc.property(historyAtArb(), fc.boolean(), ({ history: raw, asOf }, inOrder) => {
        // Half the runs in time order, to cover the scan's single-pass path as well as its fallback.
        const history = inOrder ? { ...raw, events: [...raw.events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) } : raw;
        const ledger = buildLedger(buildTimeline(history, asOf));
        scan.run(history, asOf);
        expect(scan.asOfDay).toBe(ledger.asOfDay);
        expect(scan.dpd).toBe(ledger.dpd);
        expect(scan.scheduleDpd).toBe(ledger.scheduleDpd);
        expect(scan.statementDpd).toBe(ledger.statementDpd);
        expect(scan.instalmentsOverdue).toBe(ledger.instalmentsOverdue);
        expect(scan.instalmentsDue).toBe(ledger.instalmentsDue);
        expect(scan.overdueAmount).toBeCloseTo(ledger.overdueAmount, 9);
        expect(scan.totalDue).toBeCloseTo(ledger.totalDue, 9);
        expect(scan.cash).toBeCloseTo(ledger.totalPaid, 9);
        expect(scan.worstDpdEver).toBe(ledger.worstDpdSince(-1e9));
        expect(scan.worstDpd90).toBe(ledger.worstDpdSince(ledger.asOfDay - 89));
        expect(scan.activePauseKind).toBe(ledger.activePause === null ? 0 : ledger.activePause.kind === 'grace' ? 1 : 2);
        // So arrangement_active can stand for the rules' arrangement_kept (active and not broken): a pause
        // in force at asOf is never a broken one (a break visible at asOf ends the pause the day before).
        expect(ledger.activePause?.broken ?? false).toBe(false);
        expect(scan.closedDay).toBe(ledger.closed === null ? -1 : ledger.closed.day);
        const paidOff = ledger.instalments.filter((i) => i.paidOffDay !== null).map((i) => i.paidOffDay!);
        expect(scan.lastFullyPaidDay).toBe(paidOff.length === 0 ? -1 : Math.max(...paidOff));
      }),
      { numRuns: 400, seed: 20260301 },
    );
  });
});
