import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../route-deps.js';
import { createAdminSchema, type AdminCreateBody } from './schema.js';

/** Customer admins: the operator creates them for a tenant. */
export const adminRoutes: FastifyPluginAsync<RouteDeps> = async (app, { services }) => {
  app.post<{ Params: { tenantId: string }; Body: AdminCreateBody }>(
    '/tenants/:tenantId/admins',
    { schema: createAdminSchema, config: { access: 'operator', idempotency: {} } },
    async (request, reply) => reply.code(201).send(await services.auth.createAdmin(request.params.tenantId, request.body)),
  );
};
