import type { FastifyInstance } from 'fastify';
import { healthSchema } from './schema.js';

/** A probe that resolves true when the store answers. */
export type HealthCheck = () => Promise<boolean>;

/** GET /healthz: 200 when the store answers a query, 503 otherwise (for load balancers and systemd). */
export function registerHealthRoute(app: FastifyInstance, check: HealthCheck): void {
  app.get('/healthz', { schema: healthSchema, config: { access: 'public' } }, async (request, reply) => {
    const healthy = await check().catch((err: unknown) => {
      request.log.error({ err }, 'health check failed');
      return false;
    });
    return reply.code(healthy ? 200 : 503).send({ status: healthy ? 'ok' : 'unavailable' });
  });
}
