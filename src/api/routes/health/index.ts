import type { FastifyInstance } from 'fastify';
import { healthSchema } from './schema.js';

/** What the server knows about its own health. */
export interface HealthReport {
  /** The SIP listeners are bound: the server takes registrations and calls. */
  readonly ready: boolean;
  /** The store answers a query. */
  readonly storeUp: boolean;
}

/** Asks the server for its {@link HealthReport} (a rejection counts as "store down"). */
export type HealthCheck = () => Promise<HealthReport>;

/**
 * GET /healthz (for load balancers, systemd, Kubernetes probes): 200 `ok` when SIP is listening and the store
 * answers; 503 `starting` before the SIP listeners are bound, 503 `unavailable` while the store is down.
 */
export function registerHealthRoute(app: FastifyInstance, check: HealthCheck): void {
  app.get('/healthz', { schema: healthSchema, config: { access: 'public' } }, async (request, reply) => {
    const report = await check().catch((err: unknown): HealthReport => {
      request.log.error({ err }, 'health check failed');
      return { ready: true, storeUp: false };
    });
    const status = !report.ready ? 'starting' : report.storeUp ? 'ok' : 'unavailable';
    return reply.code(status === 'ok' ? 200 : 503).send({ status, ready: report.ready, store: report.storeUp ? 'up' : 'down' });
  });
}
