import { DomainError, domainError, type Quote } from '../domain/index.js';
import { uuid } from '../lib/index.js';
import { quoteRepository } from '../store/index.js';
import { prepareCreate, prepareUpdate, type PreparedChange } from './extension-change.js';
import { requireExtensionByRef, requireTenant } from './not-found.js';
import { inTransaction, nowOf, type ServiceContext } from './service-context.js';
import type { QuoteService } from './services.js';

/** Builds the quote use cases: validate a change as the save would, price it, keep the quote for confirmation. */
export function createQuoteService(ctx: ServiceContext): QuoteService {
  return {
    async quote(tenantId, request) {
      return inTransaction(ctx, async (trx) => {
        const now = nowOf(ctx);
        const tenant = await requireTenant(trx, tenantId);
        let prepared: PreparedChange;
        if (request?.kind === 'create') {
          prepared = await prepareCreate(trx, tenant, request.input, now, ctx.unavailableFeatures);
        } else if (request?.kind === 'update') {
          const current = await requireExtensionByRef(trx, tenantId, request.extensionId);
          prepared = await prepareUpdate(trx, tenant, current, request.patch, now, ctx.unavailableFeatures);
        } else {
          throw new DomainError('VALUE_INVALID', { pl: 'Wycena: rodzaj create lub update.', en: 'Quote kind must be create or update.' }, { field: 'kind' });
        }
        const quote: Quote = {
          id: uuid(),
          tenantId,
          kind: prepared.kind,
          extensionId: prepared.current?.id ?? null,
          currency: prepared.priced.currency,
          lines: prepared.priced.lines,
          totalMinor: prepared.priced.totalMinor,
          exposure: prepared.exposure,
          createdAt: now,
          expiresAt: new Date(now.getTime() + ctx.quoteTtlMs),
          usedAt: null,
        };
        await quoteRepository.insert(trx, { quote, payloadHash: prepared.payloadHash });
        return quote;
      });
    },

    async get(tenantId, id) {
      const stored = typeof id === 'string' ? await quoteRepository.find(ctx.db.kysely, tenantId, id) : undefined;
      if (!stored) throw domainError('QUOTE_NOT_FOUND');
      return stored.quote;
    },
  };
}

