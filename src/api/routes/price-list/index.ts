import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../route-deps.js';
import { getPriceListSchema, putPriceListSchema, type PriceListBody } from './schema.js';

/** The operator's price list: read and replace. */
export const priceListRoutes: FastifyPluginAsync<RouteDeps> = async (app, { services }) => {
  app.get('/price-list', { schema: getPriceListSchema, config: { access: 'operator' } }, async () => services.priceList.get());

  app.put<{ Body: PriceListBody }>('/price-list', { schema: putPriceListSchema, config: { access: 'operator' } }, async (request) =>
    services.priceList.set(request.body),
  );
};
