import { resolvePageRequest, toPage } from '../domain/index.js';
import { ledgerRepository } from '../store/index.js';
import { requireTenant } from './not-found.js';
import type { ServiceContext } from './service-context.js';
import type { LedgerService } from './services.js';

/** Builds the ledger use cases. */
export function createLedgerService(ctx: ServiceContext): LedgerService {
  return {
    async list(tenantId, page) {
      const { limit, after } = resolvePageRequest(page, 2);
      await requireTenant(ctx.db.kysely, tenantId);
      const key = after ? ([after[0] ?? '', after[1] ?? ''] as const) : undefined;
      const rows = await ledgerRepository.list(ctx.db.kysely, tenantId, limit + 1, key);
      return toPage(rows, limit, (e) => [e.createdAt.toISOString(), e.id]);
    },
  };
}
