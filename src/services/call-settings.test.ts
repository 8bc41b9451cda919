import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { createServices } from './create-services.js';
import type { Services } from './services.js';
import type { Feature } from '../domain/index.js';

/** Every feature counted as built: these tests check what each setting does and costs once it works. */
const BUILT: ReadonlySet<Feature> = new Set();

forEachDatabase('call settings lookup (directory.findCallSettings)', (suite) => {
  let services: Services;
  let tenantId: string;
  let otherTenantId: string;

  before(async () => {
    services = createServices(suite.db, { unavailableFeatures: BUILT });
    tenantId = (await services.tenants.create({ name: 'Calls', sipDomain: 'settings.calls.example', country: 'PL' })).id;
    otherTenantId = (await services.tenants.create({ name: 'Other', sipDomain: 'other.calls.example', language: 'en' })).id;
    await services.numbers.add(tenantId, { number: '+48221230001' });
  });

  test('an extension created with defaults gets the SPEC defaults (ring 30 s, call waiting on, no forwarding)', async () => {
    const { extension } = await services.extensions.create(tenantId, { number: '201', name: 'Ewa Default' });
    const settings = await services.directory.findCallSettings(tenantId, '201');
    assert.deepEqual(settings, {
      tenantId,
      extensionId: extension.id,
      number: '201',
      name: 'Ewa Default',
      sipDomain: 'settings.calls.example',
      language: 'pl',
      internalCallerId: { kind: 'extension' },
      ringTimeSeconds: 30,
      callWaiting: true,
      fax: false,
      voicemailEnabled: false,
      forwarding: {
        noAnswer: { kind: 'none' },
        busy: { kind: 'none' },
        unavailable: { kind: 'none' },
        returnAfterSeconds: null,
        confirmExternal: false,
      },
    });
  });

  test('every call setting of the extension is carried over (caller ID, ring time, waiting, fax, voicemail, forwarding)', async () => {
    await services.extensions.create(tenantId, { number: '202', name: 'Target' });
    const { extension } = await services.extensions.create(tenantId, {
      number: '203',
      name: 'Piotr Wiśniewski',
      general: { internalCallerId: { kind: 'custom', value: 'Recepcja' }, ringTimeSeconds: 45, callWaiting: false },
      voicemail: { enabled: true, pin: '4821' },
      advanced: { fax: true },
      forwarding: {
        noAnswer: { kind: 'extension', number: '202' },
        busy: { kind: 'voicemail' },
        unavailable: { kind: 'external', e164: '+48221239999' },
        returnAfterSeconds: 20,
        confirmExternal: true,
      },
    });
    assert.deepEqual(await services.directory.findCallSettings(tenantId, '203'), {
      tenantId,
      extensionId: extension.id,
      number: '203',
      name: 'Piotr Wiśniewski',
      sipDomain: 'settings.calls.example',
      language: 'pl',
      internalCallerId: { kind: 'custom', value: 'Recepcja' },
      ringTimeSeconds: 45,
      callWaiting: false,
      fax: true,
      voicemailEnabled: true,
      forwarding: {
        noAnswer: { kind: 'extension', number: '202' },
        busy: { kind: 'voicemail' },
        unavailable: { kind: 'external', e164: '+48221239999' },
        returnAfterSeconds: 20,
        confirmExternal: true,
      },
    });
  });

  test('a change of the extension is seen by the next lookup (no stale cache)', async () => {
    const { extension } = await services.extensions.create(tenantId, { number: '204', name: 'Before' });
    await services.extensions.update(tenantId, extension.id, { name: 'After', general: { ringTimeSeconds: 10 } });
    const settings = await services.directory.findCallSettings(tenantId, '204');
    assert.equal(settings?.name, 'After');
    assert.equal(settings?.ringTimeSeconds, 10);
  });

  test("the tenant's language comes with the settings (the announcements the caller hears)", async () => {
    await services.extensions.create(otherTenantId, { number: '302', name: 'English' });
    assert.equal((await services.directory.findCallSettings(otherTenantId, '302'))?.language, 'en');
  });

  test('the SIP domain is given in lower case whatever the stored spelling', async () => {
    await services.extensions.create(otherTenantId, { number: '301', name: 'Mixed' });
    await suite.db.kysely.updateTable('tenants').set({ sip_domain: 'Other.Calls.EXAMPLE' }).where('id', '=', otherTenantId).execute();
    assert.equal((await services.directory.findCallSettings(otherTenantId, '301'))?.sipDomain, 'other.calls.example');
  });

  const misses: Array<[string, () => [string, string]]> = [
    ['an unknown number', () => [tenantId, '299']],
    ["another tenant's extension", () => [otherTenantId, '201']],
    ['an unknown tenant', () => ['00000000-0000-4000-8000-000000000000', '201']],
    ['a number that is not an extension number', () => [tenantId, '+48221230001']],
    ['an empty number', () => [tenantId, '']],
  ];
  for (const [what, args] of misses) {
    test(`answers undefined for ${what}`, async () => {
      assert.equal(await services.directory.findCallSettings(...args()), undefined);
    });
  }
});
