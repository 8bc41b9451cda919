// Idempotency keys on creates (SPEC 3): a retried create with the same Idempotency-Key replays the first response
// and creates nothing; a different request with the key is refused; failures release the key; keys are per
// caller and forgotten after 24 hours; secrets shown once are not replayed.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDatabase } from './support/databases.js';
import { call, createApiHarness, expectStatus, type ApiHarness, type ErrorJson, type JsonObject } from './api-harness.js';

interface WriteJson {
  extension: { id: string; number: string };
  password: string | null;
  charges: Array<{ quoteId: string }>;
}

forEachDatabase('Idempotency-Key on creates', (suite) => {
  let h: ApiHarness;
  let op: { token: string };
  let tenantId: string;

  before(async () => {
    h = await createApiHarness(suite.db);
    op = { token: h.operatorToken };
    const tenant = await expectStatus(201, call(h.app, 'POST', '/api/v1/tenants', { ...op, body: { name: 'Idem', sipDomain: 'idem.pbx.example' } }));
    tenantId = String(tenant.id);
  });
  after(async () => {
    await h.close();
  });

  const key = (name: string): Record<string, string> => ({ 'idempotency-key': `${name}-${suite.dialect}` });

  it('a retried tenant create answers the first response again and creates one tenant', async () => {
    const request = { ...op, body: { name: 'Once', sipDomain: 'once.pbx.example' }, headers: key('tenant-once') };
    const first = await call(h.app, 'POST', '/api/v1/tenants', request);
    const again = await call(h.app, 'POST', '/api/v1/tenants', request);
    assert.equal(first.status, 201, first.raw);
    assert.equal(first.headers['idempotent-replayed'], undefined);
    assert.equal(again.status, 201, again.raw);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.deepEqual(again.body, first.body);
    const all = await expectStatus(200, call<{ items: JsonObject[] }>(h.app, 'GET', '/api/v1/tenants?limit=100', op));
    assert.equal(all.items.filter((t) => t.sipDomain === 'once.pbx.example').length, 1);
  });

  it('a retried extension create replays the extension with the password withheld, and charges once', async () => {
    const extension = { number: '201', name: 'Ola' };
    const quote = await expectStatus(201, call(h.app, 'POST', `/api/v1/tenants/${tenantId}/quotes`, { ...op, body: { kind: 'create', extension } }));
    const request = { ...op, body: { ...extension, quoteId: quote.id }, headers: key('ext-201') };
    const first = await call<WriteJson>(h.app, 'POST', `/api/v1/tenants/${tenantId}/extensions`, request);
    const again = await call<WriteJson>(h.app, 'POST', `/api/v1/tenants/${tenantId}/extensions`, request);
    assert.equal(first.status, 201, first.raw);
    assert.equal(typeof first.body.password, 'string');
    assert.equal(again.status, 201, again.raw);
    assert.equal(again.body.extension.id, first.body.extension.id);
    assert.equal(again.body.password, null, 'the SIP password is shown once, never replayed');
    assert.deepEqual(again.body.charges, first.body.charges);
    const ledger = await expectStatus(200, call<{ items: Array<{ quoteId: string }> }>(h.app, 'GET', `/api/v1/tenants/${tenantId}/ledger?limit=100`, op));
    assert.equal(ledger.items.filter((e) => e.quoteId === quote.id).length, first.body.charges.length);
    const stored = await h.services.idempotency.begin('operator', `ext-201-${suite.dialect}`, { method: 'POST', path: '/elsewhere', body: null });
    assert.equal(stored.kind, 'mismatch');
    // The store keeps no password: not in the response it replays, not in the request fingerprint.
    const row = await suite.db.kysely.selectFrom('idempotency_keys').selectAll().where('key', '=', `ext-201-${suite.dialect}`).executeTakeFirstOrThrow();
    assert.ok(!row.body?.includes(first.body.password ?? '?'), 'no password in the stored response');
  });

  it('a retried token create replays the token record with the token itself null', async () => {
    const request = { ...op, body: { label: 'ci' }, headers: key('token-ci') };
    const first = await call<JsonObject>(h.app, 'POST', `/api/v1/tenants/${tenantId}/tokens`, request);
    const again = await call<JsonObject>(h.app, 'POST', `/api/v1/tenants/${tenantId}/tokens`, request);
    assert.equal(first.status, 201, first.raw);
    assert.match(String(first.body.token), /^c/);
    assert.deepEqual(again.body, { ...first.body, token: null });
  });

  it('the same key with another body or another path is refused with 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const headers = key('reused');
    await expectStatus(201, call(h.app, 'POST', '/api/v1/tokens', { ...op, body: { label: 'a' }, headers }));
    const otherBody = await call<ErrorJson>(h.app, 'POST', '/api/v1/tokens', { ...op, body: { label: 'b' }, headers });
    assert.equal(otherBody.status, 422);
    assert.equal(otherBody.body.error.code, 'IDEMPOTENCY_KEY_REUSED');
    const otherPath = await call<ErrorJson>(h.app, 'POST', `/api/v1/tenants/${tenantId}/tokens`, { ...op, body: { label: 'a' }, headers });
    assert.equal(otherPath.status, 422);
    assert.equal(otherPath.body.error.code, 'IDEMPOTENCY_KEY_REUSED');
  });

  it('a failed create releases its key: the corrected retry with the same key creates', async () => {
    const headers = key('fix-and-retry');
    const bad = await call<ErrorJson>(h.app, 'POST', `/api/v1/tenants/${tenantId}/numbers`, { ...op, body: { number: '12' }, headers });
    assert.equal(bad.status, 400, bad.raw);
    const good = await call(h.app, 'POST', `/api/v1/tenants/${tenantId}/numbers`, { ...op, body: { number: '+48221234567' }, headers });
    assert.equal(good.status, 201, good.raw);
    assert.equal(good.headers['idempotent-replayed'], undefined);
  });

  it('keys are per caller: a tenant token and the operator may use the same key for their own creates', async () => {
    const tenantToken = String(
      (await expectStatus(201, call(h.app, 'POST', `/api/v1/tenants/${tenantId}/tokens`, { ...op, body: { label: 'tenant' } }))).token,
    );
    const headers = key('shared-key');
    const extension = { number: '202', name: 'Piotr' };
    const asTenant = { token: tenantToken };
    const quote = await expectStatus(201, call(h.app, 'POST', `/api/v1/tenants/${tenantId}/quotes`, { ...asTenant, body: { kind: 'create', extension }, headers }));
    const byOperator = await call(h.app, 'POST', `/api/v1/tenants/${tenantId}/quotes`, { ...op, body: { kind: 'create', extension }, headers });
    assert.equal(byOperator.status, 201, byOperator.raw);
    assert.equal(byOperator.headers['idempotent-replayed'], undefined);
    assert.notEqual(byOperator.body.id, quote.id);
  });

  it('a key whose first request still runs gets 409 IDEMPOTENCY_KEY_IN_PROGRESS with Retry-After', async () => {
    const body = { label: 'slow' };
    const running = await h.services.idempotency.begin('operator', `running-${suite.dialect}`, { method: 'POST', path: '/api/v1/tokens', body });
    assert.equal(running.kind, 'new');
    const retry = await call<ErrorJson>(h.app, 'POST', '/api/v1/tokens', { ...op, body, headers: key('running') });
    assert.equal(retry.status, 409);
    assert.equal(retry.body.error.code, 'IDEMPOTENCY_KEY_IN_PROGRESS');
    assert.equal(retry.headers['retry-after'], '1');
    // A first request that never finished (its process died) stops holding the key after a minute.
    h.clock.advance(61_000);
    const later = await call(h.app, 'POST', '/api/v1/tokens', { ...op, body, headers: key('running') });
    assert.equal(later.status, 201, later.raw);
  });

  it('a key is forgotten after 24 hours: the same request then creates again', async () => {
    const request = { ...op, body: { label: 'daily' }, headers: key('daily') };
    const first = await expectStatus(201, call(h.app, 'POST', '/api/v1/tokens', request));
    h.clock.advance(24 * 3_600_000 - 1000);
    const replayed = await call(h.app, 'POST', '/api/v1/tokens', request);
    assert.equal(replayed.headers['idempotent-replayed'], 'true');
    h.clock.advance(2000);
    const fresh = await call(h.app, 'POST', '/api/v1/tokens', request);
    assert.equal(fresh.status, 201);
    assert.equal(fresh.headers['idempotent-replayed'], undefined);
    assert.notEqual(fresh.body.id, first.id);
  });

  for (const [what, value] of [
    ['an empty key', ''],
    ['a key of 256 characters', 'k'.repeat(256)],
    ['a key with a space', 'two words'],
    ['a key with a non-ASCII letter', 'zażółć'],
  ] as const) {
    it(`refuses ${what} with 400 IDEMPOTENCY_KEY_INVALID and creates nothing`, async () => {
      const result = await call<ErrorJson>(h.app, 'POST', '/api/v1/tokens', { ...op, body: { label: 'invalid key' }, headers: { 'idempotency-key': value } });
      assert.equal(result.status, 400, result.raw);
      assert.equal(result.body.error.code, 'IDEMPOTENCY_KEY_INVALID');
    });
  }

  it('the OpenAPI document lists the Idempotency-Key header on every create and on nothing else', async () => {
    const doc = await expectStatus(200, call<{ paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }> }>> }>(h.app, 'GET', '/api/openapi.json'));
    const withHeader = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key'))
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    assert.deepEqual(withHeader.sort(), [
      'POST /api/v1/tenants',
      'POST /api/v1/tenants/{tenantId}/admins',
      'POST /api/v1/tenants/{tenantId}/extensions',
      'POST /api/v1/tenants/{tenantId}/numbers',
      'POST /api/v1/tenants/{tenantId}/quotes',
      'POST /api/v1/tenants/{tenantId}/tokens',
      'POST /api/v1/tokens',
    ]);
  });

  it('routes that are not creates ignore the header', async () => {
    const result = await call(h.app, 'GET', `/api/v1/tenants/${tenantId}`, { ...op, headers: { 'idempotency-key': '' } });
    assert.equal(result.status, 200, result.raw);
  });
});
