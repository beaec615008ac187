// One validated configuration, read once: the only reader of process.env. Every setting has an
// environment variable (for containers); `ews serve` flags override host, port and db.
import { availableParallelism } from 'node:os';
import { z } from 'zod';

const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');
const bytes = z.coerce.number().int().min(1024);

const Config = z.object({
  EWS_HOST: z.string().default('127.0.0.1'),
  EWS_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  EWS_DB: z.string().default('.ews/ews.db'),
  EWS_SYNC: z.enum(['normal', 'full']).default('normal'),
  EWS_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  EWS_MODEL_DIR: z.string().default('models/default'),
  EWS_API_KEYS: z.string().optional(),
  EWS_KEYS_FILE: z.string().optional(),
  EWS_SAMPLE: z.string().default('data/sample/histories.ndjson.gz'),
  EWS_LOAD_SAMPLE: flag.default(true),
  EWS_BODY_LIMIT: bytes.default(1024 * 1024),
  EWS_BATCH_BODY_LIMIT: bytes.default(64 * 1024 * 1024),
  EWS_BATCH_MAX: z.coerce.number().int().min(1).default(5000),
  EWS_EVENTS_MAX: z.coerce.number().int().min(1).default(1000),
  EWS_RATE_LIMIT: z.coerce.number().int().min(0).default(12_000),
  EWS_RATE_WINDOW_MS: z.coerce.number().int().min(1000).default(60_000),
  EWS_MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).default(1000),
  EWS_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  EWS_BENCH_FLOOR: flag.default(false),
  EWS_SCORE_WORKERS: z.coerce.number().int().min(0).max(64).optional(),
  EWS_SCORE_ONE_ON_WORKERS: flag.default(false),
  EWS_BATCH_JOBS: z.enum(['cut', 'split']).default('cut'),
  EWS_HEAP_GROWING_PERCENT: z.coerce.number().int().min(0).max(1000).default(400),
});

export interface Config {
  host: string;
  port: number;
  dbPath: string;
  /** SQLite synchronous level (docs/service.md has the measurement behind the default). */
  sync: 'normal' | 'full';
  logLevel: z.infer<typeof Config>['EWS_LOG_LEVEL'];
  modelDir: string;
  apiKeys: string | undefined;
  keysFile: string | undefined;
  samplePath: string;
  loadSample: boolean;
  limits: {
    bodyLimit: number;
    batchBodyLimit: number;
    batchMaxItems: number;
    eventsMaxItems: number;
    /** Requests per window per API key; 0 turns rate limiting off. */
    rateLimitMax: number;
    rateLimitWindowMs: number;
    maxEventLoopDelayMs: number;
  };
  shutdownGraceMs: number;
  /** Benchmark floor routes (never in production). */
  benchFloor: boolean;
  /** Worker threads for JSON batch scoring; 0 = in process. Default: one per core, at most 4. */
  scoreWorkers: number;
  /** POST /v1/score on those workers too; false (the default): single histories are scored in process. */
  scoreOneOnWorkers: boolean;
  /** How a JSON batch is cut into score worker jobs (pooled-batch.ts): 'cut' (default) or 'split' on the event loop. */
  batchJobs: 'cut' | 'split';
  /**
   * V8's old-generation growing factor for the service process, as 1 + percent / 100 (0: V8's own).
   * Why 400: docs/service.md, "A major-GC spiral on the event loop".
   */
  heapGrowingPercent: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Config.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  const c = parsed.data;
  return {
    host: c.EWS_HOST,
    port: c.EWS_PORT,
    dbPath: c.EWS_DB,
    sync: c.EWS_SYNC,
    logLevel: c.EWS_LOG_LEVEL,
    modelDir: c.EWS_MODEL_DIR,
    apiKeys: c.EWS_API_KEYS,
    keysFile: c.EWS_KEYS_FILE,
    samplePath: c.EWS_SAMPLE,
    loadSample: c.EWS_LOAD_SAMPLE,
    limits: {
      bodyLimit: c.EWS_BODY_LIMIT,
      batchBodyLimit: c.EWS_BATCH_BODY_LIMIT,
      batchMaxItems: c.EWS_BATCH_MAX,
      eventsMaxItems: c.EWS_EVENTS_MAX,
      rateLimitMax: c.EWS_RATE_LIMIT,
      rateLimitWindowMs: c.EWS_RATE_WINDOW_MS,
      maxEventLoopDelayMs: c.EWS_MAX_EVENT_LOOP_DELAY_MS,
    },
    shutdownGraceMs: c.EWS_SHUTDOWN_GRACE_MS,
    benchFloor: c.EWS_BENCH_FLOOR,
    scoreWorkers: c.EWS_SCORE_WORKERS ?? Math.min(4, availableParallelism()),
    scoreOneOnWorkers: c.EWS_SCORE_ONE_ON_WORKERS,
    batchJobs: c.EWS_BATCH_JOBS,
    heapGrowingPercent: c.EWS_HEAP_GROWING_PERCENT,
  };
}
