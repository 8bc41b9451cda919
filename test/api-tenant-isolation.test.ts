// Tenant isolation through the HTTP API. The routes are taken from the app's own route table, so a route added
// later is swept automatically (and a new path parameter fails here until it gets a sample value below).
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { routeParams, type ApiRoute } from '../src/api/index.js';
import type { LiveCallRecord } from '../src/services/index.js';
import { createCallRecordRepository } from '../src/store/index.js';
import { callRecord } from './support/call-record-builder.js';
import { forEachDatabase } from './support/databases.js';
import { call, createApiHarness, login, seedTenant, type ApiHarness, type ErrorJson, type SeededTenant } from './api-harness.js';

/** The id of one call history record of each seeded tenant (written in `before`). */
const callRecordIds = new Map<string, string>();

/** One call in progress of each seeded tenant, as the call engine would report it (the API has no SIP here). */
const liveCalls = new Map<string, LiveCallRecord>();

function liveCall(tenantId: string, id: string): LiveCallRecord {
  const media = { relayAddress: '127.0.0.1', relayPort: 20000, device: null };
  return {
    id,
    tenantId,
    callId: `${id}@test`,
    callerNumber: '100',
    callerName: 'Caller',
    callee: '101',
    answeredBy: null,
    state: 'ringing',
    startedAt: 0,
    answeredAt: null,
    codecs: [],
    onHold: false,
    media: { caller: media, callee: media },
  };
}

/** The value of each path parameter that names an object of `t`. */
const SAMPLES: Record<string, (t: SeededTenant) => string> = {
  tenantId: (t) => t.id,
  extensionId: (t) => t.extensionId,
  number: (t) => encodeURIComponent(t.e164),
  quoteId: (t) => t.quoteId,
  callId: (t) => callRecordIds.get(t.id) ?? '',
  liveCallId: (t) => liveCalls.get(t.id)?.id ?? '',
};

/** Every path parameter set to an id that exists nowhere. */
const MISSING: Record<string, string> = {
  tenantId: '00000000-0000-4000-8000-000000000000',
  extensionId: '00000000-0000-4000-8000-000000000001',
  number: encodeURIComponent('+48229999999'),
  quoteId: '00000000-0000-4000-8000-000000000002',
  callId: '00000000-0000-4000-8000-000000000003',
  liveCallId: '00000000-0000-4000-8000-000000000004',
};

function fill(route: ApiRoute, value: (param: string) => string): string {
  return route.url.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => value(name));
}

function sample(name: string, t: SeededTenant): string {
  const pick = SAMPLES[name];
  assert.ok(pick, `no sample value for :${name}: add one to SAMPLES in test/api-tenant-isolation.test.ts`);
  return pick(t);
}

