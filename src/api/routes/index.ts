import type { FastifyPluginAsync } from 'fastify';
import { adminRoutes } from './admins/index.js';
import { authRoutes } from './auth/index.js';
import { callRoutes } from './calls/index.js';
import { deviceRoutes } from './devices/index.js';
import { extensionRoutes } from './extensions/index.js';
import { ledgerRoutes } from './ledger/index.js';
import { liveCallRoutes } from './live-calls/index.js';
import { numberRoutes } from './numbers/index.js';
import { priceListRoutes } from './price-list/index.js';
import { quoteRoutes } from './quotes/index.js';
import type { RouteDeps } from './route-deps.js';
import { securityBlockRoutes } from './security-blocks/index.js';
import { tenantRoutes } from './tenants/index.js';
import { tokenRoutes } from './tokens/index.js';

export { registerHealthRoute, type HealthCheck, type HealthReport } from './health/index.js';
export type { RouteDeps } from './route-deps.js';

/** Every resource of the REST API; registered under /api/v1. */
export const apiV1Routes: FastifyPluginAsync<RouteDeps> = async (app, { services }) => {
  // Only the dependencies go down: the options of this plugin also hold its prefix.
  const deps: RouteDeps = { services };
  await app.register(authRoutes, deps);
  await app.register(tenantRoutes, deps);
  await app.register(adminRoutes, deps);
  await app.register(tokenRoutes, deps);
  await app.register(numberRoutes, deps);
  await app.register(extensionRoutes, deps);
  await app.register(deviceRoutes, deps);
  await app.register(quoteRoutes, deps);
  await app.register(ledgerRoutes, deps);
  await app.register(callRoutes, deps);
  await app.register(liveCallRoutes, deps);
  await app.register(priceListRoutes, deps);
  await app.register(securityBlockRoutes, deps);
};
