import { resolvePriceList } from '../domain/index.js';
import { priceListRepository } from '../store/index.js';
import { currentPriceList } from './extension-change.js';
import { inTransaction, nowOf, type ServiceContext } from './service-context.js';
import type { PriceListService } from './services.js';

/** Builds the price list use cases. */
export function createPriceListService(ctx: ServiceContext): PriceListService {
  return {
    get: () => currentPriceList(ctx.db.kysely),
    async set(input) {
      const priceList = resolvePriceList(input, ctx.unavailableFeatures);
      await inTransaction(ctx, (trx) => priceListRepository.append(trx, priceList, nowOf(ctx)));
      ctx.logger.info({ currency: priceList.currency }, 'price list set');
      return priceList;
    },
  };
}
