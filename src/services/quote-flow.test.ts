import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { DomainError, prorate, type PriceList, type Tenant } from '../domain/index.js';
import { FakeClock } from '../lib/index.js';
import { DEFAULT_QUOTE_TTL_MS, createServices } from './create-services.js';
import type { Services } from './services.js';
import type { Feature } from '../domain/index.js';

/** Every feature counted as built: these tests check what each setting does and costs once it works. */
const BUILT: ReadonlySet<Feature> = new Set();

const PRICES: PriceList = {
  currency: 'PLN',
  extensionMonthlyMinor: 2000,
  optionMonthlyMinor: { voicemail: 500, monitoring: 300, fax: 700, encryption: 0 },
  activationMinor: 4900,
};

async function rejectsWith(promise: Promise<unknown>, code: string, reason?: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof DomainError, String(err));
    assert.equal(err.code, code);
    if (reason !== undefined) assert.equal(err.details?.reason, reason);
    return true;
  });
}

forEachDatabase('quote and confirm (SPEC 2.6)', (suite) => {
  let services: Services;
  let tenant: Tenant;
  const clock = new FakeClock(Date.parse('2024-02-15T10:00:00Z')); // 15 of 29 days left

  before(async () => {
    services = createServices(suite.db, { clock, unavailableFeatures: BUILT });
    tenant = await services.tenants.create({ name: 'Quote Co', sipDomain: 'quote.example.com' });
  });

  test('with the default (free) price list a create needs no quote and charges nothing', async () => {
    assert.equal((await services.priceList.get()).extensionMonthlyMinor, 0);
    const result = await services.extensions.create(tenant.id, { number: '10', name: 'Free' });
    assert.deepEqual(result.charges, []);
  });

  test('the price list is validated and versioned; get returns the one in force', async () => {
    await rejectsWith(services.priceList.set({ ...PRICES, activationMinor: -1 }), 'PRICE_LIST_INVALID');
    await rejectsWith(services.priceList.set({ ...PRICES, currency: 'pln' }), 'CURRENCY_INVALID');
    await services.priceList.set(PRICES);
    assert.deepEqual(await services.priceList.get(), PRICES);
  });

  test('a create that costs money without a quote is refused with QUOTE_REQUIRED', async () => {
    await rejectsWith(services.extensions.create(tenant.id, { number: '11x', name: 'x' }), 'EXTENSION_NUMBER_INVALID');
    await rejectsWith(services.extensions.create(tenant.id, { number: '101', name: 'Paid' }), 'QUOTE_REQUIRED');
    await rejectsWith(services.extensions.getByNumber(tenant.id, '101'), 'EXTENSION_NOT_FOUND');
  });

  test('quote → confirm creates the extension and writes each line to the ledger', async () => {
    const input = { number: '101', name: 'Paid', voicemail: { enabled: true, pin: '1234' } };
    const quote = await services.quotes.quote(tenant.id, { kind: 'create', input });
    assert.deepEqual(
      quote.lines.map((l) => [l.code, l.amountMinor]),
      [
        ['extension.activation', 4900],
        ['extension.monthly', prorate(2000, 15, 29)],
        ['voicemail.monthly', prorate(500, 15, 29)],
      ],
    );
    assert.equal(quote.totalMinor, 4900 + 1034 + 259);
    assert.equal(quote.expiresAt.getTime() - quote.createdAt.getTime(), DEFAULT_QUOTE_TTL_MS);
    assert.deepEqual(quote.exposure, { internationalLevel: 'domestic', allowPremium: false, maxRate: { amountMinor: 100, currency: 'PLN' } });
    assert.deepEqual(await services.quotes.get(tenant.id, quote.id), quote);

    const result = await services.extensions.create(tenant.id, input, { quoteId: quote.id });
    assert.equal(result.extension.number, '101');
    assert.deepEqual(result.charges.map((c) => [c.code, c.amountMinor, c.quoteId, c.extensionNumber]), [
      ['extension.activation', 4900, quote.id, '101'],
      ['extension.monthly', 1034, quote.id, '101'],
      ['voicemail.monthly', 259, quote.id, '101'],
    ]);
    const ledger = await services.ledger.list(tenant.id);
    assert.equal(ledger.items.reduce((s, e) => s + e.amountMinor, 0), quote.totalMinor);
    assert.ok((await services.quotes.get(tenant.id, quote.id)).usedAt !== null);
  });

  test('a used quote is stale', async () => {
    const input = { number: '102', name: 'Again' };
    const quote = await services.quotes.quote(tenant.id, { kind: 'create', input });
    await services.extensions.create(tenant.id, input, { quoteId: quote.id });
    await rejectsWith(services.extensions.create(tenant.id, { number: '103', name: 'Again' }, { quoteId: quote.id }), 'QUOTE_STALE', 'used');
    const ext = await services.extensions.getByNumber(tenant.id, '102');
    await services.extensions.delete(tenant.id, ext.id);
    await rejectsWith(services.extensions.create(tenant.id, input, { quoteId: quote.id }), 'QUOTE_STALE', 'used');
  });

  test('an expired quote is stale (15 minutes)', async () => {
    const input = { number: '104', name: 'Late' };
    const quote = await services.quotes.quote(tenant.id, { kind: 'create', input });
    clock.advance(DEFAULT_QUOTE_TTL_MS);
    await rejectsWith(services.extensions.create(tenant.id, input, { quoteId: quote.id }), 'QUOTE_STALE', 'expired');
    await rejectsWith(services.extensions.getByNumber(tenant.id, '104'), 'EXTENSION_NOT_FOUND');
  });

  test('a quote for another change is stale, even when the price is the same', async () => {
    const quote = await services.quotes.quote(tenant.id, { kind: 'create', input: { number: '105', name: 'A' } });
    await rejectsWith(services.extensions.create(tenant.id, { number: '105', name: 'B' }, { quoteId: quote.id }), 'QUOTE_STALE', 'changed');
    await rejectsWith(
      services.extensions.create(tenant.id, { number: '105', name: 'A', advanced: { fax: true } }, { quoteId: quote.id }),
      'QUOTE_STALE',
      'changed',
    );
    // The refused attempts did not consume the quote.
    await services.extensions.create(tenant.id, { number: '105', name: 'A' }, { quoteId: quote.id });
  });

  test('a quote is stale once the price list changed', async () => {
    const input = { number: '106', name: 'Priced' };
    const quote = await services.quotes.quote(tenant.id, { kind: 'create', input });
    await services.priceList.set({ ...PRICES, activationMinor: 5900 });
    await rejectsWith(services.extensions.create(tenant.id, input, { quoteId: quote.id }), 'QUOTE_STALE', 'changed');
    await services.priceList.set(PRICES);
  });

  test('a quote is stale when the day moved on and the pro-rated amount changed', async () => {
    const input = { number: '107', name: 'Midnight' };
    clock.advance(Date.parse('2024-02-15T23:55:00Z') - clock.now());
    const quote = await services.quotes.quote(tenant.id, { kind: 'create', input });
    clock.advance(10 * 60_000);
    await rejectsWith(services.extensions.create(tenant.id, input, { quoteId: quote.id }), 'QUOTE_STALE', 'price-changed');
  });

  test('an update turning a paid option on needs a quote; turning it off is free', async () => {
    const ext = await services.extensions.getByNumber(tenant.id, '101');
    const patch = { advanced: { monitoring: true, fax: true } };
    await rejectsWith(services.extensions.update(tenant.id, ext.id, patch), 'QUOTE_REQUIRED');
    const quote = await services.quotes.quote(tenant.id, { kind: 'update', extensionId: ext.id, patch });
    assert.equal(quote.kind, 'update');
    assert.equal(quote.extensionId, ext.id);
    assert.deepEqual(quote.lines.map((l) => l.code), ['monitoring.monthly', 'fax.monthly']);
    const result = await services.extensions.update(tenant.id, ext.id, patch, { quoteId: quote.id });
    assert.equal(result.charges.length, 2);
    const off = await services.extensions.update(tenant.id, ext.id, { advanced: { monitoring: false } });
    assert.deepEqual(off.charges, []);
  });

  test('an update quote is stale once the extension changed in between', async () => {
    const ext = await services.extensions.getByNumber(tenant.id, '101');
    const patch = { advanced: { monitoring: true } };
    const quote = await services.quotes.quote(tenant.id, { kind: 'update', extensionId: ext.id, patch });
    await services.extensions.update(tenant.id, ext.id, { name: 'Renamed' });
    await rejectsWith(services.extensions.update(tenant.id, ext.id, patch, { quoteId: quote.id }), 'QUOTE_STALE', 'changed');
  });

  test('a quote of another tenant, or an unknown one, is QUOTE_NOT_FOUND', async () => {
    const other = await services.tenants.create({ name: 'Other', sipDomain: 'other-quote.example.com' });
    const quote = await services.quotes.quote(tenant.id, { kind: 'create', input: { number: '108', name: 'Mine' } });
    await rejectsWith(services.quotes.get(other.id, quote.id), 'QUOTE_NOT_FOUND');
    await rejectsWith(services.extensions.create(other.id, { number: '108', name: 'Mine' }, { quoteId: quote.id }), 'QUOTE_NOT_FOUND');
    await rejectsWith(services.extensions.create(tenant.id, { number: '108', name: 'Mine' }, { quoteId: 'nope' }), 'QUOTE_NOT_FOUND');
  });

  test('quoting validates the change like saving it would', async () => {
    await rejectsWith(services.quotes.quote(tenant.id, { kind: 'create', input: { number: '112', name: 'x' } }), 'EXTENSION_NUMBER_EMERGENCY');
    await rejectsWith(services.quotes.quote(tenant.id, { kind: 'update', extensionId: 'nope', patch: {} }), 'EXTENSION_NOT_FOUND');
  });

  test('a confirm that fails half-way writes nothing: no extension, no ledger entry, quote still unused', async () => {
    const input = { number: '109', name: 'Atomic' };
    const quote = await services.quotes.quote(tenant.id, { kind: 'create', input });
    const ledgerBefore = (await services.ledger.list(tenant.id, { limit: 200 })).items.length;
    // Make the insert fail inside the transaction: a row with this extension number appears behind the service's back.
    const existing = await services.extensions.getByNumber(tenant.id, '101');
    await suite.db.kysely.updateTable('extensions').set({ number: '109' }).where('id', '=', existing.id).execute();
    await rejectsWith(services.extensions.create(tenant.id, input, { quoteId: quote.id }), 'EXTENSION_NUMBER_TAKEN');
    await suite.db.kysely.updateTable('extensions').set({ number: '101' }).where('id', '=', existing.id).execute();
    assert.equal((await services.ledger.list(tenant.id, { limit: 200 })).items.length, ledgerBefore);
    assert.equal((await services.quotes.get(tenant.id, quote.id)).usedAt, null);
    await services.extensions.create(tenant.id, input, { quoteId: quote.id });
  });

  test('the ledger lists newest first and pages with a cursor', async () => {
    const all = (await services.ledger.list(tenant.id, { limit: 200 })).items;
    assert.ok(all.length >= 8);
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1], all[i]];
      assert.ok(a && b && (a.createdAt > b.createdAt || (a.createdAt.getTime() === b.createdAt.getTime() && a.id > b.id)));
    }
    const paged = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await services.ledger.list(tenant.id, { limit: 3, ...(cursor ? { cursor } : {}) });
      paged.push(...page.items);
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    assert.deepEqual(paged, all);
    const other = await services.tenants.create({ name: 'Empty', sipDomain: 'empty-ledger.example.com' });
    assert.deepEqual(await services.ledger.list(other.id), { items: [], nextCursor: null });
  });
});
