// The HTTP application, built but not listening: the server entry point (ews serve) listens, tests use
// app.inject. Order matters and is fixed: compilers and error mapping -> external plugins (OpenAPI,
// rate limit, back-pressure) -> auth and metrics hooks -> routes.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { allows, type Principal, type Scope } from './auth.js';
import type { HttpDeps, HttpOptions } from './deps.js';
import { ApiError, toProblem } from './errors.js';
import { alertRoutes } from './routes/alerts.js';
import { alertStreamRoutes } from './routes/alert-stream.js';
import { catalogRoutes } from './routes/catalog.js';
import { eventRoutes } from './routes/events.js';
import { floorRoutes } from './routes/floor.js';
import { healthRoutes } from './routes/health.js';
import { loanRoutes } from './routes/loans.js';
import { scoreRoutes } from './routes/score.js';
import { jsonSerializerCompiler, zodValidatorCompiler } from './validation.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a key needs; absent = public route. */
    scope?: Scope | 'any';
    /** The route accepts application/x-ndjson bodies as a stream. */
    ndjson?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export type App = FastifyInstance;

export async function buildApp(deps: HttpDeps, options: HttpOptions): Promise<FastifyInstance> {
  const { limits } = options;
  const app = Fastify({
    loggerInstance: deps.logger,
    // Per-request info lines cost throughput and may echo URLs; failures are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: limits.bodyLimit,
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(jsonSerializerCompiler);
  app.decorateRequest('principal', null);

  app.setErrorHandler((error, req, reply) => {
    const instance = req.url.split('?')[0] ?? req.url;
    const { problem, internal } = toProblem(error, instance);
    if (internal) req.log.error({ err: error, route: req.routeOptions.url, method: req.method }, 'request failed');
    if (problem.code === 'EWS_UNAUTHENTICATED') reply.header('www-authenticate', 'Bearer');
    if (problem.status === 503) reply.header('retry-after', '5');
    return reply.code(problem.status).type('application/problem+json').send(problem);
  });
  app.setNotFoundHandler((req) => {
    throw new ApiError('EWS_NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}`);
  });

  // Streamed bodies only for routes that declare them; everywhere else NDJSON is a 415.
  app.addContentTypeParser('application/x-ndjson', (req, payload, done) => {
    if (req.routeOptions.config.ndjson === true) done(null, payload);
    else done(new ApiError('EWS_UNSUPPORTED_MEDIA_TYPE', 'this route takes application/json'), undefined);
  });

  await app.register(swagger, {
    openapi: {
      info: { title: 'ews: risk early-warning scoring API', version: '1', description: 'Scores, servicing events, decisions audit trail and collector alerts.' },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'API key with scopes underwriting | servicing | collector | admin' } } },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  // Authentication runs before any body is read, so unauthenticated requests cost almost nothing.
  app.addHook('onRequest', (req, _reply, done) => {
    const scope = req.routeOptions.config.scope;
    if (scope === undefined) return done();
    const header = req.headers.authorization;
    if (header === undefined || !header.startsWith('Bearer ')) return done(new ApiError('EWS_UNAUTHENTICATED', 'send Authorization: Bearer <api key>'));
    const principal = deps.keys.lookup(header.slice(7).trim());
    if (principal === null) return done(new ApiError('EWS_UNAUTHENTICATED', 'unknown API key'));
    if (!allows(principal, scope)) return done(new ApiError('EWS_FORBIDDEN', `this operation needs the "${scope}" scope`));
    req.principal = principal;
    done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    deps.metrics.requestDuration.observe({ method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });

  if (limits.rateLimitMax > 0) {
    await app.register(rateLimit, {
      global: true,
      max: limits.rateLimitMax,
      timeWindow: limits.rateLimitWindowMs,
      keyGenerator: (req) => req.principal?.id ?? req.ip,
      errorResponseBuilder: (_req, ctx) => new ApiError('EWS_RATE_LIMITED', `rate limit of ${ctx.max} per ${ctx.after} exceeded`),
    });
  }
  if (limits.maxEventLoopDelayMs > 0) {
    await app.register(underPressure, { maxEventLoopDelay: limits.maxEventLoopDelayMs, retryAfter: 5 });
  }

  const ctx = { deps, limits };
  await app.register(healthRoutes, ctx);
  await app.register(scoreRoutes, ctx);
  await app.register(loanRoutes, ctx);
  await app.register(eventRoutes, ctx);
  await app.register(alertRoutes, ctx);
  await app.register(alertStreamRoutes, ctx);
  await app.register(catalogRoutes, ctx);
  if (options.floorRoutes) await app.register(floorRoutes, ctx);
  await app.ready();
  // The pino Logger type is wider than FastifyBaseLogger; callers only need the plain instance.
  return app as unknown as FastifyInstance;
}
