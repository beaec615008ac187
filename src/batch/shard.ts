// Shards by a stable hash of the loan id, so that N machines (say a Kubernetes indexed Job) each take
// a disjoint part of the portfolio and together cover all of it. The hash is FNV-1a over the UTF-8
// bytes: it depends on nothing but the id, never on input order, chunk size or worker count.

export interface Shard {
  /** 0-based index of this shard. */
  readonly index: number;
  readonly count: number;
}

export const WHOLE: Shard = { index: 0, count: 1 };

const encoder = new TextEncoder();

/** 32-bit FNV-1a of the UTF-8 bytes of `text`. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  // ASCII ids (the common case) skip the encoder.
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) {
      ascii = false;
      break;
    }
    hash = Math.imul(hash ^ c, 0x01000193);
  }
  if (ascii) return hash >>> 0;
  hash = 0x811c9dc5;
  for (const byte of encoder.encode(text)) hash = Math.imul(hash ^ byte, 0x01000193);
  return hash >>> 0;
}

export function shardOf(loanId: string, count: number): number {
  return fnv1a32(loanId) % count;
}

export function inShard(loanId: string, shard: Shard): boolean {
  return shard.count === 1 || shardOf(loanId, shard.count) === shard.index;
}

/** Parses `i/N` with 0 <= i < N (0-based, as a Kubernetes indexed Job's JOB_COMPLETION_INDEX is). */
export function parseShard(spec: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(spec.trim());
  if (match === null) throw new Error(`--shard: expected i/N (e.g. 0/4), got "${spec}"`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || count > 1_000_000) throw new Error(`--shard: N must be between 1 and 1000000, got ${count}`);
  if (index >= count) throw new Error(`--shard: i must be in 0..${count - 1} (0-based), got ${index}`);
  return { index, count };
}
