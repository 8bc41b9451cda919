// Brute-force protection of the panel login (SPEC 4): failed logins are counted per client address and per
// e-mail; past the limit the login is refused unheard (429 LOGIN_BLOCKED with Retry-After), right password or
// not, for known and unknown e-mails alike; the block ends by itself, and an address where the admin logged in
// before keeps working while others hammer the e-mail.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { LOGIN_ACCOUNT_LIMIT, LOGIN_SOURCE_LIMIT } from '../src/services/auth-service.js';
import { forEachDatabase } from './support/databases.js';
import { createApiHarness, seedTenant, type ApiHarness, type ErrorJson, type SeededTenant } from './api-harness.js';

forEachDatabase('panel login brute-force protection', (suite) => {
  let h: ApiHarness;
  let a: SeededTenant;

  before(async () => {
    h = await createApiHarness(suite.db);
    a = await seedTenant(h, 'throttle', '+48221110077');
  });
  after(async () => {
    await h.close();
  });

  async function login(email: string, password: string, from: string): Promise<{ status: number; body: ErrorJson; retryAfter: unknown }> {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: from, payload: { email, password } });
    return { status: res.statusCode, body: res.json<ErrorJson>(), retryAfter: res.headers['retry-after'] };
  }

  it(`${LOGIN_SOURCE_LIMIT.maxFailures} failures from one address block it for 5 minutes, right password or not; other addresses are unaffected`, async () => {
    for (let i = 0; i < LOGIN_SOURCE_LIMIT.maxFailures; i++) {
      assert.equal((await login(a.adminEmail, `wrong password ${i}`, '192.0.2.10')).status, 401);
    }
    const blocked = await login(a.adminEmail, a.adminPassword, '192.0.2.10');
    assert.equal(blocked.status, 429);
    assert.equal(blocked.body.error.code, 'LOGIN_BLOCKED');
    assert.equal(blocked.retryAfter, '300');
    assert.deepEqual(blocked.body.error.details, { retryAfterSeconds: 300 });
    assert.equal((await login(a.adminEmail, a.adminPassword, '192.0.2.11')).status, 200);

    h.clock.advance(LOGIN_SOURCE_LIMIT.blockMs + 1000);
    assert.equal((await login(a.adminEmail, a.adminPassword, '192.0.2.10')).status, 200, 'the block ends by itself');
  });

  it('an unknown e-mail is counted and blocked exactly like a known one', async () => {
    for (let i = 0; i < LOGIN_SOURCE_LIMIT.maxFailures; i++) {
      assert.equal((await login('nobody@throttle.example', 'guess 12345678', '192.0.2.20')).status, 401);
    }
    const unknown = await login('nobody@throttle.example', 'guess 12345678', '192.0.2.20');
    const known = await login(a.adminEmail, 'guess 12345678', '192.0.2.20');
    assert.equal(unknown.status, 429);
    assert.deepEqual(unknown.body, known.body);
  });

  it(`${LOGIN_ACCOUNT_LIMIT.maxFailures} failures for one e-mail from many addresses block the e-mail, except where its admin logged in`, async () => {
    h.clock.advance(3_600_000); // clear of the earlier tests' windows
    assert.equal((await login(a.adminEmail, a.adminPassword, '198.51.100.1')).status, 200); // the admin's office
    for (let i = 0; i < LOGIN_ACCOUNT_LIMIT.maxFailures; i++) {
      assert.equal((await login(a.adminEmail, `botnet guess ${i}`, `203.0.113.${i + 1}`)).status, 401);
    }
    const elsewhere = await login(a.adminEmail, a.adminPassword, '203.0.113.200');
    assert.equal(elsewhere.status, 429);
    assert.equal(elsewhere.retryAfter, String(LOGIN_ACCOUNT_LIMIT.blockMs / 1000));
    assert.equal((await login(a.adminEmail, a.adminPassword, '198.51.100.1')).status, 200, 'the trusted address still logs in');
  });
});
