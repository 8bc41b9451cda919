import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { SESSION_COOKIE } from './auth.js';

/** Where the interactive API documentation is served; the OpenAPI JSON is at `${DOCS_PREFIX}/json`. */
export const DOCS_PREFIX = '/api/docs';

/** Path of the OpenAPI document (also at `/api/docs/json`). */
export const OPENAPI_PATH = '/api/openapi.json';

/**
 * OpenAPI 3 generated from the route schemas (@fastify/swagger), the Swagger UI at /api/docs, and the JSON
 * document at /api/openapi.json. Must be registered before the routes it describes.
 */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Centrala API',
        description:
          'REST API of Centrala, a hosted virtual PBX. Errors are `{ error: { code, message, field?, messages: { pl, en } } }`; ' +
          'see docs/api-errors.md for every code. Lists are paginated with `limit` and `cursor` → `nextCursor`. ' +
          'Every create accepts an `Idempotency-Key` header: a retry with the same key and request within 24 hours ' +
          'answers with the first response (`Idempotent-Replayed: true`) and creates nothing.',
        version,
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Operator or tenant API token' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE,
            description: 'Panel session from POST /api/v1/auth/login; unsafe methods also need X-CSRF-Token',
          },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    // Documents the Idempotency-Key header on the creates (the idempotency plugin reads it; no schema validates it).
    transform: ({ schema, url, route }) => {
      if (route.config?.idempotency === undefined) return { schema, url };
      const headers = {
        type: 'object',
        properties: {
          'Idempotency-Key': {
            type: 'string',
            description: '1–255 visible ASCII characters, unique per create (e.g. a UUID); a retry with the same key replays the first response',
          },
        },
      };
      return { schema: { ...schema, headers }, url };
    },
  });
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX });
  app.get(OPENAPI_PATH, { schema: { hide: true }, config: { access: 'public' } }, () => app.swagger());
}
