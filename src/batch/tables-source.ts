// The flat tables as a chunk source: id ranges sized by the loans each must read (table-chunks.ts),
// planned by DuckDB (one thread) on the main thread from the loans table and the events.
//
// Planned in segments, each planned while the previous one's chunks are scored: the planner groups
// every events row by loan (~4-6 s of CPU for the 1M-loan files, on about one core), and planned in
// one pass it ran before any worker had a chunk. When every file's Parquet row groups hold ascending
// loan id ranges (the generator's files, a lender's extract sorted by id), a segment's queries read
// only its own row groups, so the segments together cost what one pass did. Otherwise (CSV, unsorted
// Parquet) each segment would scan the whole files: then one segment, as before.
//
// The plan gives the chunk edges and, per segment, a skip file of the loans it found inactive (and not
// duplicated), which the range queries take instead of deciding that again (history-sql.ts). Both apply
// the same test, so the output is the same for any segmentation, with or without the files. Chunk k is
// the same on every run with the same input, as-of and chunk size (the segment edges are fixed ranks among
// the distinct loan ids: the first at n/4, then every n-th), as resume requires.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { PLAN_ROW, planStatements, scan, segmentCondition, segmentStartsQuery, sortedByLoanQuery } from './history-sql.js';
import { compareIds, localDates, openDuckDB, type TablesInput } from './read-tables.js';
import type { ChunkSource, IdRange, SourceChunk } from './source.js';
import { blockSize, chunkLimits, rangesFromBlocks, type PlanBlock } from './table-chunks.js';

/** The planner's DuckDB memory when it plans in segments (one plan of everything: 512 MB). */
const BESIDE_WORKERS_MEMORY = '192MB';

/** Part of the checkpoint fingerprint: a run planned another way must not resume with this plan. */
const PLAN_VERSION = 3;

export interface TablesSourceOptions {
  /** Distinct loan ids per planner segment (default 32 x the chunk size; the first segment a quarter of it:
   * 9 segments for 1M loans). Rounded up to whole planner blocks. */
  readonly segmentLoans?: number;
  /** Write each segment's inactive ids to a file the range reads take them from (default true; false: each
   * range query decides them again, as the oracle in the tests). */
  readonly skipFiles?: boolean;
}

/** Each range with the orphan ids (sorted) that fall in it. */
function withOrphans(ranges: readonly IdRange[], orphans: readonly string[]): IdRange[] {
  let o = 0;
  return ranges.map((range) => {
    const inRange: string[] = [];
    while (o < orphans.length && (range.to === null || compareIds(orphans[o]!, range.to) < 0)) inRange.push(orphans[o++]!);
    return { ...range, orphans: inRange };
  });
}

async function sortedByLoan(connection: DuckDBConnection, input: TablesInput): Promise<boolean> {
  if (input.format !== 'parquet') return false;
  for (const path of [input.loans, input.schedule, input.events]) {
    if ((await connection.runAndReadAll(sortedByLoanQuery(path))).getRows()[0]?.[0] !== true) return false;
  }
  return true;
}

/** The segments: consecutive id ranges covering the whole id space; the first holds `firstLoans`, the others
 * `loansPerSegment` distinct loan ids (the last: what is left). */
async function segmentsOf(connection: DuckDBConnection, input: TablesInput, loansPerSegment: number, firstLoans: number): Promise<IdRange[]> {
  if (!(await sortedByLoan(connection, input))) return [{ from: null, to: null }];
  const starts = ((await connection.runAndReadAll(segmentStartsQuery(input, loansPerSegment, firstLoans))).getColumns()[0] ?? []) as string[];
  const edges = [null, ...starts, null];
  return edges.slice(1).map((to, i) => ({ from: edges[i]!, to }));
}

interface Planner {
  readonly connection: DuckDBConnection;
  readonly instance: DuckDBInstance;
  readonly input: TablesInput;
  readonly chunkSize: number;
  readonly asOf: number;
  readonly dates: ReadonlyMap<string, string>;
  /** Where the segments' skip files go (null: none written). */
  readonly skipDir: string | null;
}

