import { describe, expect, it } from 'vitest';
import { generatePortfolio, generatePortfolioByOrigination } from '../../src/synth/portfolio.js';

const SPEC = { seed: 5, start: '2024-01-01', months: 24, paths: 2, horizonDays: 30 } as const;

describe('portfolio in origination order (--ids origination)', () => {
  const drawn = [...generatePortfolio(SPEC, 300)];
  const ordered = [...generatePortfolioByOrigination(SPEC, 300)];

  it('issues ids in origination order: sorted ids have non-decreasing origination dates', () => {
    expect(ordered.map((l) => l.history.loanId)).toEqual(drawn.map((l) => l.history.loanId));
    const dates = ordered.map((l) => l.history.contract.originationDate);
    expect(dates).toEqual([...dates].sort());
    expect(ordered.map((l) => l.history.borrowerId)).toEqual(drawn.map((l) => l.history.borrowerId));
  });

  it('holds the same loans as draw order, only the ids differ', () => {
    const strip = (l: (typeof drawn)[number]) => JSON.stringify({ ...l, history: { ...l.history, loanId: '', borrowerId: '' }, truth: l.truth === null ? null : { ...l.truth, loanId: '' }, dpdByDay: null });
    expect(ordered.map(strip).sort()).toEqual(drawn.map(strip).sort());
    for (const l of ordered) expect(l.truth?.loanId).toBe(l.history.loanId);
  });
});
