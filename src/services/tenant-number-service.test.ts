import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { DomainError } from '../domain/index.js';
import { FakeClock } from '../lib/index.js';
import { createServices } from './create-services.js';
import type { Services } from './services.js';

async function rejectsWith(promise: Promise<unknown>, code: string, field?: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof DomainError, String(err));
    assert.equal(err.code, code);
    if (field !== undefined) assert.equal(err.field, field);
    return true;
  });
}

forEachDatabase('tenants and numbers', (suite) => {
  let services: Services;
  before(() => {
    services = createServices(suite.db, { clock: new FakeClock(Date.parse('2024-03-01T08:00:00Z')), unavailableFeatures: new Set() });
  });

  test('a tenant is created with defaults and read back', async () => {
    const t = await services.tenants.create({ name: 'Acme', sipDomain: 'ACME.pbx.example' });
    assert.equal(t.sipDomain, 'acme.pbx.example');
    assert.equal(t.country, 'PL');
    assert.equal(t.language, 'pl');
    assert.equal(t.mainNumber, null);
    assert.deepEqual(t.defaultMaxRate, { amountMinor: 100, currency: 'PLN' });
    assert.deepEqual(await services.tenants.get(t.id), t);
  });

  test('a SIP domain is unique on the platform', async () => {
    await rejectsWith(services.tenants.create({ name: 'Copy', sipDomain: 'acme.pbx.example' }), 'SIP_DOMAIN_TAKEN', 'sipDomain');
  });

  test('unknown tenant is TENANT_NOT_FOUND', async () => {
    await rejectsWith(services.tenants.get('nope'), 'TENANT_NOT_FOUND');
    await rejectsWith(services.tenants.update('nope', { name: 'x' }), 'TENANT_NOT_FOUND');
  });

  test('tenants list in SIP-domain order, paged', async () => {
    await services.tenants.create({ name: 'B', sipDomain: 'b.example.com' });
    await services.tenants.create({ name: 'C', sipDomain: 'c.example.com' });
    const first = await services.tenants.list({ limit: 2 });
    assert.deepEqual(first.items.map((t) => t.sipDomain), ['acme.pbx.example', 'b.example.com']);
    assert.ok(first.nextCursor !== null);
    const second = await services.tenants.list({ limit: 2, cursor: first.nextCursor });
    assert.deepEqual(second.items.map((t) => t.sipDomain), ['c.example.com']);
    assert.equal(second.nextCursor, null);
  });

  test('the first number becomes the main number; numbers are normalised and unique platform-wide', async () => {
    const t = (await services.tenants.list()).items[0];
    assert.ok(t);
    const n = await services.numbers.add(t.id, { number: '22 123 45 67' });
    assert.equal(n.e164, '+48221234567');
    assert.equal((await services.tenants.get(t.id)).mainNumber, '+48221234567');
    await services.numbers.add(t.id, { number: '+48221234568' });
    assert.equal((await services.tenants.get(t.id)).mainNumber, '+48221234567');
    const other = (await services.tenants.list()).items[1];
    assert.ok(other);
    await rejectsWith(services.numbers.add(other.id, { number: '+48 22 123 45 67' }), 'NUMBER_TAKEN', 'number');
    await rejectsWith(services.numbers.add(t.id, { number: '12345' }), 'PHONE_NUMBER_INVALID', 'number');
    assert.deepEqual((await services.numbers.list(t.id)).items.map((x) => x.e164), ['+48221234567', '+48221234568']);
    await rejectsWith(services.numbers.get(other.id, '+48221234567'), 'NUMBER_NOT_FOUND');
  });

  test('the main number can be changed only to an owned number', async () => {
    const t = (await services.tenants.list()).items[0];
    assert.ok(t);
    await rejectsWith(services.tenants.update(t.id, { mainNumber: '+48221234599' }), 'MAIN_NUMBER_NOT_OWNED', 'mainNumber');
    assert.equal((await services.tenants.update(t.id, { mainNumber: '221234568' })).mainNumber, '+48221234568');
  });

  test('a number routes to an extension and back to none', async () => {
    const t = (await services.tenants.list()).items[0];
    assert.ok(t);
    await services.extensions.create(t.id, { number: '100', name: 'Biuro' });
    await rejectsWith(services.numbers.route(t.id, '+48221234567', '199'), 'EXTENSION_NOT_FOUND', 'extensionNumber');
    const routed = await services.numbers.route(t.id, '+48221234567', '100');
    assert.equal(routed.extensionNumber, '100');
    assert.ok(routed.extensionId !== null);
    assert.equal((await services.numbers.route(t.id, '+48221234567', null)).extensionId, null);
  });

  test('a number used as caller ID or SMS sender, or main with others left, cannot be removed', async () => {
    const t = (await services.tenants.list()).items[0];
    assert.ok(t);
    const ext = await services.extensions.getByNumber(t.id, '100');
    await services.extensions.update(t.id, ext.id, { general: { callerId: { kind: 'number', e164: '+48221234567' } } });
    await rejectsWith(services.numbers.remove(t.id, '+48221234567'), 'NUMBER_IN_USE');
    await services.extensions.update(t.id, ext.id, { general: { callerId: { kind: 'hidden' }, smsSender: '+48221234567' } });
    await rejectsWith(services.numbers.remove(t.id, '+48221234567'), 'NUMBER_IN_USE');
    await services.extensions.update(t.id, ext.id, { general: { smsSender: null } });
    await rejectsWith(services.numbers.remove(t.id, '+48221234568'), 'NUMBER_IN_USE'); // the main number
    await services.numbers.remove(t.id, '+48221234567');
    await rejectsWith(services.numbers.get(t.id, '+48221234567'), 'NUMBER_NOT_FOUND');
    await services.numbers.remove(t.id, '+48221234568'); // the last number: main becomes null
    assert.equal((await services.tenants.get(t.id)).mainNumber, null);
  });

  test('the SIP domain may change only while the tenant has no extensions', async () => {
    const [t, empty] = (await services.tenants.list()).items;
    assert.ok(t && empty);
    await rejectsWith(services.tenants.update(t.id, { sipDomain: 'new.example.com' }), 'SIP_DOMAIN_LOCKED', 'sipDomain');
    assert.equal((await services.tenants.update(empty.id, { sipDomain: 'B2.example.com' })).sipDomain, 'b2.example.com');
    await rejectsWith(services.tenants.update(empty.id, { sipDomain: 'c.example.com' }), 'SIP_DOMAIN_TAKEN');
    const updated = await services.tenants.update(empty.id, { name: 'B two', language: 'en', country: 'DE', defaultMaxRate: { amountMinor: 25, currency: 'EUR' } });
    assert.deepEqual([updated.name, updated.language, updated.country, updated.defaultMaxRate], ['B two', 'en', 'DE', { amountMinor: 25, currency: 'EUR' }]);
    assert.deepEqual(await services.tenants.get(empty.id), updated);
  });
});
