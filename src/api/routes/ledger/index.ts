import type { FastifyPluginAsync } from 'fastify';
import type { PageQuery, TenantParams } from '../../common-schemas.js';
import type { RouteDeps } from '../route-deps.js';
import { listLedgerSchema } from './schema.js';

/** The tenant's ledger (read-only: entries are written by confirmed quotes). */
export const ledgerRoutes: FastifyPluginAsync<RouteDeps> = async (app, { services }) => {
  app.get<{ Params: TenantParams; Querystring: PageQuery }>(
    '/tenants/:tenantId/ledger',
    { schema: listLedgerSchema, config: { access: 'tenant' } },
    async (request) => services.ledger.list(request.params.tenantId, request.query),
  );
};
