// What the HTTP adapter needs; compose.ts builds it. Nothing here is created by the http layer itself.
import type { Logger } from 'pino';
import type { Collectors } from '../scoring/collectors.js';
import type { Scorer, ScoringVersions } from '../scoring/scorer.js';
import type { EventItem, EventResult, Servicing } from '../scoring/servicing.js';
import type { AlertHub } from './alert-hub.js';
import type { KeyRing } from './auth.js';
import type { Metrics } from './metrics.js';
import type { BatchJobs } from './pooled-batch.js';
import type { ScorePool } from './score-pool.js';

/** What GET /v1/model and /v1/rules describe. */
export interface Catalog {
  readonly versions: ScoringVersions;
  readonly model: {
    readonly name: string;
    readonly version: string;
    readonly featureSetVersion: string;
    readonly horizonDays: number;
    readonly backend: string;
    readonly features: Array<Record<string, unknown>>;
  };
  readonly rules: Array<Record<string, unknown>>;
}

export interface HttpDeps {
  readonly scorer: Scorer;
  /** Worker threads that parse, validate and score JSON batches; null: the batch route works in process. */
  readonly scorePool: ScorePool | null;
  /** The pool POST /v1/score uses (scorePool, unless single histories are scored in process): null = in process. */
  readonly scoreOnePool: ScorePool | null;
  /** How a JSON batch is cut into worker jobs (pooled-batch.ts); default 'cut'. */
  readonly batchJobs?: BatchJobs;
  readonly servicing: Servicing;
  /** servicing.ingestEvents behind group commit: concurrent requests share one transaction and commit. */
  readonly ingestEvents: (items: readonly EventItem[]) => Promise<EventResult[]>;
  readonly collectors: Collectors;
  readonly hub: AlertHub;
  readonly keys: KeyRing;
  readonly metrics: Metrics;
  readonly catalog: Catalog;
  readonly logger: Logger;
  /** Epoch ms. */
  readonly now: () => number;
  readonly ready: () => { model: boolean; store: boolean };
}

export interface HttpLimits {
  /** Bytes, for every JSON body but the batch routes. */
  readonly bodyLimit: number;
  readonly batchBodyLimit: number;
  /** Histories in one JSON batch. */
  readonly batchMaxItems: number;
  /** Events in one POST /v1/events. */
  readonly eventsMaxItems: number;
  /** Requests per window per API key; 0 disables rate limiting. */
  readonly rateLimitMax: number;
  readonly rateLimitWindowMs: number;
  /** Event-loop delay (ms) above which requests get 503; 0 disables. */
  readonly maxEventLoopDelayMs: number;
  readonly sseHeartbeatMs: number;
}

export interface HttpOptions {
  readonly limits: HttpLimits;
  /** Benchmark-only routes that parse and validate without doing the work. */
  readonly floorRoutes: boolean;
}

export const DEFAULT_LIMITS: HttpLimits = {
  bodyLimit: 1024 * 1024,
  batchBodyLimit: 64 * 1024 * 1024,
  batchMaxItems: 5000,
  eventsMaxItems: 1000,
  rateLimitMax: 0,
  rateLimitWindowMs: 60_000,
  maxEventLoopDelayMs: 1000,
  sseHeartbeatMs: 15_000,
};
