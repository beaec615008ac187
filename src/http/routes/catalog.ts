// What is scoring: model, feature set, rule set and policy versions, the backend, features and rules.
import { z } from 'zod';
import { problems } from '../schemas.js';
import type { RoutePlugin } from './context.js';

const Versions = z.object({ model: z.string(), featureSet: z.string(), ruleSet: z.string(), policy: z.string() });

export const catalogRoutes: RoutePlugin = async (app, { deps }) => {
  const { catalog } = deps;
  app.get(
    '/v1/model',
    {
      config: { scope: 'any' },
      schema: {
        tags: ['catalog'],
        summary: 'The risk model: versions, inference backend, horizon and features',
        response: {
          200: z.object({
            versions: Versions,
            model: z.object({
              name: z.string(),
              version: z.string(),
              featureSetVersion: z.string(),
              horizonDays: z.number(),
              backend: z.string(),
              features: z.array(z.record(z.string(), z.unknown())),
            }),
          }),
          ...problems(),
        },
      },
    },
    () => ({ versions: catalog.versions, model: catalog.model }),
  );
  app.get(
    '/v1/rules',
    {
      config: { scope: 'any' },
      schema: {
        tags: ['catalog'],
        summary: 'The rule set: versions and every rule',
        response: { 200: z.object({ versions: Versions, rules: z.array(z.record(z.string(), z.unknown())) }), ...problems() },
      },
    },
    () => ({ versions: catalog.versions, rules: catalog.rules }),
  );
};
