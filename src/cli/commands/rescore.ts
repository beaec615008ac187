// `ews rescore`: the nightly batch run over a whole portfolio (or one shard of it).
import { availableParallelism } from 'node:os';
import { pino } from 'pino';
import { outputFormatOf, resolveInput, type InputFormat } from '../../batch/input.js';
import { logProgress, ttyProgress } from '../../batch/progress.js';
import { DEFAULT_CHUNK_SIZE, defaultWorkers, rescore, type RescoreRequest } from '../../batch/rescore.js';
import { defaultReaders, MAX_READERS } from '../../batch/range-readers.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import type { ScorerSpec } from '../../batch/scorer-factory.js';
import { parseShard, WHOLE } from '../../batch/shard.js';
import type { RunSummary } from '../../batch/summary.js';
import { loadConfig } from '../../config.js';
import { createLogger } from '../../log.js';
import { intFlag, parseFlags, requireFlag } from '../args.js';
import { allocatorInUse } from '../allocator.js';
import { gcMode } from '../relaunch.js';
import { DEFAULT_POLICY_FILE, DEFAULT_RULES_FILE } from '../../engine-files.js';
import { EXIT, UsageError, type Command } from '../command.js';
import { table, type Output } from '../output.js';

const FORMATS = ['ndjson', 'csv', 'parquet'] as const;

export function parseAsOf(value: string | undefined, now: number): number {
  if (value === undefined) return now;
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : /[zZ]|[+-]\d{2}:\d{2}$/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw new UsageError(`--as-of: expected an ISO date-time with offset (2025-08-01T00:00:00+08:00) or a date (UTC midnight), got "${value}"`);
  return ms;
}

function printSummary(s: RunSummary, out: Output): void {
  const c = s.counts;
  out.line(`${s.status === 'complete' ? 'Rescored' : 'Interrupted after'} ${c.records.toLocaleString('en-US')} records as of ${s.asOf} (shard ${s.shard}): ${c.scored} scored, ${c.rejected} rejected, ${c.inactive} inactive, ${c.otherShard} in other shards; ${s.loansPerSecond.toLocaleString('en-US')} loans/s`);
  out.line('');
  out.line(table([['band', 'loans'], ...Object.entries(s.bands).map(([k, v]) => [k, v] as [string, number])]));
  out.line('');
  out.line(table([['step', 'loans'], ...Object.entries(s.steps).filter(([, v]) => v > 0).map(([k, v]) => [k, v] as [string, number])]));
  out.line('');
  out.line(table([['rule', 'hits', 'of scored', 'errors'], ...Object.entries(s.rules).map(([k, r]) => [k, r.hits, `${(r.hitRate * 100).toFixed(2)}%`, r.errors] as [string, number, string, number])]));
  out.line('');
  const f = (x: number | null) => (x === null ? '-' : x.toPrecision(3));
  out.line(`PD mean ${f(s.pd.mean)}  p10 ${f(s.pd.p10)}  p50 ${f(s.pd.p50)}  p90 ${f(s.pd.p90)}  p99 ${f(s.pd.p99)}`);
  out.line(s.psi.value === null ? `PSI: ${s.psi.note ?? 'not computed'}` : `PSI vs training distribution: ${s.psi.value.toFixed(4)}${s.psi.drift ? `  WARNING: above ${s.psi.threshold}, the score distribution has drifted` : ''}`);
  out.line(`band rose since the previous run: ${s.bandRises.count} loans (${s.bandRises.file})`);
  if (s.store !== undefined) out.line(`store: ${s.store.decisionsSaved} decisions saved, ${s.store.alertsRaised} alerts raised`);
  out.line(`decisions: ${s.files['decisions']}  rejects: ${s.files['rejects']}  summary: ${s.files['summary']}`);
}

/** --readers: table readers per worker (flat tables only). */
function readersFlag(value: string | undefined, workers: number): number {
  const n = intFlag(value, 'readers', defaultReaders(workers), 1);
  if (n > MAX_READERS) throw new UsageError(`--readers: expected an integer from 1 to ${MAX_READERS}, got "${value}"`);
  return n;
}