/** One segment's ranges (covering exactly the segment), each with its orphan ids and the segment's skip file. */
async function planSegment(p: Planner, segment: IdRange, s: number): Promise<IdRange[]> {
  const condition = segmentCondition(segment.from, segment.to);
  const skipFile = p.skipDir === null ? undefined : join(p.skipDir, `segment-${s}.parquet`);
  const statements = planStatements({ ...p.input, asOf: p.asOf, localDates: p.dates, condition }, blockSize(p.chunkSize), skipFile);
  for (const sql of statements.slice(0, -1)) await p.connection.run(sql);
  const result = await p.connection.runAndReadAll(statements.at(-1)!);
  const blocks: PlanBlock[] = [];
  // The segment's orphans come with its blocks, instead of one query per range (~15 ms each, mostly fixed cost).
  const orphans: string[] = [];
  for (const [kind, first, loans, reads, readEvents] of result.getRows()) {
    if (kind === PLAN_ROW.orphan) orphans.push(String(first));
    else blocks.push({ first: String(first), loans: Number(loans), reads: Number(reads), readEvents: Number(readEvents) });
  }
  const ranges = withOrphans(rangesFromBlocks(blocks, chunkLimits(p.chunkSize), segment), orphans);
  return skipFile === undefined ? ranges : ranges.map((r) => ({ ...r, skipFile }));
}

/** The flat tables as chunks of id ranges, planned for the as-of instant (epoch ms). */
export async function tablesSource(input: TablesInput, chunkSize: number, asOf: number, options: TablesSourceOptions = {}): Promise<ChunkSource> {
  // One DuckDB thread throughout: a second one for the first segment cost more CPU than it saved
  // wall time (the workers load their model meanwhile).
  const { instance, connection } = await openDuckDB(1, '512MB');
  let open = true;
  const closeDuckDB = (): void => {
    if (!open) return;
    open = false;
    connection.closeSync();
    instance.closeSync();
  };
  // The segments' skip files (small: the ids only), removed when the source is closed.
  const skipDir = options.skipFiles === false ? null : mkdtempSync(join(tmpdir(), 'ews-plan-'));
  const removeSkipFiles = (): void => {
    if (skipDir !== null) rmSync(skipDir, { recursive: true, force: true });
  };
  let total: number;
  let segments: IdRange[];
  let planner: Planner;
  try {
    if (input.format === 'parquet') await connection.run('LOAD parquet');
    total = Number((await connection.runAndReadAll(`SELECT count(*)::DOUBLE FROM ${scan(input.loans, input.format)}`)).getRows()[0]![0]);
    const block = blockSize(chunkSize);
    const perSegment = Math.ceil(Math.max(1, options.segmentLoans ?? chunkSize * 32) / block) * block;
    // The first segment is planned before any chunk is read, while the workers load their scorers: a
    // quarter of the others, so the first chunks start sooner (1M files: ~0.9 s to plan 131,072 loans, the
    // workers ready ~0.7 s before it).
    segments = await segmentsOf(connection, input, perSegment, Math.ceil(perSegment / 4 / block) * block);
    // Segments are planned in the memory they will have beside the workers from the first one on:
    // DuckDB keeps what a larger limit let it take (a 1M run's peak RSS was 1,618 MB with 512 MB for the
    // first segment, over the 1.5 GB bound).
    if (segments.length > 1) await connection.run(`SET memory_limit = '${BESIDE_WORKERS_MEMORY}'`);
    planner = { connection, instance, input, chunkSize, asOf, dates: await localDates(connection, input, asOf), skipDir };
  } catch (error) {
    closeDuckDB();
    removeSkipFiles();
    throw error;
  }
  const files = [input.loans, input.schedule, input.events].map((f) => {
    const s = statSync(f);
    return [f, s.size, s.mtimeMs];
  });
  /** The segment planning now, if any: close() waits for it before closing DuckDB. */
  let planning: Promise<unknown> = Promise.resolve();
  const plan = (s: number): Promise<IdRange[]> => {
    const p = planSegment(planner, segments[s]!, s);
    planning = p.catch(() => {});
    return p;
  };
  // The first segment is planned at once, while the caller starts its workers (they load their
  // scorers meanwhile); chunks() takes it from here.
  let first: Promise<IdRange[]> | null = plan(0);
  let fraction = 0;
  return {
    fingerprint: JSON.stringify({ files, plan: PLAN_VERSION }),
    totalRecords: total,
    fractionRead: () => fraction,
    async *chunks(fromIndex: number): AsyncGenerator<SourceChunk> {
      if (!open) throw new Error('the flat tables source is closed (its chunks can be listed once)');
      let index = 0;
      let next = first ?? plan(0);
      first = null;
      try {
        for (let s = 0; s < segments.length; s++) {
          const ranges = await next;
          // The next segment is planned while this one's chunks are read and scored.
          if (s + 1 < segments.length) next = plan(s + 1);
          else closeDuckDB();
          for (const [k, range] of ranges.entries()) {
            fraction = (s + (k + 1) / ranges.length) / segments.length;
            if (index >= fromIndex) yield { index, records: [], range };
            index++;
          }
        }
      } finally {
        await planning;
        closeDuckDB();
      }
    },
    // Called once every chunk is done: the range reads take the skip files until then.
    close: async () => {
      await planning;
      closeDuckDB();
      removeSkipFiles();
    },
  };
}
