import type { FastifyPluginAsync } from 'fastify';
import type { TenantCreateInput, TenantPatch } from '../../../domain/index.js';
import type { RouteDeps } from '../route-deps.js';
import {
  createTenantSchema,
  getTenantSchema,
  listTenantsSchema,
  updateTenantSchema,
  type TenantCreateBody,
  type TenantPatchBody,
} from './schema.js';
import type { PageQuery, TenantParams } from '../../common-schemas.js';

/** Tenants: the operator creates, lists and changes them; a tenant's own principal may read it. */
export const tenantRoutes: FastifyPluginAsync<RouteDeps> = async (app, { services }) => {
  app.post<{ Body: TenantCreateBody }>(
    '/tenants',
    { schema: createTenantSchema, config: { access: 'operator', idempotency: {} } },
    async (request, reply) => reply.code(201).send(await services.tenants.create(request.body as TenantCreateInput)),
  );

  app.get<{ Querystring: PageQuery }>('/tenants', { schema: listTenantsSchema, config: { access: 'operator' } }, async (request) =>
    services.tenants.list(request.query),
  );

  app.get<{ Params: TenantParams }>('/tenants/:tenantId', { schema: getTenantSchema, config: { access: 'tenant' } }, async (request) =>
    services.tenants.get(request.params.tenantId),
  );

  app.patch<{ Params: TenantParams; Body: TenantPatchBody }>(
    '/tenants/:tenantId',
    { schema: updateTenantSchema, config: { access: 'operator' } },
    async (request) => services.tenants.update(request.params.tenantId, request.body as TenantPatch),
  );
};
