import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fnv1a32, inShard, parseShard, shardOf } from '../../src/batch/shard.js';

describe('shard', () => {
  it('matches the published FNV-1a test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('hashes non-ASCII ids by their UTF-8 bytes', () => {
    // "é" is C3 A9 in UTF-8: the same as hashing those two bytes.
    let h = 0x811c9dc5;
    for (const b of [0xc3, 0xa9]) h = Math.imul(h ^ b, 0x01000193);
    expect(fnv1a32('é')).toBe(h >>> 0);
  });

  it('puts every id in exactly one of N shards', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.integer({ min: 1, max: 64 }), (id, n) => {
        const owners = Array.from({ length: n }, (_, i) => i).filter((i) => inShard(id, { index: i, count: n }));
        expect(owners).toEqual([shardOf(id, n)]);
      }),
    );
  });

  it('spreads sequential loan ids evenly', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[shardOf(`L${String(i).padStart(7, '0')}`, 4)]!++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });

  it('parses i/N and names what is wrong', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(() => parseShard('4/4')).toThrow(/0\.\.3/);
    expect(() => parseShard('1-4')).toThrow(/expected i\/N/);
    expect(() => parseShard('0/0')).toThrow(/N must be/);
  });
});