export const rescoreCommand: Command = {
  name: 'rescore',
  usage:
    'ews rescore (--input <file|dir> [--format ndjson|csv|parquet] | --from-store [--db FILE]) --out <file.ndjson|.csv|.parquet> [--as-of T] [--workers N] [--shard i/N] ' +
    '[--chunk-size N] [--readers N] [--restart] [--model DIR] [--rules FILE] [--policy FILE] [--scorer engine|fixture] [--json]',
  async run(argv, out) {
    const { values } = parseFlags(argv, {
      input: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      'out-format': { type: 'string' },
      'as-of': { type: 'string' },
      workers: { type: 'string' },
      shard: { type: 'string' },
      'chunk-size': { type: 'string' },
      readers: { type: 'string' },
      restart: { type: 'boolean' },
      model: { type: 'string' },
      rules: { type: 'string' },
      policy: { type: 'string' },
      scorer: { type: 'string' },
      json: { type: 'boolean' },
      'from-store': { type: 'boolean' },
      db: { type: 'string' },
    });
    const config = loadConfig();
    const format = values.format;
    if (format !== undefined && !(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format: expected one of ${FORMATS.join(', ')}, got "${format}"`);
    const outFormat = values['out-format'] ?? outputFormatOf(requireFlag(values.out, 'out'));
    if (!(FORMATS as readonly string[]).includes(outFormat)) throw new UsageError(`--out-format: expected one of ${FORMATS.join(', ')}, got "${outFormat}"`);
    const fromStore = values['from-store'] === true;
    if (fromStore && values.input !== undefined) throw new UsageError('--from-store and --input exclude each other');
    let input: RescoreRequest['input'];
    try {
      input = fromStore ? { kind: 'store' } : resolveInput(requireFlag(values.input, 'input'), format as InputFormat | undefined);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError((error as Error).message);
    }
    let shard = WHOLE;
    try {
      if (values.shard !== undefined) shard = parseShard(values.shard);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const scorerKind = values.scorer ?? 'engine';
    if (scorerKind !== 'engine' && scorerKind !== 'fixture') throw new UsageError(`--scorer: expected engine or fixture, got "${scorerKind}"`);
    const scorer: ScorerSpec = scorerKind === 'fixture' ? { kind: 'fixture' } : { kind: 'engine', modelDir: values.model ?? config.modelDir, rulesFile: values.rules ?? DEFAULT_RULES_FILE, policyFile: values.policy ?? DEFAULT_POLICY_FILE };

    const log = createLogger(config.logLevel, pino.destination(2)).child({ command: 'rescore' });
    // bin/ews.js relaunches rescore with --single-threaded-gc, and jemalloc when EWS_JEMALLOC asks (relaunch.ts);
    // EWS_RELAUNCH=0 runs it as started.
    log.info({ pid: process.pid, gc: gcMode(), allocator: allocatorInUse() }, 'rescore starting');
    const controller = new AbortController();
    const onSigint = () => {
      if (controller.signal.aborted) process.exit(EXIT.interrupted);
      out.error('\nstopping after the chunks in flight; rerun the same command to resume (Ctrl-C again to quit now)');
      controller.abort();
    };
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigint);
    const store = fromStore ? SqliteStore.open(values.db ?? config.dbPath) : undefined;
    try {
      const workers = intFlag(values.workers, 'workers', defaultWorkers(input, availableParallelism()), 0);
      const summary = await rescore({
        input,
        ...(store === undefined ? {} : { store }),
        out: requireFlag(values.out, 'out'),
        format: outFormat as (typeof FORMATS)[number],
        asOf: parseAsOf(values['as-of'], Date.now()),
        workers,
        shard,
        chunkSize: intFlag(values['chunk-size'], 'chunk-size', DEFAULT_CHUNK_SIZE, 1),
        readers: readersFlag(values.readers, workers),
        scorer,
        restart: values.restart === true,
        signal: controller.signal,
        progress: out.isTty ? ttyProgress(process.stderr) : logProgress(log),
      });
      if (values.json === true) out.json(summary);
      else printSummary(summary, out);
      log.info({ status: summary.status, counts: summary.counts, psi: summary.psi.value, drift: summary.psi.drift, bandRises: summary.bandRises.count, loansPerSecond: summary.loansPerSecond }, 'rescore done');
      if (summary.psi.drift) log.warn({ psi: summary.psi.value, threshold: summary.psi.threshold }, 'score distribution drift');
      if (summary.status === 'interrupted') return EXIT.interrupted;
      return summary.counts.rejected > 0 ? EXIT.partial : EXIT.ok;
    } finally {
      store?.close();
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
    }
  },
};
