// The composition root: config -> adapters -> use cases. Shared by `ews serve`, other CLI commands and
// tests (which pass their own scoring and clock). Nothing here listens; src/cli/commands/serve.ts does.
import { readFileSync } from 'node:fs';
import type { Config } from './config.js';
import { AlertHub } from './http/alert-hub.js';
import { generateKey, hashKey, KeyRing, parseKeySpec, parseKeysFile } from './http/auth.js';
import type { Catalog, HttpDeps, HttpOptions } from './http/deps.js';
import { DEFAULT_LIMITS } from './http/deps.js';
import { Metrics } from './http/metrics.js';
import { observeGc } from './http/gc-metrics.js';
import { scoreWorkerScript, startScorePool, type ScorePool } from './http/score-pool.js';
import { createLogger, type Logger } from './log.js';
import { createCollectors, type Collectors } from './scoring/collectors.js';
import { instrumentScorer } from './scoring/instrumented.js';
import type { Scorer } from './scoring/scorer.js';
import { groupCommit } from './scoring/group-commit.js';
import { createServicing, type EventItem, type Servicing } from './scoring/servicing.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';
import { loadEngine } from './engine-files.js';
import { featureDefs } from './domain/features/index.js';

/** A loaded scorer and the description of what it runs. */
export interface Scoring {
  readonly scorer: Scorer;
  readonly catalog: Catalog;
}

export interface ComposeOptions {
  /** The scorer to run; default: the bundled model and rule set from config.modelDir. */
  readonly scoring?: Scoring;
  readonly now?: () => number;
  readonly logger?: Logger;
}

export interface Services {
  readonly config: Config;
  readonly logger: Logger;
  readonly store: SqliteStore;
  readonly scorer: Scorer;
  readonly servicing: Servicing;
  readonly collectors: Collectors;
  readonly hub: AlertHub;
  readonly metrics: Metrics;
  readonly keys: KeyRing;
  /** An admin key made up because none was configured: print it once, listen on loopback only. */
  readonly generatedKey: string | null;
  readonly http: HttpDeps;
  readonly httpOptions: HttpOptions;
  close(): void;
}

export function loadKeys(config: Config): { keys: KeyRing; generatedKey: string | null } {
  const keys = new KeyRing();
  if (config.keysFile !== undefined) parseKeysFile(readFileSync(config.keysFile, 'utf8'), keys);
  if (config.apiKeys !== undefined) parseKeySpec(config.apiKeys, keys);
  if (keys.size > 0) return { keys, generatedKey: null };
  const generatedKey = generateKey();
  keys.add(hashKey(generatedKey), ['admin'], 'generated-admin');
  return { keys, generatedKey };
}

/** The bundled scorer: the model in config.modelDir (with the feature configuration it was trained on),
 * the shipped rule set and policy. */
export async function loadDefaultScoring(config: Config): Promise<Scoring> {
  const { scorer, model, featureConfig, ruleSet } = await loadEngine({ modelDir: config.modelDir });
  const used = new Set(model.info.featureNames);
  const features = featureDefs(featureConfig)
    .filter((d) => used.has(d.name))
    .map((d) => ({ name: d.name, group: d.group, en: d.en, zh: d.zh, unit: d.unit, windowDays: d.windowDays }));
  // Rules are plain data (conditions included); a JSON round trip drops anything that is not.
  const rules = ruleSet.rules.map((r) => JSON.parse(JSON.stringify(r)) as Record<string, unknown>);
  const info = model.info;
  return {
    scorer,
    catalog: {
      versions: scorer.versions,
      model: { name: info.name, version: info.version, featureSetVersion: info.featureSetVersion, horizonDays: info.horizonDays, backend: info.backend, features },
      rules,
    },
  };
}

/** Batch scoring workers load the same model directory as the main thread's scorer. */
async function startBatchWorkers(config: Config, logger: Logger): Promise<ScorePool | null> {
  if (config.scoreWorkers === 0) return null;
  const script = scoreWorkerScript();
  if (script === null) {
    logger.warn('batch scoring runs in process: the worker script is not built (npm run build)');
    return null;
  }
  return await startScorePool(config.scoreWorkers, { modelDir: config.modelDir }, script);
}

export async function compose(config: Config, options: ComposeOptions = {}): Promise<Services> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const now = options.now ?? Date.now;
  const scoring = options.scoring ?? (await loadDefaultScoring(config));
  const store = SqliteStore.open(config.dbPath, { synchronous: config.sync, backgroundCheckpoints: true });
  const metrics = new Metrics();
  const stopGcMetrics = observeGc(metrics);
  const hub = new AlertHub();
  const scorer = instrumentScorer(scoring.scorer, {
    timed: (kind, seconds) => metrics.inference.observe({ kind }, seconds),
    decided: (d) => metrics.decisions.inc({ band: d.band }),
  });
  const servicing = createServicing({
    store,
    scorer,
    now,
    onAlert: (alert) => {
      for (const trigger of alert.triggers) metrics.alerts.inc({ trigger });
      hub.publish(alert);
    },
  });
  const collectors = createCollectors(store, now);
  const { keys, generatedKey } = loadKeys(config);
  const scorePool = options.scoring === undefined ? await startBatchWorkers(config, logger) : null;
  const http: HttpDeps = {
    scorer,
    scorePool,
    scoreOnePool: config.scoreOneOnWorkers ? scorePool : null,
    batchJobs: config.batchJobs,
    servicing,
    // A group holds at most ~512 events, so that one commit never holds the event loop for long.
    ingestEvents: groupCommit((groups: ReadonlyArray<readonly EventItem[]>) => servicing.ingestEventGroups(groups), { maxWeight: 512, weight: (items) => items.length }),
    collectors,
    hub,
    keys,
    metrics,
    catalog: scoring.catalog,
    logger,
    now,
    ready: () => ({ model: true, store: store.ping() }),
  };
  const httpOptions: HttpOptions = { limits: { ...DEFAULT_LIMITS, ...config.limits }, floorRoutes: config.benchFloor };
  return { config, logger, store, scorer, servicing, collectors, hub, metrics, keys, generatedKey, http, httpOptions, close: () => {
      stopGcMetrics();
      void scorePool?.close();
      store.close();
    },
  };
}
