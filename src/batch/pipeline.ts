// The nightly rescoring run: chunks from a reader, scored by an executor (in-process or workers),
// committed strictly in chunk order to the output, reject, band and rise files, with a checkpoint
// after each commit. Memory is bounded by the chunks in flight (2 per worker), never by the input.
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Decision } from '../domain/decision/schema.js';
import { formatInstant } from '../domain/history/calendar.js';
import { AppendFile } from './append-file.js';
import { findRises, loadPreviousBands, type BandRise } from './band-rises.js';
import { readCheckpoint, writeCheckpoint, CHECKPOINT_VERSION, type Checkpoint } from './checkpoint.js';
import { CSV_HEADER, type OutputFormat } from './decision-row.js';
import type { ChunkResult } from './chunk.js';
import type { ChunkExecutor } from './executor.js';
import { silentProgress, type ProgressReporter } from './progress.js';
import type { ReferenceDistribution } from './psi.js';
import { runFiles } from './run-files.js';
import type { Shard } from './shard.js';
import type { ChunkSource } from './source.js';
import { emptyStats, mergeStats } from './stats.js';
import { summarize, type RunSummary } from './summary.js';
import { csvToParquet } from './write-parquet.js';

export interface RescoreOptions {
  readonly source: ChunkSource;
  readonly executor: ChunkExecutor;
  readonly out: string;
  readonly format: OutputFormat;
  readonly asOf: number;
  readonly shard: Shard;
  readonly chunkSize: number;
  readonly reference: ReferenceDistribution | null;
  readonly referenceNote?: string;
  /** Discard an interrupted run's checkpoint instead of resuming it. */
  readonly restart?: boolean;
  readonly signal?: AbortSignal;
  readonly progress?: ProgressReporter;
  /** Called with each chunk's decisions before its checkpoint (needs an executor that keeps them). */
  readonly onDecisions?: (decisions: readonly Decision[]) => void | Promise<void>;
  readonly now?: () => number;
  /** Extra summary fields known only to the caller (e.g. what was recorded in the store). */
  readonly extraSummary?: () => Partial<RunSummary>;
  /**
   * Called once every chunk is committed, before the Parquet conversion: the caller releases what scored
   * the chunks (the workers' heaps), so that DuckDB's conversion does not add to them at the run's peak RSS.
   */
  readonly onChunksDone?: () => void | Promise<void>;
}

const RISE_SAMPLE = 20;

export class ResumeMismatchError extends Error {
  constructor(path: string) {
    super(`${path} belongs to an interrupted run with other input or settings; rerun it unchanged to resume, or pass --restart to discard it`);
    this.name = 'ResumeMismatchError';
  }
}

