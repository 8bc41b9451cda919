import type { FastifyPluginAsync } from 'fastify';
import { authOf } from '../../access.js';
import type { TenantParams } from '../../common-schemas.js';
import type { RouteDeps } from '../route-deps.js';
import { hangUpLiveCallSchema, listLiveCallsSchema, type LiveCallParams } from './schema.js';

/** Calls in progress: listed from the running call engine, and hung up by the operator or the tenant's admin. */
export const liveCallRoutes: FastifyPluginAsync<RouteDeps> = async (app, { services }) => {
  app.get<{ Params: TenantParams }>(
    '/tenants/:tenantId/calls/active',
    { schema: listLiveCallsSchema, config: { access: 'tenant' } },
    async (request) => ({ items: await services.liveCalls.list(request.params.tenantId) }),
  );

  app.delete<{ Params: LiveCallParams }>(
    '/tenants/:tenantId/calls/active/:liveCallId',
    { schema: hangUpLiveCallSchema, config: { access: 'tenant' } },
    async (request, reply) => {
      await services.liveCalls.hangUp(request.params.tenantId, request.params.liveCallId, authOf(request).principal);
      return reply.code(204).send();
    },
  );
};
