// How the flat tables are cut into chunks: by the loans a chunk must actually read, not by all loans.
// In a nightly portfolio most loans are closed or not yet disbursed; the range query counts those from
// a few columns without reading their events, but each query has a fixed cost (planning, opening five
// scans: ~60-90 ms on the 1M files), so a range of 4,096 loans that holds 400 active ones paid it for
// little. Chunks are therefore sized by the loans to read (which bounds the histories in memory) and
// capped in loans overall (which bounds the inactive records, the range scanned and DuckDB's memory).
import type { IdRange } from './source.js';

/** A run of consecutive loan ids (sorted) as the planner counted it. */
export interface PlanBlock {
  /** The block's first loan id. */
  readonly first: string;
  readonly loans: number;
  /** Loans a range read would read (not known to be inactive). */
  readonly reads: number;
  /** Events rows of those loans. */
  readonly readEvents: number;
}

export interface ChunkLimits {
  /** Loans to read per chunk at most (a block is never split, so a block above it is a chunk alone). */
  readonly maxReads: number;
  /** Loans per chunk at most, inactive ones included. */
  readonly maxLoans: number;
  /** Events rows of the loans to read, per chunk at most: the range query's DuckDB memory (128 MB)
   * holds their JSON text. */
  readonly maxReadEvents: number;
}

/**
 * The limits for a --chunk-size: three quarters of it in loans to read, 4 times it in loans overall,
 * 24 times it in events rows of the loans to read (~100,000 for 4,096: about the most a 4,096-loan
 * range of the 1M origination files held; the oldest running loans there have ~120 events each, and a
 * 16,384-loan range of them with 3,072 to read ran the reader's DuckDB out of memory).
 * Measured on the 1M origination-ordered files (read stage alone, µs of CPU per input loan, load 7-10):
 * among mostly closed loans 67.6 with 4,096-loan ranges against 46.6 with these limits; among mostly
 * active loans 96.9 against 85.0. Half the chunk size in reads gave 92.8 there; 16 times it in loans
 * overall ran DuckDB out of its 128 MB on a 65,536-loan range.
 */
export function chunkLimits(chunkSize: number): ChunkLimits {
  return { maxReads: Math.max(1, Math.floor((chunkSize * 3) / 4)), maxLoans: Math.max(1, chunkSize * 4), maxReadEvents: Math.max(1, chunkSize * 24) };
}

/** Blocks per chunk: an eighth of --chunk-size loans, so chunk edges fall close to the limits. */
export const blockSize = (chunkSize: number): number => Math.max(1, Math.floor(chunkSize / 8));

/**
 * Consecutive blocks merged greedily into id ranges that cover the id space from `bounds.from` to
 * `bounds.to` (the planner's segment; null = open: by default the whole id space), each within the
 * limits unless one block alone exceeds them.
 */
export function rangesFromBlocks(blocks: readonly PlanBlock[], limits: ChunkLimits, bounds: IdRange = { from: null, to: null }): IdRange[] {
  const starts: string[] = [];
  let reads = 0;
  let loans = 0;
  let events = 0;
  for (const [i, b] of blocks.entries()) {
    if (i === 0 || reads + b.reads > limits.maxReads || loans + b.loans > limits.maxLoans || events + b.readEvents > limits.maxReadEvents) {
      starts.push(b.first);
      reads = 0;
      loans = 0;
      events = 0;
    }
    reads += b.reads;
    loans += b.loans;
    events += b.readEvents;
  }
  if (starts.length === 0) return [{ from: bounds.from, to: bounds.to }];
  return starts.map((from, i) => ({ from: i === 0 ? bounds.from : from, to: starts[i + 1] ?? bounds.to }));
}
