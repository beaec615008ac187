// The reader's instant memos (instant-memo.ts) are bounded: at most INSTANT_MEMOS events arrays and
// MEMO_EVENTS events in all, the oldest let go first, so long histories do not keep many large texts
// alive; the reader's scratch is cleared as each memo is taken from it.
import { describe, expect, it } from 'vitest';
import { eventInstantsOf, INSTANT_MEMOS, instantOf, MEMO_EVENTS, rememberInstants } from '../../../src/domain/history/instant-memo.js';

const AT = '2026-01-02T03:04:05+08:00';
const MS = Date.parse(AT);

/** An events array of n (its items do not matter to the memo) remembered as the reader would. */
function remembered(n: number): unknown[] {
  const list = new Array<unknown>(n).fill(null);
  const ats = new Array<string>(n).fill(AT);
  rememberInstants(list, ats, new Array<number>(n).fill(MS), n);
  expect(ats.every((s) => s === '')).toBe(true);
  return list;
}

describe('instant memos', () => {
  it('keep the last INSTANT_MEMOS arrays, the oldest let go first', () => {
    const lists = Array.from({ length: INSTANT_MEMOS + 1 }, () => remembered(3));
    expect(eventInstantsOf(lists[0]!)).toBeUndefined();
    for (const list of lists.slice(1)) expect(eventInstantsOf(list)?.ms).toEqual([MS, MS, MS]);
  });

  it('keep at most MEMO_EVENTS events in all: long arrays push the oldest out, one longer than that is not kept', () => {
    const small = remembered(10);
    const half = Math.floor(MEMO_EVENTS / 2);
    const a = remembered(half);
    expect(eventInstantsOf(small)).toBeDefined();
    const b = remembered(half);
    // small + a + b is over the bound: the oldest (small) goes first, a and b fit.
    expect(eventInstantsOf(small)).toBeUndefined();
    expect(eventInstantsOf(a)?.at.length).toBe(half);
    expect(eventInstantsOf(b)?.at.length).toBe(half);
    const c = remembered(half + 1);
    expect(eventInstantsOf(a)).toBeUndefined();
    expect(eventInstantsOf(b)).toBeUndefined();
    expect(eventInstantsOf(c)).toBeDefined();
    const giant = remembered(MEMO_EVENTS + 1);
    expect(eventInstantsOf(giant)).toBeUndefined();
    expect(eventInstantsOf(c)).toBeDefined();
  });

  it('give an instant only beside its own string, else parse it', () => {
    const list = remembered(2);
    const memo = eventInstantsOf(list);
    expect(instantOf(memo, 0, AT)).toBe(MS);
    // Equal text in another string object: the same instant either way.
    expect(instantOf(memo, 1, `${AT.slice(0, 10)}${AT.slice(10)}`)).toBe(MS);
    expect(instantOf(memo, 1, '2026-01-02T03:04:06+08:00')).toBe(MS + 1000);
    expect(instantOf(memo, 2, AT)).toBe(MS);
    expect(instantOf(undefined, 0, AT)).toBe(MS);
    // The memo is what answers beside its own string (a planted instant shows it), not a parse.
    const planted = [null];
    rememberInstants(planted, [AT], [42], 1);
    expect(instantOf(eventInstantsOf(planted), 0, AT)).toBe(42);
    expect(instantOf(eventInstantsOf(planted), 0, '2026-01-02T03:04:05Z')).toBe(Date.parse('2026-01-02T03:04:05Z'));
  });
});
