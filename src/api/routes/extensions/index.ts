import type { FastifyPluginAsync } from 'fastify';
import { generateSipPassword, type ExtensionCreateInput, type ExtensionPatch } from '../../../domain/index.js';
import type { TenantParams } from '../../common-schemas.js';
import type { RouteDeps } from '../route-deps.js';
import {
  createExtensionSchema,
  deleteExtensionSchema,
  generatePasswordSchema,
  getExtensionSchema,
  listExtensionsSchema,
  resetPasswordSchema,
  updateExtensionSchema,
  type ExtensionCreateBody,
  type ExtensionListQuery,
  type ExtensionParams,
  type ExtensionPatchBody,
  type GeneratePasswordBody,
} from './schema.js';

/** Extensions (SIP accounts): every field of SPEC §2, quotes for paid changes, passwords shown once. */
export const extensionRoutes: FastifyPluginAsync<RouteDeps> = async (app, { services }) => {
  app.post<{ Params: TenantParams; Body: ExtensionCreateBody }>(
    '/tenants/:tenantId/extensions',
    { schema: createExtensionSchema, config: { access: 'tenant', idempotency: { secretFields: ['password'] } } },
    async (request, reply) => {
      const { quoteId, ...input } = request.body;
      const result = await services.extensions.create(request.params.tenantId, input as ExtensionCreateInput, { quoteId });
      return reply.code(201).header('cache-control', 'no-store').send(result);
    },
  );

  app.get<{ Params: TenantParams; Querystring: ExtensionListQuery }>(
    '/tenants/:tenantId/extensions',
    { schema: listExtensionsSchema, config: { access: 'tenant' } },
    async (request) => {
      const { number, ...page } = request.query;
      return services.extensions.list(request.params.tenantId, page, number === undefined ? {} : { number });
    },
  );

  app.post<{ Params: TenantParams; Body: GeneratePasswordBody }>(
    '/tenants/:tenantId/extensions/generate-password',
    { schema: generatePasswordSchema, config: { access: 'tenant' } },
    async (request, reply) =>
      reply.header('cache-control', 'no-store').send({ password: generateSipPassword(request.body.number ?? '') }),
  );

  app.get<{ Params: ExtensionParams }>(
    '/tenants/:tenantId/extensions/:extensionId',
    { schema: getExtensionSchema, config: { access: 'tenant' } },
    async (request) => services.extensions.get(request.params.tenantId, request.params.extensionId),
  );

  app.patch<{ Params: ExtensionParams; Body: ExtensionPatchBody }>(
    '/tenants/:tenantId/extensions/:extensionId',
    { schema: updateExtensionSchema, config: { access: 'tenant' } },
    async (request, reply) => {
      const { quoteId, ...patch } = request.body;
      const { tenantId, extensionId } = request.params;
      const result = await services.extensions.update(tenantId, extensionId, patch as ExtensionPatch, { quoteId });
      return reply.header('cache-control', 'no-store').send(result);
    },
  );

  app.delete<{ Params: ExtensionParams }>(
    '/tenants/:tenantId/extensions/:extensionId',
    { schema: deleteExtensionSchema, config: { access: 'tenant' } },
    async (request, reply) => {
      await services.extensions.delete(request.params.tenantId, request.params.extensionId);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: ExtensionParams }>(
    '/tenants/:tenantId/extensions/:extensionId/reset-password',
    { schema: resetPasswordSchema, config: { access: 'tenant' } },
    async (request, reply) => {
      const result = await services.extensions.resetPassword(request.params.tenantId, request.params.extensionId);
      return reply.header('cache-control', 'no-store').send(result);
    },
  );
};
