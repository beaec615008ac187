// Statement status detail, balance and payment levels: generic over statement sources (cards,
// bureau-style status), added for the model's revolving accounts (docs/model.md).
import { describe, expect, it } from 'vitest';
import { computeFeatures, featureNames } from '../../../src/domain/features/index.js';
import { endOfDay, ev, makeHistory } from '../../support/history-factory.js';

describe('revolving detail', () => {
  const statements = [
    ev.statement('2025-03-31', { balance: 0, status: 'no_balance', creditLimit: 10000 }),
    ev.statement('2025-04-30', { balance: 2000, status: 'paid_in_full', creditLimit: 10000 }),
    ev.statement('2025-05-31', { balance: 5000, status: 'minimum_paid', creditLimit: 10000 }),
    ev.statement('2025-06-30', { balance: 7000, status: 'minimum_paid', creditLimit: 10000 }),
    ev.statement('2025-07-31', { balance: 9000, monthsLate: 2, status: 'delinquent', creditLimit: 10000 }),
  ];
  const payments = [ev.payment('2025-05-10', 2000), ev.payment('2025-06-10', 500), ev.payment('2025-07-10', 700), ev.payment('2025-07-20', 300), ev.payment('2025-08-02', 50)];
  const history = makeHistory({ kind: 'revolving', creditLimit: 10000, events: [...statements, ...payments] });
  const at = (date: string) => {
    const v = computeFeatures(history, endOfDay(date));
    return Object.fromEntries(featureNames().map((n, i) => [n, v[i]!]));
  };

  it('codes the latest statuses and counts paid-in-full and revolving statements', () => {
    const f = at('2025-08-05');
    expect(f.rev_status_code).toBe(2);
    expect(f.rev_status_code_prev).toBe(0);
    expect(f.rev_paid_full_6).toBe(2);
    expect(f.rev_revolving_6).toBe(2);
  });

  it('reads balance and payment levels per statement period (payments after the last statement wait)', () => {
    const f = at('2025-08-05');
    expect(f.rev_balance).toBe(9000);
    expect(f.rev_balance_mean_6).toBeCloseTo((0 + 2000 + 5000 + 7000 + 9000) / 5, 6);
    expect(f.rev_payment_last).toBe(1000);
    expect(f.rev_payment_prev).toBe(500);
    expect(f.rev_payment_mean_6).toBeCloseTo((0 + 0 + 2000 + 500 + 1000) / 5, 6);
  });

  it('is point in time: before the July statement the June one is the latest', () => {
    const f = at('2025-07-15');
    expect(f.rev_status_code).toBe(0);
    expect(f.rev_status_code_prev).toBe(0);
    expect(f.rev_balance).toBe(7000);
    expect(f.rev_payment_last).toBe(500);
  });

  it('has the missing codes without statements', () => {
    const v = computeFeatures(makeHistory(), endOfDay('2025-08-05'));
    const f = Object.fromEntries(featureNames().map((n, i) => [n, v[i]!]));
    expect(f).toMatchObject({ rev_status_code: -3, rev_status_code_prev: -3, rev_paid_full_6: 0, rev_balance: 0, rev_payment_mean_6: 0 });
  });
});
