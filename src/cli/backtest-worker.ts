// A backtest worker thread: loads its own model, rules and policy, replays every loan whose record
// index falls in its shard, and sends the per-loan outcomes back.
import { parentPort, workerData } from 'node:worker_threads';
import { load, replayShard, type WorkerInput, type WorkerMessage } from './backtest-run.js';
import { loadScoringModel } from '../engine-files.js';
import { readHistories } from '../history-files.js';

async function run(input: WorkerInput): Promise<void> {
  const port = parentPort!;
  try {
    const loaded = await load(input.setup, loadScoringModel);
    const { histories } = await readHistories(input.historiesFile, (i) => i % input.workers === input.shard);
    const outcomes = await replayShard(loaded, histories, { ...input.options, onDay: (day) => port.postMessage({ kind: 'day', day } satisfies WorkerMessage) });
    port.postMessage({ kind: 'done', outcomes } satisfies WorkerMessage);
  } catch (error) {
    port.postMessage({ kind: 'error', message: (error as Error).message } satisfies WorkerMessage);
  }
}

if (parentPort !== null) void run(workerData as WorkerInput);
