import type { FastifyPluginAsync } from 'fastify';
import { missingFieldMessage, type ExtensionCreateInput, type ExtensionPatch } from '../../../domain/index.js';
import type { QuoteRequest } from '../../../services/index.js';
import type { TenantParams } from '../../common-schemas.js';
import { SchemaValidationError } from '../../schema-validation.js';
import type { RouteDeps } from '../route-deps.js';
import { createQuoteSchema, getQuoteSchema, type QuoteBody, type QuoteParams } from './schema.js';

/** Quotes: price a create or an update of an extension before confirming it. */
export const quoteRoutes: FastifyPluginAsync<RouteDeps> = async (app, { services }) => {
  app.post<{ Params: TenantParams; Body: QuoteBody }>(
    '/tenants/:tenantId/quotes',
    { schema: createQuoteSchema, config: { access: 'tenant', idempotency: {} } },
    async (request, reply) => reply.code(201).send(await services.quotes.quote(request.params.tenantId, toQuoteRequest(request.body))),
  );

  app.get<{ Params: QuoteParams }>(
    '/tenants/:tenantId/quotes/:quoteId',
    { schema: getQuoteSchema, config: { access: 'tenant' } },
    async (request) => services.quotes.get(request.params.tenantId, request.params.quoteId),
  );
};

/** The body's two shapes; the member a kind needs is required here (the schema keeps them flat for docs). */
function toQuoteRequest(body: QuoteBody): QuoteRequest {
  if (body.kind === 'create') {
    if (body.extension === undefined) throw missing('extension');
    return { kind: 'create', input: body.extension as ExtensionCreateInput };
  }
  if (body.extensionId === undefined) throw missing('extensionId');
  if (body.changes === undefined) throw missing('changes');
  return { kind: 'update', extensionId: body.extensionId, patch: body.changes as ExtensionPatch };
}

function missing(field: string): SchemaValidationError {
  return new SchemaValidationError('body', field, missingFieldMessage(field));
}