export async function runRescore(o: RescoreOptions): Promise<RunSummary> {
  const now = o.now ?? (() => performance.now());
  const started = now();
  const files = runFiles(o.out, o.format);
  const progress = o.progress ?? silentProgress;
  const key = JSON.stringify({ input: o.source.fingerprint, asOf: o.asOf, shard: o.shard, format: o.format, chunkSize: o.chunkSize, versions: o.executor.versions });

  let cp = readCheckpoint(files.checkpoint);
  if (cp !== null && !cp.done && cp.key !== key && o.restart !== true) throw new ResumeMismatchError(files.checkpoint);
  const resuming = cp !== null && !cp.done && cp.key === key && o.restart !== true;
  if (!resuming) {
    // A fresh run: the last complete run's bands become the baseline for band rises.
    if (cp?.done === true && existsSync(files.bands)) renameSync(files.bands, files.previousBands);
    else if (cp === null && existsSync(files.bands)) renameSync(files.bands, files.previousBands);
    cp = {
      version: CHECKPOINT_VERSION,
      key,
      startedAt: new Date().toISOString(),
      nextChunk: 0,
      offsets: { decisions: 0, rejects: 0, bands: 0, rises: 0 },
      stats: emptyStats(o.reference === null ? 0 : o.reference.edges.length + 1),
      rises: 0,
      done: false,
    };
  }
  const checkpoint: Checkpoint = cp!;
  const previous = loadPreviousBands(files.previousBands);
  const decisions = new AppendFile(files.decisions, checkpoint.offsets.decisions);
  const rejects = new AppendFile(files.rejects, checkpoint.offsets.rejects);
  const bands = new AppendFile(files.bands, checkpoint.offsets.bands);
  const risesFile = new AppendFile(files.rises, checkpoint.offsets.rises);
  if (decisions.size === 0 && o.format !== 'ndjson') decisions.append(CSV_HEADER);
  writeCheckpoint(files.checkpoint, { ...checkpoint, offsets: { ...checkpoint.offsets, decisions: decisions.size } });

  const riseSample: BandRise[] = [];
  let recordsThisRun = 0;
  const commit = async (r: ChunkResult) => {
    decisions.append(r.output);
    rejects.append(r.rejects);
    bands.append(r.bands);
    const rises = findRises(r.bands, previous);
    let riseText = '';
    for (const rise of rises) riseText += `${JSON.stringify(rise)}\n`;
    risesFile.append(riseText);
    for (const f of [decisions, rejects, bands, risesFile]) f.sync();
    if (o.onDecisions !== undefined) await o.onDecisions(r.decisions ?? []);
    mergeStats(checkpoint.stats, r.stats);
    checkpoint.rises += rises.length;
    checkpoint.nextChunk = r.index + 1;
    checkpoint.offsets = { decisions: decisions.size, rejects: rejects.size, bands: bands.size, rises: risesFile.size };
    writeCheckpoint(files.checkpoint, checkpoint);
    for (const rise of rises) if (riseSample.length < RISE_SAMPLE) riseSample.push(rise);
    const s = r.stats;
    recordsThisRun += s.scored + s.rejected + s.inactive + s.otherShard;
    const t = checkpoint.stats;
    progress.update({ records: t.scored + t.rejected + t.inactive + t.otherShard, scored: t.scored, rejected: t.rejected, fraction: o.source.fractionRead(), elapsedMs: now() - started });
  };

  const inflight = new Map<number, Promise<ChunkResult>>();
  let nextToCommit = checkpoint.nextChunk;
  const commitNext = async () => {
    const pending = inflight.get(nextToCommit);
    if (pending === undefined) throw new Error(`internal: chunk ${nextToCommit} was never started`);
    const result = await pending;
    inflight.delete(nextToCommit);
    await commit(result);
    nextToCommit++;
  };

  let interrupted = false;
  try {
    for await (const chunk of o.source.chunks(checkpoint.nextChunk)) {
      if (o.signal?.aborted === true) {
        interrupted = true;
        break;
      }
      const running = o.executor.run(chunk);
      // Failures surface when the chunk's turn to commit comes; until then keep the rejection handled.
      running.catch(() => {});
      inflight.set(chunk.index, running);
      while (inflight.size >= o.executor.parallelism * o.executor.depth) await commitNext();
    }
    // Chunks already in flight are finished and committed, also after Ctrl-C: their work is done.
    while (inflight.size > 0) await commitNext();
    if (o.signal?.aborted === true) interrupted = true;
  } finally {
    for (const f of [decisions, rejects, bands, risesFile]) f.close();
    await o.source.close();
  }
  await o.onChunksDone?.();
  const t = checkpoint.stats;
  progress.finish({ records: t.scored + t.rejected + t.inactive + t.otherShard, scored: t.scored, rejected: t.rejected, fraction: interrupted ? o.source.fractionRead() : 1, elapsedMs: now() - started });

  if (!interrupted) {
    if (o.format === 'parquet') {
      await csvToParquet(files.decisions, files.final);
      rmSync(files.decisions, { force: true });
    }
    checkpoint.done = true;
    writeCheckpoint(files.checkpoint, checkpoint);
  }
  const summary: RunSummary = summarize({
    status: interrupted ? 'interrupted' : 'complete',
    asOf: formatInstant(o.asOf, 'UTC'),
    shard: `${o.shard.index}/${o.shard.count}`,
    versions: { ...o.executor.versions },
    stats: checkpoint.stats,
    reference: o.reference,
    ...(o.referenceNote === undefined ? {} : { referenceNote: o.referenceNote }),
    rises: checkpoint.rises,
    riseSample,
    files: { decisions: files.final, rejects: files.rejects, rises: files.rises, bands: files.bands, checkpoint: files.checkpoint, summary: files.summary },
    elapsedMs: now() - started,
    recordsThisRun,
  });
  Object.assign(summary, o.extraSummary?.() ?? {});
  if (!interrupted) {
    writeFileSync(files.summary, `${JSON.stringify(summary, null, 2)}\n`);
  }
  return summary;
}
