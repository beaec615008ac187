// The score workers' JSON batch jobs: over typical histories as the batch route's split makes them (the
// workload of `npm run bench:batch-job` and of the machine-speed reference, reference-speed.ts), and as
// its cuts make them (`npm run bench:score-ab`).
import { splitBatchBody } from '../../src/http/batch-split.js';
import type { ItemsJob, SplitJob } from '../../src/http/score-worker-protocol.js';
import { synthesiseHistories } from './typical-histories.js';

/** The as-of instant of the typical histories' jobs (most of them long overdue by then). */
export const TYPICAL_AS_OF = Date.parse('2026-11-29T09:00:00Z');

/** n typical histories (seed 7) as jobs of `size` histories each. */
export function typicalBatchJobs(n: number, size: number): SplitJob[] {
  const histories = synthesiseHistories(n, 7);
  const jobs: SplitJob[] = [];
  for (let j = 0; j < n; j += size) {
    const bytes = Buffer.from(JSON.stringify({ histories: histories.slice(j, j + size) }));
    const split = splitBatchBody(bytes);
    if (split === null) throw new Error('the bench body does not split');
    const from = split.items[0]!;
    const to = split.items[split.items.length - 1]!;
    jobs.push({ kind: 'split', id: j, asOf: TYPICAL_AS_OF, score: true, bytes: bytes.subarray(from, to), items: Int32Array.from(split.items, (x) => x - from), firstIndex: j });
  }
  return jobs;
}

/** Histories' JSON texts as whole-array jobs of `size` items each (the route's cut path: items read where they lie). */
export function itemsBatchJobs(texts: readonly string[], asOf: number, size: number): ItemsJob[] {
  const jobs: ItemsJob[] = [];
  for (let j = 0; j < texts.length; j += size) {
    jobs.push({ kind: 'items', id: j, asOf, bytes: Buffer.from(texts.slice(j, j + size).join(',')), score: true, maxItems: size, cut: null });
  }
  return jobs;
}
