// How fast this machine runs the scoring code right now: one score worker's batch jobs (the text
// reader, scoreMany, the decisions' bytes) over 1,024 typical histories in this thread, CPU µs a loan,
// the median of a few passes. The machine type's speed moves a lot from hour to hour (the same job took
// 41.8 µs a loan in the tenth session, 95.1 early in the twelfth, 53-98 in the thirteenth): the end-to-end benchmarks
// record this beside their rates, before and after, so that a rate can be read against the machine's
// speed at the time and not only against other sessions' rates.
import { loadDefaultScoring } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import { JOB_SLICE, runBatchJob } from '../../src/http/batch-job.js';
import type { Scorer } from '../../src/scoring/scorer.js';
import type { SplitJob } from '../../src/http/score-worker-protocol.js';
import { typicalBatchJobs } from './batch-jobs.js';
import { median } from './median.js';

const LOANS = 1024;
/** `npm run bench:batch-job`'s figure for the same job in the tenth session (bench/results/batch-job.json then). */
export const TENTH_SESSION_MICROS_PER_LOAN = 41.8;

let ready: { scorer: Pick<Scorer, 'scoreMany'>; jobs: SplitJob[] } | null = null;

/**
 * CPU µs a loan of the reference job: the median of `passes`, after warm-up passes (five the first
 * time: fewer left the JIT cold, ~1.8x; one later). Single passes of 1,024 loans moved 51-94 µs
 * from one to the next on a noisy machine, hence the median of several.
 */
export async function referenceMicrosPerLoan(passes = 9): Promise<number> {
  const first = ready === null;
  ready ??= { scorer: (await loadDefaultScoring(loadConfig({}))).scorer, jobs: typicalBatchJobs(LOANS, 256) };
  const { scorer, jobs } = ready;
  const pass = async () => {
    const t0 = process.cpuUsage();
    for (const job of jobs) {
      const r = await runBatchJob(scorer, job, JOB_SLICE);
      if (!r.ok || r.failed > 0) throw new Error('the reference job did not score every loan');
    }
    const used = process.cpuUsage(t0);
    return (used.user + used.system) / LOANS;
  };
  for (let w = first ? 5 : 1; w > 0; w--) await pass();
  const samples: number[] = [];
  for (let p = 0; p < passes; p++) samples.push(await pass());
  return Number(median(samples).toFixed(1));
}
