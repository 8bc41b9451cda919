import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { CreatedToken } from '../../../services/index.js';
import type { RouteDeps } from '../route-deps.js';
import { createOperatorTokenSchema, createTenantTokenSchema, revokeTokenSchema, type TokenCreateBody } from './schema.js';

/** API tokens: the operator creates tenant and operator tokens and revokes them. */
export const tokenRoutes: FastifyPluginAsync<RouteDeps> = async (app, { services }) => {
  app.post<{ Params: { tenantId: string }; Body: TokenCreateBody | undefined }>(
    '/tenants/:tenantId/tokens',
    { schema: createTenantTokenSchema, config: { access: 'operator', idempotency: { secretFields: ['token'] } } },
    async (request, reply) => sendToken(reply, await services.auth.createTenantToken(request.params.tenantId, request.body?.label)),
  );

  app.post<{ Body: TokenCreateBody | undefined }>(
    '/tokens',
    { schema: createOperatorTokenSchema, config: { access: 'operator', idempotency: { secretFields: ['token'] } } },
    async (request, reply) => sendToken(reply, await services.auth.createOperatorToken(request.body?.label)),
  );

  app.delete<{ Params: { tokenId: string } }>(
    '/tokens/:tokenId',
    { schema: revokeTokenSchema, config: { access: 'operator' } },
    async (request, reply) => {
      await services.auth.revokeToken(request.params.tokenId);
      return reply.code(204).send();
    },
  );
};

function sendToken(reply: FastifyReply, created: CreatedToken): FastifyReply {
  return reply
    .code(201)
    .header('cache-control', 'no-store')
    .send({ token: created.token, ...created.record });
}
