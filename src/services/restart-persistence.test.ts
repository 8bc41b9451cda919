import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { FakeClock } from '../lib/index.js';
import { createServices } from './create-services.js';
import type { Feature } from '../domain/index.js';

/** Every feature counted as built: these tests check what each setting does and costs once it works. */
const BUILT: ReadonlySet<Feature> = new Set();

forEachDatabase('restart persistence (SPEC 4: restart keeps every setting)', (suite) => {
  test('everything written before closing the store reads back identical after reopening it', async () => {
    const clock = new FakeClock(Date.parse('2024-05-20T12:34:56.789Z'));
    let services = createServices(suite.db, { clock, unavailableFeatures: BUILT });
    await services.priceList.set({
      currency: 'PLN',
      extensionMonthlyMinor: 1500,
      optionMonthlyMinor: { voicemail: 300, monitoring: 200, fax: 400, encryption: 100 },
      activationMinor: 0,
    });
    const tenant = await services.tenants.create({ name: 'Persist', sipDomain: 'persist.example.com', language: 'en' });
    await services.numbers.add(tenant.id, { number: '+48221234567' });
    await services.numbers.add(tenant.id, { number: '+48221234568' });
    await services.extensions.create(tenant.id, { number: '20', name: 'Target', password: 'Target-Password-9' }, {
      quoteId: (await services.quotes.quote(tenant.id, { kind: 'create', input: { number: '20', name: 'Target', password: 'Target-Password-9' } })).id,
    });
    const input = {
      number: '101',
      name: 'Every Field',
      password: 'Every-Field-Pass-7',
      general: {
        callerId: { kind: 'number' as const, e164: '+48221234568' },
        internalCallerId: { kind: 'custom' as const, value: 'Recepcja' },
        smsSender: 'ACME',
        ringTimeSeconds: 45,
        callWaiting: false,
      },
      voicemail: {
        enabled: true,
        pin: '2468',
        email: 'vm@persist.example.com',
        greeting: 'custom' as const,
        greetingAppliesTo: { noAnswerOrUnavailable: false, busy: true },
      },
      forwarding: {
        noAnswer: { kind: 'extension' as const, number: '20' },
        busy: { kind: 'voicemail' as const },
        unavailable: { kind: 'external' as const, e164: '+48600123456' },
        returnAfterSeconds: 25,
        confirmExternal: true,
      },
      advanced: {
        encryption: true,
        internationalLevel: 'eu' as const,
        allowPremium: true,
        maxRateMinor: 250,
        outgoingPin: '97531',
        monitoring: true,
        fax: true,
      },
    };
    const quote = await services.quotes.quote(tenant.id, { kind: 'create', input });
    const created = await services.extensions.create(tenant.id, input, { quoteId: quote.id });
    await services.numbers.route(tenant.id, '+48221234567', '101');
    const token = await services.auth.createTenantToken(tenant.id);
    await services.auth.createAdmin(tenant.id, { email: 'admin@persist.example.com', password: 'Admin-Password-1' });
    const session = await services.auth.login('admin@persist.example.com', 'Admin-Password-1');

    const snapshot = async () => ({
      tenant: await services.tenants.get(tenant.id),
      extension: await services.extensions.get(tenant.id, created.extension.id),
      extensions: await services.extensions.list(tenant.id),
      numbers: await services.numbers.list(tenant.id),
      priceList: await services.priceList.get(),
      quote: await services.quotes.get(tenant.id, quote.id),
      ledger: await services.ledger.list(tenant.id),
      auth: await services.directory.findExtensionForAuth(tenant.sipDomain, '101'),
      principal: await services.auth.verifyToken(token.token),
      session: await services.auth.verifySession(session.id),
      rawExtension: await suite.db.kysely.selectFrom('extensions').selectAll().where('id', '=', created.extension.id).executeTakeFirstOrThrow(),
    });
    const before = await snapshot();
    assert.deepEqual(before.extension, created.extension);
    assert.equal(before.extension.general.callWaiting, false);
    assert.equal(before.extension.advanced.allowPremium, true);
    assert.equal(before.ledger.items.length, 1 + 5); // Target: monthly fee; Every Field: monthly + 4 options

    await suite.test.close();
    const reopened = await suite.test.reopen();
    services = createServices(reopened, { clock, unavailableFeatures: BUILT });
    const after = await snapshot();
    assert.deepEqual(after, before);
    assert.ok(after.extension.createdAt instanceof Date);
    assert.equal(after.extension.createdAt.toISOString(), '2024-05-20T12:34:56.789Z');
  });
});
