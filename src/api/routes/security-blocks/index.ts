import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../route-deps.js';
import { liftSecurityBlockSchema, listSecurityBlocksSchema, type SecurityBlockParams, type SecurityBlockQuery } from './schema.js';

/** Brute-force blocks of SIP authentication: the operator lists and lifts them. */
export const securityBlockRoutes: FastifyPluginAsync<RouteDeps> = async (app, { services }) => {
  app.get<{ Querystring: SecurityBlockQuery }>(
    '/security/blocks',
    { schema: listSecurityBlocksSchema, config: { access: 'operator' } },
    async (request) => services.securityBlocks.list(request.query),
  );

  app.delete<{ Params: SecurityBlockParams }>(
    '/security/blocks/:blockId',
    { schema: liftSecurityBlockSchema, config: { access: 'operator' } },
    async (request, reply) => {
      await services.securityBlocks.lift(request.params.blockId);
      return reply.code(204).send();
    },
  );
};
