import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { forEachDatabase } from '../../test/support/databases.js';
import { DomainError, type Tenant } from '../domain/index.js';
import { FakeClock } from '../lib/index.js';
import { DEFAULT_SESSION_TTL_MS, createServices } from './create-services.js';
import type { Services } from './services.js';

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => err instanceof DomainError && err.code === code);
}

forEachDatabase('auth service', (suite) => {
  let services: Services;
  let tenant: Tenant;
  const clock = new FakeClock(Date.parse('2024-03-01T08:00:00Z'));

  before(async () => {
    services = createServices(suite.db, { clock });
    tenant = await services.tenants.create({ name: 'Auth Co', sipDomain: 'auth.example.com' });
  });

  test('the bootstrap operator token is created once and returned in plaintext only then', async () => {
    const token = await services.auth.bootstrapOperatorToken();
    assert.ok(token !== undefined && token.startsWith('cop_'));
    assert.equal(await services.auth.bootstrapOperatorToken(), undefined);
    assert.deepEqual(await services.auth.verifyToken(token), { kind: 'operator' });
    const rows = await suite.db.kysely.selectFrom('api_tokens').selectAll().execute();
    assert.ok(rows.every((r) => !Object.values(r).includes(token)));
    assert.match(rows[0]?.token_hash ?? '', /^[0-9a-f]{64}$/);
  });

  test('a tenant token verifies to its tenant; unknown and revoked tokens do not verify', async () => {
    const { token, record } = await services.auth.createTenantToken(tenant.id, 'ci');
    assert.ok(token.startsWith('ctt_'));
    assert.equal(record.tenantId, tenant.id);
    assert.deepEqual(await services.auth.verifyToken(token), { kind: 'tenant', tenantId: tenant.id });
    assert.equal(await services.auth.verifyToken(`${token}x`), undefined);
    assert.equal(await services.auth.verifyToken(''), undefined);
    await services.auth.revokeToken(record.id);
    assert.equal(await services.auth.verifyToken(token), undefined);
    await rejectsWith(services.auth.createTenantToken('nope'), 'TENANT_NOT_FOUND');
  });

  test('admins: e-mail unique case-insensitively, password rules, scrypt hash stored', async () => {
    const admin = await services.auth.createAdmin(tenant.id, { email: 'Boss@Auth.example.com', password: 'Correct-Horse-42' });
    assert.equal(admin.email, 'boss@auth.example.com');
    await rejectsWith(services.auth.createAdmin(tenant.id, { email: 'BOSS@auth.example.com', password: 'Correct-Horse-42' }), 'ADMIN_EMAIL_TAKEN');
    await rejectsWith(services.auth.createAdmin(tenant.id, { email: 'x@auth.example.com', password: 'short1' }), 'ADMIN_PASSWORD_WEAK');
    await rejectsWith(services.auth.createAdmin(tenant.id, { email: 'x@auth.example.com', password: 'no-digits-at-all' }), 'ADMIN_PASSWORD_WEAK');
    await rejectsWith(services.auth.createAdmin(tenant.id, { email: 'not-an-email', password: 'Correct-Horse-42' }), 'EMAIL_INVALID');
    const row = await suite.db.kysely.selectFrom('admins').selectAll().where('id', '=', admin.id).executeTakeFirstOrThrow();
    assert.match(row.password_hash, /^scrypt\$/);
  });

  test('login gives a session with a CSRF token; a wrong password and an unknown e-mail fail alike', async () => {
    await rejectsWith(services.auth.login('boss@auth.example.com', 'Wrong-Horse-42'), 'INVALID_CREDENTIALS');
    await rejectsWith(services.auth.login('nobody@auth.example.com', 'Correct-Horse-42'), 'INVALID_CREDENTIALS');
    const session = await services.auth.login('BOSS@auth.example.com', 'Correct-Horse-42');
    assert.equal(session.tenantId, tenant.id);
    assert.ok(session.csrfToken.length >= 20 && session.id.length >= 40);
    assert.equal(session.expiresAt.getTime() - clock.now(), DEFAULT_SESSION_TTL_MS);
    assert.deepEqual(await services.auth.verifySession(session.id), session);
    const rows = await suite.db.kysely.selectFrom('sessions').select('id_hash').execute();
    assert.ok(rows.every((r) => r.id_hash !== session.id));
  });

  test('a session ends at logout or when it expires', async () => {
    const a = await services.auth.login('boss@auth.example.com', 'Correct-Horse-42');
    await services.auth.logout(a.id);
    assert.equal(await services.auth.verifySession(a.id), undefined);
    await services.auth.logout(a.id);
    const b = await services.auth.login('boss@auth.example.com', 'Correct-Horse-42');
    clock.advance(DEFAULT_SESSION_TTL_MS - 1);
    assert.ok(await services.auth.verifySession(b.id));
    clock.advance(1);
    assert.equal(await services.auth.verifySession(b.id), undefined);
    assert.equal(await services.auth.verifySession('made-up'), undefined);
  });
});
