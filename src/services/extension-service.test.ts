import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import {
  EXTENSION_PATCH_CASES,
  EXTENSION_RULE_CASES,
  expectedToday,
  patchCaseRunsToday,
  RULES_BASE_INPUT,
  caseInput,
  setUpRulesFixture,
  valueAtPath,
  type RuleExpectation,
} from '../../test/support/extension-rules-table.js';
import { DomainError, ha1Md5, ha1Sha256, type Tenant } from '../domain/index.js';
import { FakeClock } from '../lib/index.js';
import { createServices } from './create-services.js';
import type { Services } from './services.js';

async function expectOutcome(run: () => Promise<{ extension: unknown }>, expect: RuleExpectation): Promise<{ extension: unknown } | undefined> {
  if (expect.ok) {
    const result = await run();
    if (expect.stored) assert.deepEqual(valueAtPath(result.extension, expect.stored.path), expect.stored.value);
    return result;
  }
  await assert.rejects(run, (err: unknown) => {
    assert.ok(err instanceof DomainError, `expected a DomainError, got ${String(err)}`);
    assert.equal(err.code, expect.code);
    assert.equal(err.field, expect.field);
    return true;
  });
  return undefined;
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => err instanceof DomainError && err.code === code);
}

forEachDatabase('extension service', (suite) => {
  let services: Services;
  let tenant: Tenant;
  const clock = new FakeClock(Date.parse('2024-02-15T10:00:00Z'));

  before(async () => {
    services = createServices(suite.db, { clock });
    tenant = await setUpRulesFixture(services);
  });

  describe('the rules table through create (each valid case is created, then deleted)', () => {
    for (const c of EXTENSION_RULE_CASES) {
      test(c.title, async () => {
        const result = await expectOutcome(() => services.extensions.create(tenant.id, caseInput(c)), expectedToday(c));
        const created = result?.extension as { id: string } | undefined;
        if (created) await services.extensions.delete(tenant.id, created.id);
      });
    }
  });

  describe('the change table through update', () => {
    for (const c of EXTENSION_PATCH_CASES.filter(patchCaseRunsToday)) {
      test(c.title, async () => {
        const { extension } = await services.extensions.create(tenant.id, { ...RULES_BASE_INPUT, ...c.create });
        try {
          await expectOutcome(() => services.extensions.update(tenant.id, extension.id, c.patch), expectedToday(c));
        } finally {
          await services.extensions.delete(tenant.id, extension.id);
        }
      });
    }
  });

  describe('lifecycle', () => {
    test('create returns the password once and stores only its HA1s, which the directory serves', async () => {
      const { extension, password } = await services.extensions.create(tenant.id, { number: '501', name: 'Ala' });
      assert.ok(password !== null && password.length === 16);
      assert.ok(!JSON.stringify(extension).includes(password));
      const auth = await services.directory.findExtensionForAuth('RULES.example.com', '501');
      assert.deepEqual(auth, {
        tenantId: tenant.id,
        extensionId: extension.id,
        ha1Md5: ha1Md5('501', tenant.sipDomain, password),
        ha1Sha256: ha1Sha256('501', tenant.sipDomain, password),
      });
      const row = await suite.db.kysely.selectFrom('extensions').selectAll().where('id', '=', extension.id).executeTakeFirstOrThrow();
      assert.ok(!Object.values(row).some((v) => typeof v === 'string' && v.includes(password)));
      assert.equal((await services.extensions.get(tenant.id, extension.id)).name, 'Ala');
      assert.equal((await services.extensions.getByNumber(tenant.id, '501')).id, extension.id);
    });

    test('the directory answers undefined for an unknown domain or extension alike', async () => {
      assert.equal(await services.directory.findExtensionForAuth('nope.example.com', '501'), undefined);
      assert.equal(await services.directory.findExtensionForAuth(tenant.sipDomain, '599'), undefined);
      assert.equal(await services.directory.findExtensionForAuth(tenant.sipDomain, 'x'), undefined);
    });

    test('PINs are stored as scrypt hashes, shown only as pinSet', async () => {
      const { extension } = await services.extensions.create(tenant.id, { number: '502', name: 'Ola', voicemail: { pin: '4321' } });
      assert.equal(extension.voicemail.pinSet, true);
      assert.equal(extension.advanced.outgoingPinSet, false);
      const row = await suite.db.kysely.selectFrom('extensions').select(['voicemail_pin_hash', 'outgoing_pin_hash']).where('id', '=', extension.id).executeTakeFirstOrThrow();
      assert.match(row.voicemail_pin_hash ?? '', /^scrypt\$/);
      assert.equal(row.outgoing_pin_hash, null);
    });

    test('resetPassword returns a new password and changes the HA1s', async () => {
      const ext = await services.extensions.getByNumber(tenant.id, '501');
      const before = await services.directory.findExtensionForAuth(tenant.sipDomain, '501');
      const { password } = await services.extensions.resetPassword(tenant.id, ext.id);
      const after = await services.directory.findExtensionForAuth(tenant.sipDomain, '501');
      assert.notEqual(after?.ha1Md5, before?.ha1Md5);
      assert.equal(after?.ha1Sha256, ha1Sha256('501', tenant.sipDomain, password));
    });

    test('renumbering without a password returns a new one; HA1 follows the new number', async () => {
      const ext = await services.extensions.getByNumber(tenant.id, '502');
      const { extension, password } = await services.extensions.update(tenant.id, ext.id, { number: '503' });
      assert.equal(extension.number, '503');
      assert.ok(password !== null);
      assert.equal((await services.directory.findExtensionForAuth(tenant.sipDomain, '503'))?.ha1Md5, ha1Md5('503', tenant.sipDomain, password));
      assert.equal(await services.directory.findExtensionForAuth(tenant.sipDomain, '502'), undefined);
    });

    test('an update without secrets keeps the password (null returned) and the PIN', async () => {
      const ext = await services.extensions.getByNumber(tenant.id, '503');
      const before = await services.directory.findExtensionForAuth(tenant.sipDomain, '503');
      const result = await services.extensions.update(tenant.id, ext.id, { general: { ringTimeSeconds: 45 } });
      assert.equal(result.password, null);
      assert.equal(result.extension.general.ringTimeSeconds, 45);
      assert.equal(result.extension.voicemail.pinSet, true);
      assert.deepEqual(await services.directory.findExtensionForAuth(tenant.sipDomain, '503'), before);
    });

    test('an extension others forward to cannot be deleted or renumbered (EXTENSION_IN_USE)', async () => {
      const target = await services.extensions.getByNumber(tenant.id, '501');
      const { extension: forwarder } = await services.extensions.create(tenant.id, {
        number: '504',
        name: 'Fwd',
        forwarding: { noAnswer: { kind: 'extension', number: '501' } },
      });
      await rejectsWith(services.extensions.delete(tenant.id, target.id), 'EXTENSION_IN_USE');
      await rejectsWith(services.extensions.update(tenant.id, target.id, { number: '505' }), 'EXTENSION_IN_USE');
      await services.extensions.update(tenant.id, forwarder.id, { forwarding: { noAnswer: { kind: 'none' } } });
      await services.extensions.delete(tenant.id, target.id);
      await rejectsWith(services.extensions.get(tenant.id, target.id), 'EXTENSION_NOT_FOUND');
    });

    test('deleting an extension unroutes the numbers that pointed to it', async () => {
      const { extension } = await services.extensions.create(tenant.id, { number: '506', name: 'Route' });
      const routed = await services.numbers.route(tenant.id, '+48221234568', '506');
      assert.equal(routed.extensionNumber, '506');
      await services.extensions.delete(tenant.id, extension.id);
      const after = await services.numbers.get(tenant.id, '+48221234568');
      assert.equal(after.extensionId, null);
      assert.equal(after.extensionNumber, null);
    });

    test('list pages through extensions in number order with a cursor', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 10; i++) {
        const page = await services.extensions.list(tenant.id, { limit: 2, ...(cursor ? { cursor } : {}) });
        assert.ok(page.items.length <= 2);
        seen.push(...page.items.map((e) => e.number));
        if (page.nextCursor === null) break;
        cursor = page.nextCursor;
      }
      const all = (await services.extensions.list(tenant.id, { limit: 200 })).items.map((e) => e.number);
      assert.deepEqual(seen, all);
      assert.deepEqual([...all].sort(), all);
      assert.ok(all.length >= 3);
    });

    test('another tenant sees none of these extensions', async () => {
      const other = await services.tenants.create({ name: 'Other', sipDomain: 'other.example.com' });
      const ext = await services.extensions.getByNumber(tenant.id, '503');
      await rejectsWith(services.extensions.get(other.id, ext.id), 'EXTENSION_NOT_FOUND');
      await rejectsWith(services.extensions.update(other.id, ext.id, { name: 'x' }), 'EXTENSION_NOT_FOUND');
      await rejectsWith(services.extensions.delete(other.id, ext.id), 'EXTENSION_NOT_FOUND');
      assert.deepEqual((await services.extensions.list(other.id)).items, []);
      // Caller ID anti-spoofing, as it applies once external calls are built.
      const built = createServices(suite.db, { clock, unavailableFeatures: new Set() });
      await rejectsWith(built.extensions.create(other.id, { number: '10', name: 'x', general: { callerId: { kind: 'number', e164: '+48221234567' } } }), 'CALLER_ID_NOT_OWNED');
    });

    test('unknown tenant is TENANT_NOT_FOUND', async () => {
      await rejectsWith(services.extensions.create('00000000-0000-0000-0000-000000000000', { number: '10', name: 'x' }), 'TENANT_NOT_FOUND');
      await rejectsWith(services.extensions.list('nope'), 'TENANT_NOT_FOUND');
    });
  });
});
