import { Worker } from 'node:worker_threads';
import { dateToDay, dayToDate } from '../../domain/history/calendar.js';
import { firstOriginationDay, lastEventDay, type LoanOutcome } from '../../scoring/backtest.js';
import { summarise, type BacktestMetrics, type BacktestReport } from '../../scoring/backtest-summary.js';
import { intFlag, parseFlags, requireFlag } from '../args.js';
import { load, replayShard, type BacktestSetup, type ModelLoader, type WorkerInput, type WorkerMessage } from '../backtest-run.js';
import { EXIT, UsageError, type Command } from '../command.js';
import type { Output } from '../output.js';
import { table } from '../output.js';
import { readHistories } from '../../history-files.js';

const USAGE =
  'ews backtest --histories <ndjson> [--model <dir>] [--policy <file>] [--rules <file>] [--json] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--step-days N] [--workers N]';

const date = (value: string | undefined, flag: string): number | undefined => {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new UsageError(`--${flag}: expected a date as YYYY-MM-DD, got "${value}"`);
  return dateToDay(value);
};

export interface BacktestCommandDeps {
  readonly loadModel: ModelLoader;
  /** Read when --model is absent (a function, so that nothing reads config at import time). */
  readonly defaultModelDir: () => string;
  /** Worker threads need a loader they can import themselves; tests run inline. */
  readonly workerUrl?: URL;
}

export function makeBacktestCommand(deps: BacktestCommandDeps): Command {
  return {
    name: 'backtest',
    usage: USAGE,
    async run(argv, out) {
      const { values } = parseFlags(argv, {
        histories: { type: 'string' },
        model: { type: 'string' },
        policy: { type: 'string' },
        rules: { type: 'string' },
        json: { type: 'boolean' },
        from: { type: 'string' },
        to: { type: 'string' },
        'step-days': { type: 'string' },
        workers: { type: 'string' },
      });
      const file = requireFlag(values.histories, 'histories');
      const stepDays = intFlag(values['step-days'], 'step-days', 1, 1);
      const workers = intFlag(values.workers, 'workers', 1, 1);
      const setup: BacktestSetup = { modelDir: values.model ?? deps.defaultModelDir(), rulesFile: values.rules, policyFile: values.policy };
      const started = performance.now();
      const loaded = await load(setup, deps.loadModel);
      const read = await readHistories(file);
      for (const b of read.bad.slice(0, 20)) out.error(`line ${b.line}: ${b.message}`);
      if (read.bad.length > 20) out.error(`(${read.bad.length - 20} more bad lines)`);
      if (read.histories.length === 0) {
        out.error(`no valid loan history in ${file}`);
        return EXIT.failure;
      }
      const fromDay = date(values.from, 'from') ?? firstOriginationDay(read.histories);
      const toDay = date(values.to, 'to') ?? lastEventDay(read.histories);
      if (toDay < fromDay) throw new UsageError(`--to ${dayToDate(toDay)} is before --from ${dayToDate(fromDay)}`);
      const options = { fromDay, toDay, stepDays };
      const progress = (day: number): void => {
        if (out.isTty && (day - fromDay) % 30 === 0) out.error(`replaying ${dayToDate(day)} (${dayToDate(fromDay)} .. ${dayToDate(toDay)})`);
      };
      let outcomes: LoanOutcome[];
      if (workers <= 1 || deps.workerUrl === undefined) {
        outcomes = await replayShard(loaded, read.histories, { ...options, onDay: progress });
      } else {
        const shards = await Promise.all(Array.from({ length: workers }, (_, shard) => runWorker(deps.workerUrl!, { setup, historiesFile: file, shard, workers, options }, shard === 0 ? progress : undefined)));
        outcomes = shards.flat();
      }
      const seconds = (performance.now() - started) / 1000;
      const report = summarise(outcomes, { fromDay, toDay, stepDays, versions: { ...loaded.pipeline.versions, backend: loaded.model.info.backend } });
      if (values.json) out.json({ ...report, badRecords: read.bad.length, seconds: Math.round(seconds * 10) / 10, workers });
      else printReport(report, out, read.bad.length, seconds);
      return read.bad.length > 0 ? EXIT.partial : EXIT.ok;
    },
  };
}

function runWorker(url: URL, input: WorkerInput, onDay: ((day: number) => void) | undefined): Promise<LoanOutcome[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(url, { workerData: input });
    worker.on('message', (m: WorkerMessage) => {
      if (m.kind === 'day') onDay?.(m.day);
      else if (m.kind === 'done') resolve(m.outcomes);
      else reject(new Error(`backtest worker ${input.shard}: ${m.message}`));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`backtest worker ${input.shard} exited with code ${code}`));
    });
  });
}

const pct = (x: number | null): string => (x === null ? '-' : `${(100 * x).toFixed(1)}%`);
const num = (x: number | null, digits = 1): string => (x === null ? '-' : x.toFixed(digits));

function metricRows(label: string, m: BacktestMetrics): Array<Array<string | number>> {
  return [[label, m.referrals, pct(m.flaggedAhead30Share), num(m.medianLeadDays), m.alerts, pct(m.alertPrecision), num(m.alertsPer1000LoanDays, 2)]];
}

export function printReport(r: BacktestReport, out: Output, badRecords: number, seconds: number): void {
  out.line(`backtest ${r.from} .. ${r.to}: ${r.loans.toLocaleString('en-US')} loans, ${r.activeLoanDays.toLocaleString('en-US')} active loan-days, every ${r.stepDays} day(s), ${seconds.toFixed(1)} s`);
  out.line(`versions: ${Object.entries(r.versions).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  if (badRecords > 0) out.line(`${badRecords} bad record(s) skipped`);
  out.line('');
  out.line(
    table([
      ['policy', 'referrals', 'flagged >=30d ahead', 'median lead (d)', 'alerts', 'precision', 'alerts/1000 loan-days'],
      ...metricRows('model + rules', r),
      ...metricRows('naive: DPD >= 30', r.naive),
      ...r.naiveCurve.flatMap((c) => metricRows(`  (DPD >= ${c.dpd})`, c)),
    ]),
  );
  out.line('');
  out.line(table([['band at alert', 'alerts', 'evaluated', 'precision'], ...Object.entries(r.byBand).map(([b, g]) => [b, g.alerts, g.alertsEvaluated, pct(g.alertPrecision)])]));
  out.line('');
  out.line(
    table([
      ['rule', 'alerts hit', 'precision', 'loan-days hit'],
      ...Object.entries(r.byRule).map(([id, g]) => [id, g.alerts, pct(g.alertPrecision), g.loanDaysHit]),
    ]),
  );
  out.line('');
  out.line(
    table([
      ['referral reason', 'referrals', 'flagged >=30d', 'median lead', 'naive >=30d', 'naive median'],
      ...Object.entries(r.byReferralReason).map(([k, g]) => [k, g.referrals, pct(g.flaggedAhead30Share), num(g.medianLeadDays), pct(g.naiveFlaggedAhead30Share), num(g.naiveMedianLeadDays)]),
    ]),
  );
}
