import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../route-deps.js';
import type { PageQuery } from '../../common-schemas.js';
import {
  addNumberSchema,
  deleteNumberSchema,
  getNumberSchema,
  listNumbersSchema,
  routeNumberSchema,
  type NumberCreateBody,
  type NumberParams,
  type NumberRouteBody,
} from './schema.js';

/**
 * Public numbers (DIDs). The operator assigns and removes them (a tenant could otherwise claim someone else's
 * number and use it as caller ID); the tenant lists them and routes each to an extension.
 */
export const numberRoutes: FastifyPluginAsync<RouteDeps> = async (app, { services }) => {
  app.post<{ Params: { tenantId: string }; Body: NumberCreateBody }>(
    '/tenants/:tenantId/numbers',
    { schema: addNumberSchema, config: { access: 'operator', idempotency: {} } },
    async (request, reply) => reply.code(201).send(await services.numbers.add(request.params.tenantId, request.body)),
  );

  app.get<{ Params: { tenantId: string }; Querystring: PageQuery }>(
    '/tenants/:tenantId/numbers',
    { schema: listNumbersSchema, config: { access: 'tenant' } },
    async (request) => services.numbers.list(request.params.tenantId, request.query),
  );

  app.get<{ Params: NumberParams }>(
    '/tenants/:tenantId/numbers/:number',
    { schema: getNumberSchema, config: { access: 'tenant' } },
    async (request) => services.numbers.get(request.params.tenantId, request.params.number),
  );

  app.patch<{ Params: NumberParams; Body: NumberRouteBody }>(
    '/tenants/:tenantId/numbers/:number',
    { schema: routeNumberSchema, config: { access: 'tenant' } },
    async (request) => services.numbers.route(request.params.tenantId, request.params.number, request.body.extensionNumber),
  );

  app.delete<{ Params: NumberParams }>(
    '/tenants/:tenantId/numbers/:number',
    { schema: deleteNumberSchema, config: { access: 'operator' } },
    async (request, reply) => {
      await services.numbers.remove(request.params.tenantId, request.params.number);
      return reply.code(204).send();
    },
  );
};
