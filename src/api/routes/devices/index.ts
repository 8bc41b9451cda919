import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../route-deps.js';
import { listDevicesSchema, type DeviceListParams } from './schema.js';

/** Registered devices of an extension (SPEC 2.7: contact, user agent, address, transport, expiry). */
export const deviceRoutes: FastifyPluginAsync<RouteDeps> = async (app, { services }) => {
  app.get<{ Params: DeviceListParams }>(
    '/tenants/:tenantId/extensions/:extensionId/devices',
    { schema: listDevicesSchema, config: { access: 'tenant' } },
    async (request) => services.devices.list(request.params.tenantId, request.params.extensionId),
  );
};
