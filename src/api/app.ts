import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import type { Services } from '../services/index.js';
import { uuid } from '../lib/index.js';
import type { ApiRoute } from './access.js';
import { registerJsonBodyParser } from './json-body.js';
import { registerAuth } from './plugins/auth.js';
import { registerErrorHandling } from './plugins/errors.js';
import { registerIdempotency } from './plugins/idempotency.js';
import { registerOpenApi } from './plugins/openapi.js';
import { checkRouteDeclaration, registerTenantScope } from './plugins/tenant-scope.js';
import { apiV1Routes, registerHealthRoute, type HealthCheck } from './routes/index.js';
import { typeboxValidatorCompiler } from './schema-validation.js';

/** Prefix of every REST route. */
export const API_PREFIX = '/api/v1';

/** What the HTTP API is built from. */
export interface ApiOptions {
  readonly services: Services;
  /** Pino logger for request logs; none in tests. */
  readonly logger?: FastifyBaseLogger;
  /** Answers whether SIP is listening and the store is reachable (GET /healthz). Defaults to "both". */
  readonly health?: HealthCheck;
  /** Trust X-Forwarded-* from a reverse proxy. */
  readonly trustProxy?: boolean;
  /** Version shown in the OpenAPI document. */
  readonly version?: string;
  /** Largest accepted request body in bytes (default 1 MiB). */
  readonly bodyLimit?: number;
}

/**
 * Builds the Fastify app: error handling, cookies, OpenAPI, authentication, tenant isolation, /healthz and every
 * route under /api/v1. The caller decides whether to `listen()` or `inject()`.
 */
export async function buildApp(options: ApiOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    trustProxy: options.trustProxy ?? false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    genReqId: () => uuid(),
  });
  app.setValidatorCompiler(typeboxValidatorCompiler);
  // JSON only: a text/plain body is refused with 415 rather than parsed as a string.
  app.removeContentTypeParser('text/plain');
  registerJsonBodyParser(app);
  registerErrorHandling(app);

  const routes: ApiRoute[] = [];
  app.decorate('apiRoutes', routes);
  app.addHook('onRoute', (route) => {
    const url = route.url ?? route.path;
    if (!url.startsWith(API_PREFIX)) return;
    const access = route.config?.access;
    if (access === undefined) throw new Error(`${String(route.method)} ${url}: every API route must declare config.access`);
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      const entry: ApiRoute = { method, url, access };
      checkRouteDeclaration(entry);
      routes.push(entry);
    }
  });
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });

  await app.register(cookie);
  await registerOpenApi(app, options.version ?? '0.0.0');
  registerAuth(app, options.services);
  registerTenantScope(app, options.services);
  registerIdempotency(app, options.services);
  registerHealthRoute(app, options.health ?? (async () => ({ ready: true, storeUp: true })));
  await app.register(apiV1Routes, { prefix: API_PREFIX, services: options.services });
  return app;
}
