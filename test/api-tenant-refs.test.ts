// The API takes what the CLI takes: a tenant's SIP domain wherever it takes a tenant id, an extension number
// wherever it takes an extension id (inside that tenant only), and the extension list filters by number.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { routeParams, type ApiRoute } from '../src/api/index.js';
import { forEachDatabase } from './support/databases.js';
import { call, createApiHarness, expectStatus, seedTenant, type ApiHarness, type ErrorJson, type SeededTenant } from './api-harness.js';

function fill(route: ApiRoute, value: (param: string) => string): string {
  return route.url.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => value(name));
}

forEachDatabase('tenant and extension references over HTTP', (suite) => {
  let h: ApiHarness;
  let a: SeededTenant;
  let b: SeededTenant;
  let bOnlyNumber: string;

  before(async () => {
    h = await createApiHarness(suite.db);
    a = await seedTenant(h, 'alpha', '+48221110001');
    b = await seedTenant(h, 'beta', '+48221110002');
    const quote = await expectStatus(
      201,
      call(h.app, 'POST', `/api/v1/tenants/${b.id}/quotes`, { token: b.token, body: { kind: 'create', extension: { number: '555', name: 'Only in B' } } }),
    );
    await expectStatus(201, call(h.app, 'POST', `/api/v1/tenants/${b.id}/extensions`, { token: b.token, body: { number: '555', name: 'Only in B', quoteId: quote.id } }));
    bOnlyNumber = '555';
  });
  after(async () => {
    await h.close();
  });

  it('answers every GET route under a tenant the same for its SIP domain as for its id', async () => {
    const samples: Record<string, (byName: boolean) => string> = {
      tenantId: (byName) => (byName ? a.sipDomain : a.id),
      extensionId: (byName) => (byName ? a.extensionNumber : a.extensionId),
      number: () => encodeURIComponent(a.e164),
      quoteId: () => a.quoteId,
    };
    const routes = h.app.apiRoutes.filter((r) => r.method === 'GET' && routeParams(r.url).includes('tenantId'));
    let swept = 0;
    for (const route of routes) {
      if (!routeParams(route.url).every((p) => samples[p] !== undefined)) continue;
      const byId = await call(h.app, 'GET', fill(route, (p) => samples[p]?.(false) ?? ''), { token: a.token });
      const byName = await call(h.app, 'GET', fill(route, (p) => samples[p]?.(true) ?? ''), { token: a.token });
      assert.equal(byId.status, 200, `${route.url}: ${byId.raw}`);
      assert.equal(byName.status, 200, `${route.url} by SIP domain / number: ${byName.raw}`);
      assert.deepEqual(byName.body, byId.body, route.url);
      swept++;
    }
    assert.ok(swept >= 8, `only ${swept} routes swept`);
  });

  it('takes the SIP domain in any letter case, with or without the trailing dot', async () => {
    for (const ref of ['ALPHA.pbx.Example', 'alpha.pbx.example.']) {
      const tenant = await call(h.app, 'GET', `/api/v1/tenants/${ref}`, { token: h.operatorToken });
      assert.equal(tenant.status, 200, tenant.raw);
      assert.equal(tenant.body.id, a.id);
    }
  });

  it('changes, lists devices of and quotes an extension named by its number', async () => {
    const changed = await call<{ extension: { id: string; name: string } }>(h.app, 'PATCH', `/api/v1/tenants/${a.sipDomain}/extensions/${a.extensionNumber}`, {
      token: a.token,
      body: { name: 'Renamed by number' },
    });
    assert.equal(changed.status, 200, changed.raw);
    assert.equal(changed.body.extension.id, a.extensionId);
    const stored = await expectStatus(200, call(h.app, 'GET', `/api/v1/tenants/${a.id}/extensions/${a.extensionId}`, { token: a.token }));
    assert.equal(stored.name, 'Renamed by number');
    const devices = await call(h.app, 'GET', `/api/v1/tenants/${a.sipDomain}/extensions/${a.extensionNumber}/devices`, { token: a.token });
    assert.equal(devices.status, 200, devices.raw);
    const quote = await call(h.app, 'POST', `/api/v1/tenants/${a.sipDomain}/quotes`, {
      token: a.token,
      body: { kind: 'update', extensionId: a.extensionNumber, changes: { name: 'Again' } },
    });
    assert.equal(quote.status, 201, quote.raw);
    assert.equal(quote.body.extensionId, a.extensionId);
    assert.equal(quote.body.tenantId, a.id);
  });

  it('treats one create sent by id and by SIP domain with the same Idempotency-Key as one request', async () => {
    const headers = { 'idempotency-key': 'refs-same-request' };
    const body = { kind: 'create', extension: { number: '130', name: 'Once' } };
    const first = await call(h.app, 'POST', `/api/v1/tenants/${a.id}/quotes`, { token: a.token, body, headers });
    const again = await call(h.app, 'POST', `/api/v1/tenants/${a.sipDomain}/quotes`, { token: a.token, body, headers });
    assert.equal(first.status, 201, first.raw);
    assert.equal(again.status, 201, again.raw);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.body.id, first.body.id);
  });

  it('filters the extension list by number', async () => {
    const one = await call<{ items: Array<{ id: string }>; nextCursor: string | null }>(h.app, 'GET', `/api/v1/tenants/${a.sipDomain}/extensions?number=101`, {
      token: a.token,
    });
    assert.equal(one.status, 200, one.raw);
    assert.deepEqual(one.body, { items: [one.body.items[0]], nextCursor: null });
    assert.equal(one.body.items[0]?.id, a.extensionId);
    const none = await call(h.app, 'GET', `/api/v1/tenants/${a.id}/extensions?number=${bOnlyNumber}`, { token: a.token });
    assert.deepEqual(none.body, { items: [], nextCursor: null });
  });

  it("answers a tenant admin naming another tenant's SIP domain exactly as an unknown tenant", async () => {
    for (const path of ['', '/extensions', '/extensions/101']) {
      const foreign = await call<ErrorJson>(h.app, 'GET', `/api/v1/tenants/${b.sipDomain}${path}`, { token: a.token });
      const nowhere = await call<ErrorJson>(h.app, 'GET', `/api/v1/tenants/nowhere.pbx.example${path}`, { token: a.token });
      assert.equal(foreign.status, 404, foreign.raw);
      assert.equal(foreign.body.error.code, 'TENANT_NOT_FOUND');
      assert.deepEqual(foreign.body, nowhere.body);
    }
  });

  it('resolves an extension number only inside the tenant of the path', async () => {
    const foreign = await call<ErrorJson>(h.app, 'GET', `/api/v1/tenants/${a.sipDomain}/extensions/${bOnlyNumber}`, { token: h.operatorToken });
    const nowhere = await call<ErrorJson>(h.app, 'GET', `/api/v1/tenants/${a.sipDomain}/extensions/5999`, { token: h.operatorToken });
    assert.equal(foreign.status, 404, foreign.raw);
    assert.equal(foreign.body.error.code, 'EXTENSION_NOT_FOUND');
    assert.deepEqual(foreign.body, nowhere.body);
    const quote = await call<ErrorJson>(h.app, 'POST', `/api/v1/tenants/${a.id}/quotes`, {
      token: a.token,
      body: { kind: 'update', extensionId: bOnlyNumber, changes: { name: 'stolen' } },
    });
    assert.equal(quote.status, 404, quote.raw);
    assert.equal(quote.body.error.code, 'EXTENSION_NOT_FOUND');
  });

  it('refuses a SIP domain shaped like a tenant id, so an id and a domain can never collide', async () => {
    const result = await call<ErrorJson>(h.app, 'POST', '/api/v1/tenants', {
      token: h.operatorToken,
      body: { name: 'Look-alike', sipDomain: b.id },
    });
    assert.equal(result.status, 400, result.raw);
    assert.equal(result.body.error.code, 'SIP_DOMAIN_INVALID');
  });
});
