// Worker-thread entry of the score routes: loads the engine once, then parses, validates and scores
// single histories and slices of batch bodies. Results come back as JSON text, byte for byte what the
// in-process routes write.
import { parentPort, workerData } from 'node:worker_threads';
import { BANDS, type Decision } from '../domain/decision/schema.js';
import type { LoanHistory } from '../domain/history/schema.js';
import { parseHistory } from '../domain/history/validate.js';
import { loadEngine } from '../engine-files.js';
import { needsOrdinaryParse } from './json-screen.js';
import type { FromScoreWorker, ScoreJob, ScoreJobResult, ScoreOneJob, ScoreOneJobs, ScoreOneResult, ScoreWorkerSetup } from './score-worker-protocol.js';

/** Histories scored per model call: the same chunk size as the in-process route. */
const CHUNK = 256;
/** TextEncoder output owns its ArrayBuffer (Buffer.from may hand out a slice of a shared pool), so it can be transferred. */
const ENCODER = new TextEncoder();

const port = parentPort;
if (port === null) throw new Error('http/score-worker.js runs only as a worker thread');
const post = (m: FromScoreWorker) => port.postMessage(m);

try {
  const { scorer } = await loadEngine({ modelDir: (workerData as ScoreWorkerSetup).modelDir });

  const run = async (job: ScoreJob): Promise<ScoreJobResult> => {
    const text = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
    const n = job.items.length / 2;
    const out: string[] = new Array(n);
    let scored = 0;
    let seconds = 0;
    const bands = BANDS.map(() => 0);
    for (let start = 0; start < n; start += CHUNK) {
      const valid: LoanHistory[] = [];
      const slots: number[] = [];
      for (let k = start; k < Math.min(start + CHUNK, n); k++) {
        const index = job.firstIndex + k;
        let raw: unknown;
        try {
          raw = JSON.parse(text.toString('utf8', job.items[2 * k], job.items[2 * k + 1]));
        } catch {
          return { id: job.id, ok: false, notJson: true };
        }
        const parsed = parseHistory(raw, ['histories', index]);
        if (parsed.ok) {
          valid.push(parsed.value);
          slots.push(k);
        } else {
          out[k] = JSON.stringify({ index, ok: false, errors: parsed.problems });
        }
      }
      scored += valid.length;
      if (!job.score) {
        for (const k of slots) out[k] = '';
        continue;
      }
      const t0 = performance.now();
      const decisions: Decision[] = valid.length === 0 ? [] : await scorer.scoreMany(valid, job.asOf);
      seconds += (performance.now() - t0) / 1000;
      for (const d of decisions) bands[BANDS.indexOf(d.band)]!++;
      slots.forEach((k, j) => (out[k] = JSON.stringify({ index: job.firstIndex + k, ok: true, decision: decisions[j] })));
    }
    return { id: job.id, ok: true, results: ENCODER.encode(job.score ? out.join(',') : ''), scored, failed: n - scored, bands, seconds };
  };

  const runOne = (job: ScoreOneJob): ScoreOneResult => {
    if (needsOrdinaryParse(job.text)) return { id: job.id, status: 'ordinary' };
    let raw: unknown;
    try {
      raw = JSON.parse(job.text);
    } catch {
      return { id: job.id, status: 'ordinary' };
    }
    const parsed = parseHistory(raw);
    if (!parsed.ok) return { id: job.id, status: 'invalid', problems: parsed.problems };
    if (!job.score) return { id: job.id, status: 'done', json: JSON.stringify({ loanId: parsed.value.loanId }), band: null, seconds: 0 };
    const t0 = performance.now();
    const decision = scorer.scoreOne(parsed.value, job.asOf);
    const seconds = (performance.now() - t0) / 1000;
    return { id: job.id, status: 'done', json: JSON.stringify(decision), band: decision.band, seconds };
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
    run(job).then(
      (result) => port.postMessage({ type: 'done', result } satisfies FromScoreWorker, result.ok ? [result.results.buffer as ArrayBuffer] : []),
      (error: unknown) => post({ type: 'done', result: { id: job.id, ok: false, notJson: false, message: (error as Error).stack ?? String(error) } }),
    );
  });
  post({ type: 'ready' });
} catch (error) {
  post({ type: 'failed', message: (error as Error).message });
}