const bodyFor = (method: string): unknown => (['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined);

forEachDatabase('tenant isolation over HTTP', (suite) => {
  let h: ApiHarness;
  let a: SeededTenant;
  let b: SeededTenant;
  let tenantRoutes: ApiRoute[];

  before(async () => {
    h = await createApiHarness(suite.db);
    a = await seedTenant(h, 'alpha', '+48221110001');
    b = await seedTenant(h, 'beta', '+48221110002');
    const calls = createCallRecordRepository(suite.db);
    for (const t of [a, b]) {
      const record = callRecord(t.id, { callerNumber: t.extensionNumber });
      await calls.write(record);
      callRecordIds.set(t.id, record.id);
    }
    liveCalls.set(a.id, liveCall(a.id, '10000000-0000-4000-8000-00000000000a'));
    liveCalls.set(b.id, liveCall(b.id, '10000000-0000-4000-8000-00000000000b'));
    h.services.liveCalls.attach({
      list: (tenantId) => [...liveCalls.values()].filter((c) => c.tenantId === tenantId),
      hangUp: () => Promise.resolve(false),
    });
    tenantRoutes = h.app.apiRoutes.filter((r) => routeParams(r.url).includes('tenantId'));
  });
  after(async () => {
    await h.close();
  });

  it('finds the tenant-scoped routes in the route table (extensions, numbers, quotes, ledger, tenants …)', () => {
    const urls = new Set(tenantRoutes.map((r) => r.url));
    for (const url of [
      '/api/v1/tenants/:tenantId',
      '/api/v1/tenants/:tenantId/extensions',
      '/api/v1/tenants/:tenantId/extensions/:extensionId',
      '/api/v1/tenants/:tenantId/numbers/:number',
      '/api/v1/tenants/:tenantId/quotes/:quoteId',
      '/api/v1/tenants/:tenantId/ledger',
      '/api/v1/tenants/:tenantId/calls',
      '/api/v1/tenants/:tenantId/calls/:callId',
      '/api/v1/tenants/:tenantId/calls/active',
      '/api/v1/tenants/:tenantId/calls/active/:liveCallId',
    ]) {
      assert.ok(urls.has(url), `missing ${url}`);
    }
    assert.ok(tenantRoutes.length >= 15, `only ${tenantRoutes.length} tenant routes`);
  });

  for (const principal of ['token', 'session'] as const) {
    it(`answers 404 on every tenant route called with another tenant's id (${principal} of tenant A)`, async () => {
      const auth = principal === 'token' ? { token: a.token } : await login(h, a.adminEmail, a.adminPassword);
      for (const route of tenantRoutes) {
        const foreign = await call<ErrorJson>(h.app, route.method, fill(route, (p) => sample(p, b)), { ...auth, body: bodyFor(route.method) });
        const nowhere = await call<ErrorJson>(h.app, route.method, fill(route, (p) => MISSING[p] ?? ''), { ...auth, body: bodyFor(route.method) });
        assert.equal(foreign.status, 404, `${route.method} ${route.url}: ${foreign.raw}`);
        assert.equal(foreign.body.error.code, 'TENANT_NOT_FOUND', `${route.method} ${route.url}`);
        assert.deepEqual(foreign.body, nowhere.body, `${route.method} ${route.url}: a foreign tenant must look like a missing one`);
        const byDomain = fill(route, (p) => (p === 'tenantId' ? b.sipDomain : sample(p, b)));
        const foreignByDomain = await call<ErrorJson>(h.app, route.method, byDomain, { ...auth, body: bodyFor(route.method) });
        assert.deepEqual(foreignByDomain.body, nowhere.body, `${route.method} ${byDomain}: a foreign SIP domain must look like a missing tenant`);
      }
    });
  }

  it("answers 404 on every route of its own tenant that names another tenant's object", async () => {
    let swept = 0;
    for (const route of tenantRoutes) {
      const objectParams = routeParams(route.url).filter((p) => p !== 'tenantId');
      if (objectParams.length === 0) continue;
      for (const param of objectParams) {
        const url = fill(route, (p) => (p === 'tenantId' ? a.id : p === param ? sample(p, b) : sample(p, a)));
        const missingUrl = fill(route, (p) => (p === 'tenantId' ? a.id : p === param ? (MISSING[p] ?? '') : sample(p, a)));
        const foreign = await call<ErrorJson>(h.app, route.method, url, { token: h.operatorToken, body: bodyFor(route.method) });
        const nowhere = await call<ErrorJson>(h.app, route.method, missingUrl, { token: h.operatorToken, body: bodyFor(route.method) });
        assert.equal(foreign.status, 404, `${route.method} ${url}: ${foreign.raw}`);
        assert.match(foreign.body.error.code, /_NOT_FOUND$/, `${route.method} ${route.url}`);
        assert.deepEqual(foreign.body, nowhere.body, `${route.method} ${route.url}: a foreign object must look like a missing one`);
        const asTenant = await call<ErrorJson>(h.app, route.method, url, { token: a.token, body: bodyFor(route.method) });
        assert.equal(asTenant.status, 404, `${route.method} ${url} as tenant A: ${asTenant.raw}`);
        swept++;
      }
    }
    assert.ok(swept >= 7, `only ${swept} object routes swept`);
  });

  it("leaves tenant B's objects untouched after the sweep", async () => {
    const extension = await call(h.app, 'GET', `/api/v1/tenants/${b.id}/extensions/${b.extensionId}`, { token: b.token });
    assert.equal(extension.status, 200);
    assert.equal(extension.body.name, 'Jan beta');
    const number = await call(h.app, 'GET', `/api/v1/tenants/${b.id}/numbers/${encodeURIComponent(b.e164)}`, { token: b.token });
    assert.equal(number.status, 200);
    const quote = await call(h.app, 'GET', `/api/v1/tenants/${b.id}/quotes/${b.quoteId}`, { token: b.token });
    assert.equal(quote.status, 200);
    const record = await call(h.app, 'GET', `/api/v1/tenants/${b.id}/calls/${callRecordIds.get(b.id) ?? ''}`, { token: b.token });
    assert.equal(record.status, 200);
    const active = await call<{ items: LiveCallRecord[] }>(h.app, 'GET', `/api/v1/tenants/${b.id}/calls/active`, { token: b.token });
    assert.deepEqual(
      active.body.items.map((c) => c.id),
      [liveCalls.get(b.id)?.id],
    );
  });

  it("lists only the caller's own extensions", async () => {
    const list = await call<{ items: Array<{ tenantId: string }> }>(h.app, 'GET', `/api/v1/tenants/${a.id}/extensions`, { token: a.token });
    assert.equal(list.status, 200);
    assert.ok(list.body.items.length > 0);
    assert.ok(list.body.items.every((e) => e.tenantId === a.id));
  });

  it("answers a quote for another tenant's extension with 404", async () => {
    const result = await call<ErrorJson>(h.app, 'POST', `/api/v1/tenants/${a.id}/quotes`, {
      token: a.token,
      body: { kind: 'update', extensionId: b.extensionId, changes: { name: 'stolen' } },
    });
    assert.equal(result.status, 404);
    assert.equal(result.body.error.code, 'EXTENSION_NOT_FOUND');
  });
});
