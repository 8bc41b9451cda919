import type { FastifyPluginAsync } from 'fastify';
import type { TenantParams } from '../../common-schemas.js';
import type { RouteDeps } from '../route-deps.js';
import { getCallSchema, listCallsSchema, type CallListQuery, type CallParams } from './schema.js';

/** The call history (read-only: records are written by the call engine when each call ends). */
export const callRoutes: FastifyPluginAsync<RouteDeps> = async (app, { services }) => {
  app.get<{ Params: TenantParams; Querystring: CallListQuery }>(
    '/tenants/:tenantId/calls',
    { schema: listCallsSchema, config: { access: 'tenant' } },
    async (request) => services.calls.list(request.params.tenantId, request.query),
  );

  app.get<{ Params: CallParams }>(
    '/tenants/:tenantId/calls/:callId',
    { schema: getCallSchema, config: { access: 'tenant' } },
    async (request) => services.calls.get(request.params.tenantId, request.params.callId),
  );
};
