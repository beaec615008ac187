import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { HttpDeps, HttpLimits } from '../deps.js';

/** Every route plugin receives the same collaborators and limits. */
export interface RouteContext {
  readonly deps: HttpDeps;
  readonly limits: HttpLimits;
}

export type RoutePlugin = FastifyPluginAsyncZod<RouteContext>;
