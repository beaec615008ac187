import { describe, expect, it } from 'vitest';
import { groupCommit } from '../../src/scoring/group-commit.js';

describe('groupCommit', () => {
  it('runs calls made in the same turn as one group and gives each caller its own outcome', async () => {
    const groups: number[][] = [];
    const call = groupCommit<number, number>((inputs) => {
      groups.push([...inputs]);
      return inputs.map((x) => (x < 0 ? new Error(`negative ${x}`) : x * 10));
    });
    const settled = await Promise.allSettled([call(1), call(-2), call(3)]);
    expect(groups).toEqual([[1, -2, 3]]);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual([10, 'negative -2', 30]);
    // A later turn is a new group.
    expect(await call(4)).toBe(40);
    expect(groups).toEqual([[1, -2, 3], [4]]);
  });

  it('rejects every caller of a group whose runner throws, and keeps serving later groups', async () => {
    let fail = true;
    const call = groupCommit<string, string>((inputs) => {
      if (fail) throw new Error('commit failed');
      return inputs.map((s) => s.toUpperCase());
    });
    const settled = await Promise.allSettled([call('a'), call('b')]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await call('c')).toBe('C');
  });

  it('splits a large queue into groups of at most maxCalls, in arrival order', async () => {
    const sizes: number[] = [];
    const call = groupCommit<number, number>(
      (inputs) => {
        sizes.push(inputs.length);
        return [...inputs];
      },
      { maxCalls: 4 },
    );
    const values = await Promise.all(Array.from({ length: 10 }, (_, i) => call(i)));
    expect(values).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(sizes).toEqual([4, 4, 2]);
  });

  it('caps a group by total weight, but always takes at least one call', async () => {
    const groups: number[][] = [];
    const call = groupCommit<number, number>(
      (inputs) => {
        groups.push([...inputs]);
        return [...inputs];
      },
      { maxWeight: 10, weight: (n) => n },
    );
    await Promise.all([3, 4, 3, 25, 1, 2].map((n) => call(n)));
    expect(groups).toEqual([[3, 4, 3], [25], [1, 2]]);
  });

  it('rejects callers the runner gave no outcome', async () => {
    const call = groupCommit<number, number>(() => [1]);
    const settled = await Promise.allSettled([call(0), call(0)]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected']);
  });
});
