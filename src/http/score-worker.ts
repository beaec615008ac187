// Worker-thread entry of the score routes: loads the engine once, then parses, validates and scores
// single histories and slices of batch bodies. Results come back as JSON text, byte for byte what the
// in-process routes write.
import { parentPort, workerData } from 'node:worker_threads';
import { loadEngine } from '../engine-files.js';
import { runBatchJob } from './batch-job.js';
import { needsOrdinaryParse } from './json-screen.js';
import { scoreOneReply, scoreOneText } from './score-one-reply.js';
import type { FromScoreWorker, ScoreJob, ScoreOneJob, ScoreOneJobs, ScoreOneResult, ScoreWorkerSetup } from './score-worker-protocol.js';

const port = parentPort;
if (port === null) throw new Error('http/score-worker.js runs only as a worker thread');
const post = (m: FromScoreWorker) => port.postMessage(m);

try {
  const { scorer } = await loadEngine({ modelDir: (workerData as ScoreWorkerSetup).modelDir });

  const runOne = (job: ScoreOneJob): ScoreOneResult => {
    if (needsOrdinaryParse(job.text)) return { id: job.id, status: 'ordinary' };
    const read = scoreOneText(scorer, job.text, job.asOf, job.score);
    if (read !== undefined) return { id: job.id, status: 'done', json: read.body.toString('utf8'), band: read.band, seconds: read.seconds };
    let raw: unknown;
    try {
      raw = JSON.parse(job.text);
    } catch {
      return { id: job.id, status: 'ordinary' };
    }
    const reply = scoreOneReply(scorer, raw, job.asOf, job.score);
    if (!reply.ok) return { id: job.id, status: 'invalid', problems: reply.problems };
    return { id: job.id, status: 'done', json: reply.body.toString('utf8'), band: reply.band, seconds: reply.seconds };
  };

  port.on('message', (job: ScoreJob | ScoreOneJobs) => {
    if (job.kind === 'ones') {
      const results = job.jobs.map((one): ScoreOneResult => {
        try {
          return runOne(one);
        } catch (error) {
          return { id: one.id, status: 'error', message: (error as Error).stack ?? String(error) };
        }
      });
      post({ type: 'ones', results });
      return;
    }
    runBatchJob(scorer, job).then(
      (result) => port.postMessage({ type: 'done', result } satisfies FromScoreWorker, result.ok && result.results.byteLength > 0 ? [result.results.buffer as ArrayBuffer] : []),
      (error: unknown) => post({ type: 'done', result: { id: job.id, ok: false, notJson: false, message: (error as Error).stack ?? String(error) } }),
    );
  });
  post({ type: 'ready' });
} catch (error) {
  post({ type: 'failed', message: (error as Error).message });
}
