// Authentication and authorisation over HTTP: bearer tokens (operator, tenant), the panel session cookie with
// its CSRF token, and the access level of every route from the route table.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { routeParams } from '../src/api/index.js';
import { forEachDatabase } from './support/databases.js';
import { call, createApiHarness, login, seedTenant, type ApiHarness, type ErrorJson, type SeededTenant } from './api-harness.js';

const bodyFor = (method: string): unknown => (['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined);

forEachDatabase('API authentication', (suite) => {
  let h: ApiHarness;
  let a: SeededTenant;

  before(async () => {
    h = await createApiHarness(suite.db);
    a = await seedTenant(h, 'auth', '+48221110003');
  });
  after(async () => {
    await h.close();
  });

  it('answers 401 UNAUTHENTICATED with WWW-Authenticate on every non-public route without credentials', async () => {
    const routes = h.app.apiRoutes.filter((r) => r.access !== 'public');
    assert.ok(routes.length > 20);
    for (const route of routes) {
      const url = route.url.replace(/:([A-Za-z0-9_]+)/g, 'x');
      const result = await call<ErrorJson>(h.app, route.method, url, { body: bodyFor(route.method) });
      assert.equal(result.status, 401, `${route.method} ${route.url}: ${result.raw}`);
      assert.equal(result.body.error.code, 'UNAUTHENTICATED');
      assert.match(String(result.headers['www-authenticate']), /^Bearer/);
    }
  });

  for (const [what, authorization] of [
    ['an unknown token', 'Bearer not-a-real-token'],
    ['another scheme', `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['an empty bearer', 'Bearer '],
  ] as const) {
    it(`answers 401 to ${what}`, async () => {
      const result = await call<ErrorJson>(h.app, 'GET', '/api/v1/tenants', { headers: { authorization } });
      assert.equal(result.status, 401);
      assert.equal(result.body.error.code, 'UNAUTHENTICATED');
    });
  }

  it('keeps a tenant token away from every operator route (403 FORBIDDEN on its own tenant)', async () => {
    const operatorRoutes = h.app.apiRoutes.filter((r) => r.access === 'operator');
    assert.ok(operatorRoutes.some((r) => r.url === '/api/v1/tenants' && r.method === 'POST'));
    for (const route of operatorRoutes) {
      const url = route.url.replace(/:([A-Za-z0-9_]+)/g, (_, p: string) =>
        p === 'tenantId' ? a.id : p === 'number' ? encodeURIComponent(a.e164) : p === 'extensionId' ? a.extensionId : 'x',
      );
      const result = await call<ErrorJson>(h.app, route.method, url, { token: a.token, body: bodyFor(route.method) });
      assert.equal(result.status, 403, `${route.method} ${route.url}: ${result.raw}`);
      assert.equal(result.body.error.code, 'FORBIDDEN');
    }
  });

  it('lets a tenant token read its own tenant and manage its extensions', async () => {
    const tenant = await call(h.app, 'GET', `/api/v1/tenants/${a.id}`, { token: a.token });
    assert.equal(tenant.status, 200);
    assert.equal(tenant.body.id, a.id);
    const created = await call(h.app, 'POST', `/api/v1/tenants/${a.id}/extensions`, { token: a.token, body: { number: '201', name: 'By token' } });
    assert.equal(created.status, 201, created.raw);
    const me = await call(h.app, 'GET', '/api/v1/auth/me', { token: a.token });
    assert.deepEqual(me.body, { kind: 'tenant', tenantId: a.id, method: 'token' });
  });

  it('gives the same INVALID_CREDENTIALS answer for an unknown e-mail and a wrong password', async () => {
    const unknown = await call<ErrorJson>(h.app, 'POST', '/api/v1/auth/login', { body: { email: 'nobody@auth.example', password: a.adminPassword } });
    const wrong = await call<ErrorJson>(h.app, 'POST', '/api/v1/auth/login', { body: { email: a.adminEmail, password: 'wrong password 123' } });
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.error.code, 'INVALID_CREDENTIALS');
    assert.deepEqual(unknown.body, wrong.body);
    assert.equal(unknown.headers['set-cookie'], undefined);
  });

  it('sets an HttpOnly, SameSite=Strict session cookie on login and returns a CSRF token', async () => {
    const session = await login(h, a.adminEmail, a.adminPassword);
    assert.match(session.setCookie, /^centrala_session=[^;]+/);
    assert.match(session.setCookie, /; HttpOnly/i);
    assert.match(session.setCookie, /; SameSite=Strict/i);
    assert.match(session.setCookie, /; Path=\/api/);
    assert.ok(session.csrf.length >= 16);
    const me = await call(h.app, 'GET', '/api/v1/auth/me', { cookie: session.cookie });
    assert.deepEqual(me.body, { kind: 'tenant', tenantId: a.id, method: 'session' });
  });

  it('needs X-CSRF-Token on every unsafe method when authenticated by cookie', async () => {
    const session = await login(h, a.adminEmail, a.adminPassword);
    const list = await call(h.app, 'GET', `/api/v1/tenants/${a.id}/extensions`, { cookie: session.cookie });
    assert.equal(list.status, 200, 'safe methods need no CSRF token');
    const unsafe: Array<[string, string, unknown]> = [
      ['POST', `/api/v1/tenants/${a.id}/extensions`, { number: '301', name: 'Csrf' }],
      ['PATCH', `/api/v1/tenants/${a.id}/extensions/${a.extensionId}`, { name: 'Csrf' }],
      ['DELETE', `/api/v1/tenants/${a.id}/extensions/${a.extensionId}`, undefined],
      ['POST', '/api/v1/auth/logout', undefined],
    ];
    for (const [method, url, body] of unsafe) {
      for (const csrf of [undefined, 'wrong-token', `${session.csrf}x`]) {
        const result = await call<ErrorJson>(h.app, method, url, { cookie: session.cookie, body, ...(csrf !== undefined ? { csrf } : {}) });
        assert.equal(result.status, 403, `${method} ${url} with csrf ${String(csrf)}: ${result.raw}`);
        assert.equal(result.body.error.code, 'CSRF_INVALID');
      }
    }
    const created = await call(h.app, 'POST', `/api/v1/tenants/${a.id}/extensions`, {
      cookie: session.cookie,
      csrf: session.csrf,
      body: { number: '301', name: 'Csrf' },
    });
    assert.equal(created.status, 201, created.raw);
  });

  it('does not let a session reach another tenant or operator routes', async () => {
    const session = await login(h, a.adminEmail, a.adminPassword);
    const tenants = await call<ErrorJson>(h.app, 'GET', '/api/v1/tenants', { cookie: session.cookie });
    assert.equal(tenants.status, 403);
    const routesWithTenant = h.app.apiRoutes.filter((r) => routeParams(r.url).includes('tenantId'));
    assert.ok(routesWithTenant.length > 0);
  });

  it('ends the session on logout (cookie cleared, cookie no longer accepted)', async () => {
    const session = await login(h, a.adminEmail, a.adminPassword);
    const out = await call(h.app, 'POST', '/api/v1/auth/logout', { cookie: session.cookie, csrf: session.csrf });
    assert.equal(out.status, 204);
    assert.match(String(out.headers['set-cookie']), /centrala_session=;/);
    const after = await call<ErrorJson>(h.app, 'GET', '/api/v1/auth/me', { cookie: session.cookie });
    assert.equal(after.status, 401);
  });

  it('prefers the bearer token over a cookie (no CSRF needed with a token)', async () => {
    const session = await login(h, a.adminEmail, a.adminPassword);
    const result = await call(h.app, 'PATCH', `/api/v1/tenants/${a.id}/extensions/${a.extensionId}`, {
      token: a.token,
      cookie: session.cookie,
      body: { name: 'Token wins' },
    });
    assert.equal(result.status, 200, result.raw);
  });

  it('refuses a revoked token', async () => {
    const created = await call(h.app, 'POST', `/api/v1/tenants/${a.id}/tokens`, { token: h.operatorToken, body: {} });
    assert.equal(created.status, 201, created.raw);
    assert.equal((await call(h.app, 'GET', `/api/v1/tenants/${a.id}`, { token: String(created.body.token) })).status, 200);
    const revoked = await call(h.app, 'DELETE', `/api/v1/tokens/${String(created.body.id)}`, { token: h.operatorToken });
    assert.equal(revoked.status, 204);
    assert.equal((await call(h.app, 'GET', `/api/v1/tenants/${a.id}`, { token: String(created.body.token) })).status, 401);
  });

  it('lets the operator create another operator token that works', async () => {
    const created = await call(h.app, 'POST', '/api/v1/tokens', { token: h.operatorToken });
    assert.equal(created.status, 201, created.raw);
    assert.equal(created.body.kind, 'operator');
    assert.equal(created.headers['cache-control'], 'no-store');
    assert.equal((await call(h.app, 'GET', '/api/v1/tenants', { token: String(created.body.token) })).status, 200);
  });

  for (const [label, message] of [
    [7, 'label: must be a string, got a number'],
    ['   ', 'label: must be 1–100 characters.'],
    ['x'.repeat(101), 'label: must be 1–100 characters.'],
  ] as const) {
    it(`refuses a token label ${JSON.stringify(label).slice(0, 12)} with VALUE_INVALID naming the label`, async () => {
      for (const url of ['/api/v1/tokens', `/api/v1/tenants/${a.id}/tokens`]) {
        const refused = await call<ErrorJson>(h.app, 'POST', url, { token: h.operatorToken, body: { label }, headers: { 'accept-language': 'en' } });
        assert.equal(refused.status, 400, refused.raw);
        assert.equal(refused.body.error.code, 'VALUE_INVALID');
        assert.equal(refused.body.error.field, 'label');
        assert.ok(refused.body.error.message.startsWith(message), refused.body.error.message);
      }
    });
  }
});
