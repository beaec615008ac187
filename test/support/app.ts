// The real app on the real composition root, with an in-memory store, a fixed clock and the test scorer.
import type { FastifyInstance } from 'fastify';
import { compose, type Services } from '../../src/compose.js';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/http/app.js';
import type { Catalog } from '../../src/http/deps.js';
import type { Scorer } from '../../src/scoring/scorer.js';
import { createLogger } from '../../src/log.js';
import { createTestScorer, TEST_VERSIONS } from './test-scorer.js';

export const KEYS = { admin: 'k-admin', underwriting: 'k-uw', servicing: 'k-sv', collector: 'k-col' } as const;
export const auth = (who: keyof typeof KEYS) => ({ authorization: `Bearer ${KEYS[who]}` });

export const TEST_CATALOG: Catalog = {
  versions: TEST_VERSIONS,
  model: { name: 'test-model', version: '1', featureSetVersion: 'test-features@1', horizonDays: 60, backend: 'none', features: [{ name: 'dpd' }] },
  rules: [{ id: 'dpd_over_30' }, { id: 'refused_contact' }],
};

export interface TestApp {
  app: FastifyInstance;
  services: Services;
  setNow(ms: number): void;
  close(): Promise<void>;
}

export async function buildTestApp(env: Record<string, string> = {}, scorer: Scorer = createTestScorer(), logs?: { write(msg: string): void }): Promise<TestApp> {
  let now = Date.parse('2025-05-20T04:00:00Z');
  const config = loadConfig({
    EWS_DB: ':memory:',
    EWS_API_KEYS: `${KEYS.admin}=admin,${KEYS.underwriting}=underwriting,${KEYS.servicing}=servicing,${KEYS.collector}=collector`,
    EWS_LOG_LEVEL: 'silent',
    EWS_RATE_LIMIT: '0',
    EWS_BENCH_FLOOR: '1',
    ...env,
  });
  const logger = logs === undefined ? createLogger('silent') : createLogger('info', logs);
  const services = await compose(config, { scoring: { scorer, catalog: TEST_CATALOG }, now: () => now, logger });
  const app = await buildApp(services.http, services.httpOptions);
  return {
    app,
    services,
    setNow: (ms) => (now = ms),
    close: async () => {
      await app.close();
      services.close();
    },
  };
}
