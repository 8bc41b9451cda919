import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DomainError } from './domain-error.js';
import type { Tenant } from './tenant.js';
import { normalizeSipDomain, resolveTenantCreate, resolveTenantPatch } from './tenant-rules.js';

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return `${err.code}@${err.field ?? ''}`;
    throw err;
  }
  return 'ok';
};

describe('tenant rules', () => {
  test('SIP domains are lower-cased DNS names or IPv4 addresses', () => {
    assert.equal(normalizeSipDomain('ACME.pbx.Example'), 'acme.pbx.example');
    assert.equal(normalizeSipDomain('acme.pbx.example.'), 'acme.pbx.example');
    assert.equal(normalizeSipDomain('localhost'), 'localhost');
    assert.equal(normalizeSipDomain('127.0.0.1'), '127.0.0.1');
    assert.equal(normalizeSipDomain(`${'a'.repeat(63)}.example`), `${'a'.repeat(63)}.example`);
    for (const bad of ['', '-acme.example', 'acme-.example', 'ac me.example', 'acme..example', `${'a'.repeat(64)}.example`, '999.1.1.1', 'acme_x.example', 'a@b']) {
      assert.equal(normalizeSipDomain(bad), undefined, bad);
    }
  });

  test('a new tenant gets the defaults: PL, pl, 1.00 PLN/min, no main number', () => {
    const t = resolveTenantCreate({ name: ' Acme ', sipDomain: 'Acme.PBX.example' });
    assert.deepEqual(t, {
      name: 'Acme',
      sipDomain: 'acme.pbx.example',
      country: 'PL',
      mainNumber: null,
      defaultMaxRate: { amountMinor: 100, currency: 'PLN' },
      language: 'pl',
    });
  });

  test('each tenant field rule is enforced', () => {
    const ok = { name: 'Acme', sipDomain: 'acme.example' };
    assert.equal(code(() => resolveTenantCreate({ ...ok, name: '' })), 'TENANT_NAME_INVALID@name');
    assert.equal(code(() => resolveTenantCreate({ ...ok, name: 'x'.repeat(101) })), 'TENANT_NAME_INVALID@name');
    assert.equal(code(() => resolveTenantCreate({ ...ok, name: 'x'.repeat(100) })), 'ok');
    assert.equal(code(() => resolveTenantCreate({ ...ok, sipDomain: 'not a domain' })), 'SIP_DOMAIN_INVALID@sipDomain');
    assert.equal(code(() => resolveTenantCreate({ ...ok, country: 'XX' })), 'COUNTRY_INVALID@country');
    assert.equal(code(() => resolveTenantCreate({ ...ok, country: 'de' })), 'ok');
    assert.equal(code(() => resolveTenantCreate({ ...ok, language: 'de' as never })), 'LANGUAGE_INVALID@language');
    assert.equal(code(() => resolveTenantCreate({ ...ok, defaultMaxRate: { amountMinor: -1, currency: 'PLN' } })), 'MAX_RATE_INVALID@defaultMaxRate.amountMinor');
    assert.equal(code(() => resolveTenantCreate({ ...ok, defaultMaxRate: { amountMinor: 10, currency: 'zł' } })), 'CURRENCY_INVALID@defaultMaxRate.currency');
  });

  test('the main number must be one of the tenant numbers; national form is normalised', () => {
    const tenant: Tenant = {
      id: 't',
      ...resolveTenantCreate({ name: 'Acme', sipDomain: 'acme.example' }),
      createdAt: new Date(0),
      updatedAt: new Date(0),
    };
    const owned = new Set(['+48221234567']);
    assert.equal(resolveTenantPatch(tenant, { mainNumber: '22 123 45 67' }, owned).mainNumber, '+48221234567');
    assert.equal(code(() => resolveTenantPatch(tenant, { mainNumber: '+48221234599' }, owned)), 'MAIN_NUMBER_NOT_OWNED@mainNumber');
    assert.equal(resolveTenantPatch(tenant, { language: 'en' }, owned).language, 'en');
  });
});
