// Worker-thread entry: builds the scorer once, then scores the chunks the pool sends, one at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { processSourceChunk, type ChunkContext } from './chunk.js';
import { TablesReader } from './read-tables.js';
import { buildScorer } from './scorer-factory.js';
import type { FromWorker, ToWorker, WorkerSetup } from './worker-protocol.js';

const port = parentPort;
if (port === null) throw new Error('batch/worker.js runs only as a worker thread');
const setup = workerData as WorkerSetup;
const post = (m: FromWorker) => port.postMessage(m);

try {
  const scorer = await buildScorer(setup.scorer);
  const tables = setup.tables === undefined ? undefined : await TablesReader.open(setup.tables, { asOf: setup.asOf });
  const ctx: ChunkContext = {
    scorer,
    asOf: setup.asOf,
    shard: setup.shard,
    format: setup.format,
    referenceEdges: setup.referenceEdges,
    keepDecisions: setup.keepDecisions === true,
    ...(tables === undefined ? {} : { readRange: (range) => tables.readRange(range) }),
  };
  // Chunks are scored strictly one after another so a worker holds one chunk's objects at a time.
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (m: ToWorker) => {
    queue = queue.then(async () => {
      try {
        post({ type: 'result', result: await processSourceChunk(m.chunk, ctx) });
      } catch (error) {
        post({ type: 'failed', index: m.chunk.index, message: (error as Error).stack ?? String(error) });
      }
    });
  });
  post({ type: 'ready', versions: scorer.versions });
} catch (error) {
  post({ type: 'failed', index: null, message: (error as Error).message });
}
