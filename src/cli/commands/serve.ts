// `ews serve`: the only place that listens. Config -> compose -> app; an empty store is first filled
// with the committed sample portfolio; SIGINT/SIGTERM drain in-flight requests before exiting.
import { existsSync } from 'node:fs';
import closeWithGrace from 'close-with-grace';
import { compose } from '../../compose.js';
import { loadConfig } from '../../config.js';
import { buildApp } from '../../http/app.js';
import { intFlag, parseFlags } from '../args.js';
import { EXIT, UsageError, type Command } from '../command.js';
import { historyValidatorKind } from '../../domain/history/validate.js';
import { latestSampleInstant, loadSample } from '../sample-loader.js';
import { mallocTrimNote } from '../malloc-trim.js';
import { applyHeapGrowingPercent } from '../heap-growing.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export const serve: Command = {
  name: 'serve',
  usage: 'ews serve [--host H] [--port P] [--db FILE] [--no-sample] [--clock-start ISO|sample]   (env: EWS_HOST, EWS_PORT, EWS_DB, EWS_API_KEYS, EWS_KEYS_FILE, ...)',
  async run(argv, out) {
    const { values } = parseFlags(argv, { host: { type: 'string' }, port: { type: 'string' }, db: { type: 'string' }, 'no-sample': { type: 'boolean' }, 'clock-start': { type: 'string' } });
    const base = loadConfig();
    const config = {
      ...base,
      host: values.host ?? base.host,
      port: intFlag(values.port, 'port', base.port),
      dbPath: values.db ?? base.dbPath,
      loadSample: base.loadSample && values['no-sample'] !== true,
    };
    // Before compose: the score workers start there, and the event loop's heap grows from the start.
    const heapNote = applyHeapGrowingPercent(config.heapGrowingPercent);
    const now = await serviceClock(values['clock-start'], config.samplePath);
    if (now !== undefined) out.error(`ews serve: service clock starts at ${new Date(now()).toISOString()} and runs in real time (--clock-start)`);
    const services = await compose(config, now === undefined ? {} : { now });
    const trimNote = mallocTrimNote(process.platform, process.env);
    if (trimNote !== null) services.logger.info(trimNote);
    if (heapNote !== null) services.logger.info(heapNote);
    if (historyValidatorKind() === 'zod') services.logger.warn('the loan-history contract did not compile to the fast validator: every body is validated by zod alone (correct, about 4x slower)');
    let host = config.host;
    if (services.generatedKey !== null) {
      if (!LOOPBACK.has(host)) {
        out.error(`ews serve: no API keys configured, so listening on 127.0.0.1 instead of ${host} (set EWS_API_KEYS or EWS_KEYS_FILE)`);
        host = '127.0.0.1';
      }
      out.error(`ews serve: no API keys configured; generated admin key (shown once): ${services.generatedKey}`);
    }

    if (config.loadSample && services.store.countLoans() === 0) {
      if (existsSync(config.samplePath)) {
        const t0 = performance.now();
        const r = await loadSample(config.samplePath, services.servicing, services.store);
        out.error(`ews serve: loaded sample portfolio ${config.samplePath}: ${r.loaded} loans, ${r.rejected} rejected in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
        for (const p of r.problems) out.error(`  ${p}`);
      } else {
        out.error(`ews serve: sample ${config.samplePath} not found; starting with an empty store`);
      }
    }

    const app = await buildApp(services.http, services.httpOptions);
    closeWithGrace({ delay: config.shutdownGraceMs, logger: { error: (m: unknown) => out.error(`ews serve: ${String(m)}`) } }, async ({ signal, err }) => {
      if (err !== undefined) services.logger.error({ err }, 'fatal error, shutting down');
      else services.logger.info({ signal }, 'shutting down: draining in-flight requests');
      await app.close();
      services.close();
    });
    await app.listen({ host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    out.error(`ews serve: listening on http://${host.includes(':') ? `[${host}]` : host}:${port} (docs at /docs, db ${config.dbPath}, scorer ${services.scorer.versions.model} on ${services.http.catalog.model.backend})`);
    await new Promise<void>((resolve) => app.server.once('close', resolve));
    return EXIT.ok;
  },
};

/**
 * `--clock-start ISO` starts the service clock at that instant (it then runs in real time);
 * `--clock-start sample` at the last instant the sample portfolio knows of, for the demo. Without it
 * the clock is the machine's.
 */
export async function serviceClock(start: string | undefined, samplePath: string): Promise<(() => number) | undefined> {
  if (start === undefined) return undefined;
  let origin: number | null;
  if (start === 'sample') {
    origin = existsSync(samplePath) ? await latestSampleInstant(samplePath) : null;
    if (origin === null) throw new UsageError(`--clock-start sample: no events found in ${samplePath}`);
  } else {
    origin = Date.parse(start);
    if (Number.isNaN(origin)) throw new UsageError(`--clock-start: expected an ISO 8601 instant or "sample", got "${start}"`);
  }
  const t0 = Date.now();
  const from = origin;
  return () => from + (Date.now() - t0);
}
