// Worker-thread entry: builds the scorer once, then scores the chunks the pool sends, one at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { processChunk, processSourceChunk, type ChunkContext, type ChunkResult, type RawRecord } from './chunk.js';
import { openRangeReaders } from './range-readers.js';
import { buildScorer } from './scorer-factory.js';
import type { FromWorker, ToWorker, WorkerSetup } from './worker-protocol.js';

const port = parentPort;
if (port === null) throw new Error('batch/worker.js runs only as a worker thread');
const setup = workerData as WorkerSetup;
const post = (m: FromWorker) => port.postMessage(m);

/**
 * A result goes back with its decisions' UTF-8 bytes moved to the main thread (transferred) rather than
 * copied: as a string (megabytes, two-byte for the Chinese reasons) the message copied it out here and
 * in again on the main thread, and the main thread then encoded it to write it. Measured (60 messages
 * of 2,000 decision-like lines): main thread 1.3-1.4 s of CPU as strings against 0.2-0.25 s as bytes,
 * the process 2.9-3.2 s against 2.15 s.
 */
function postResult(result: ChunkResult): void {
  port!.postMessage({ type: 'result', result } satisfies FromWorker, [result.output.buffer as ArrayBuffer]);
}

try {
  const scorer = await buildScorer(setup.scorer);
  const tables = setup.tables === undefined ? undefined : await openRangeReaders(setup.tables, { asOf: setup.asOf }, setup.readers ?? 1);
  const ctx: ChunkContext = {
    scorer,
    asOf: setup.asOf,
    shard: setup.shard,
    format: setup.format,
    referenceEdges: setup.referenceEdges,
    keepDecisions: setup.keepDecisions === true,
    ...(tables === undefined ? {} : { readRange: (range) => tables.read(range) }),
  };
  // Chunks are scored strictly one after another so a worker holds one chunk's objects at a time; the
  // next chunks' table ranges are read meanwhile (DuckDB works on its own threads), one per reader.
  let scoring: Promise<void> = Promise.resolve();
  port.on('message', (m: ToWorker) => {
    const { chunk } = m;
    let records: Promise<RawRecord[]> | null = null;
    if (chunk.range !== undefined && tables !== undefined) records = tables.read(chunk.range);
    scoring = scoring.then(async () => {
      try {
        const result = records === null ? await processSourceChunk(chunk, ctx) : await processChunk(chunk.index, await records, ctx);
        postResult(result);
      } catch (error) {
        post({ type: 'failed', index: chunk.index, message: (error as Error).stack ?? String(error) });
      }
    });
  });
  post({ type: 'ready', versions: scorer.versions });
} catch (error) {
  post({ type: 'failed', index: null, message: (error as Error).message });
}
