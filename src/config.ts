// One validated configuration, read once: the only reader of process.env.
import { z } from 'zod';

const Config = z.object({
  EWS_HOST: z.string().default('127.0.0.1'),
  EWS_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  EWS_DB: z.string().default('.ews/ews.db'),
  EWS_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  EWS_MODEL_DIR: z.string().default('models/default'),
  EWS_API_KEYS: z.string().optional(),
  EWS_KEYS_FILE: z.string().optional(),
});

export type Config = {
  host: string;
  port: number;
  dbPath: string;
  logLevel: z.infer<typeof Config>['EWS_LOG_LEVEL'];
  modelDir: string;
  apiKeys: string | undefined;
  keysFile: string | undefined;
};

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
    logLevel: c.EWS_LOG_LEVEL,
    modelDir: c.EWS_MODEL_DIR,
    apiKeys: c.EWS_API_KEYS,
    keysFile: c.EWS_KEYS_FILE,
  };
}
