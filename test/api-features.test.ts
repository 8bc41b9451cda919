// Features that are not built yet cannot be turned on or sold: creating, changing and quoting an extension and
// setting the price list answer 400 FEATURE_NOT_AVAILABLE naming the feature and the field.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { EXTENSION_DEFAULTS, UNAVAILABLE_FEATURES, type Feature } from '../src/domain/index.js';
import { forEachDatabase } from './support/databases.js';
import { call, createApiHarness, expectStatus, type ApiHarness, type ErrorJson } from './api-harness.js';

/** A setting that turns a feature on, and the field the refusal names. */
const SWITCHES: Array<[Feature, string, Record<string, unknown>]> = [
  ['voicemail', 'voicemail.enabled', { voicemail: { enabled: true, pin: '2468' } }],
  ['voicemail', 'forwarding.busy', { forwarding: { busy: { kind: 'voicemail' } } }],
  ['monitoring', 'advanced.monitoring', { advanced: { monitoring: true } }],
  ['fax', 'advanced.fax', { advanced: { fax: true } }],
  ['encryption', 'advanced.encryption', { advanced: { encryption: true } }],
  ['sms', 'general.smsSender', { general: { smsSender: 'ACME' } }],
  ['externalCalls', 'general.callerId', { general: { callerId: { kind: 'hidden' } } }],
  ['externalCalls', 'forwarding.noAnswer', { forwarding: { noAnswer: { kind: 'external', e164: '+48600123456' } } }],
  ['externalCalls', 'forwarding.confirmExternal', { forwarding: { confirmExternal: true } }],
];

function assertRefused(result: { status: number; body: ErrorJson; raw: string }, feature: Feature, field: string): void {
  assert.equal(result.status, 400, result.raw);
  assert.equal(result.body.error.code, 'FEATURE_NOT_AVAILABLE', result.raw);
  assert.equal(result.body.error.field, field);
  assert.equal(result.body.error.details?.feature, feature);
  assert.ok(result.body.error.message.includes(field), result.body.error.message);
}

forEachDatabase('features not built yet over HTTP', (suite) => {
  let h: ApiHarness;
  let op: { token: string };
  let base: string;
  let extensionId: string;

  before(async () => {
    h = await createApiHarness(suite.db);
    op = { token: h.operatorToken };
    const tenant = await expectStatus(201, call(h.app, 'POST', '/api/v1/tenants', { ...op, body: { name: 'Features', sipDomain: 'features.pbx.example' } }));
    base = `/api/v1/tenants/${String(tenant.id)}`;
    await expectStatus(201, call(h.app, 'POST', `${base}/numbers`, { ...op, body: { number: '+48221119999' } }));
    const created = await expectStatus(201, call<{ extension: { id: string } }>(h.app, 'POST', `${base}/extensions`, { ...op, body: { number: '101', name: 'Jan' } }));
    extensionId = created.extension.id;
  });
  after(async () => {
    await h.close();
  });

  it('lists every unbuilt feature of the issue in the one list of the domain', () => {
    assert.deepEqual([...UNAVAILABLE_FEATURES].sort(), ['encryption', 'externalCalls', 'fax', 'monitoring', 'sms', 'voicemail']);
  });

  for (const [feature, field, settings] of SWITCHES) {
    it(`refuses ${field} (${feature}) on create, change and quote, and stores nothing`, async () => {
      assertRefused(await call<ErrorJson>(h.app, 'POST', `${base}/extensions`, { ...op, body: { number: '102', name: 'Ola', ...settings } }), feature, field);
      assertRefused(await call<ErrorJson>(h.app, 'PATCH', `${base}/extensions/${extensionId}`, { ...op, body: settings }), feature, field);
      const createQuote = { kind: 'create', extension: { number: '102', name: 'Ola', ...settings } };
      assertRefused(await call<ErrorJson>(h.app, 'POST', `${base}/quotes`, { ...op, body: createQuote }), feature, field);
      const updateQuote = { kind: 'update', extensionId, changes: settings };
      assertRefused(await call<ErrorJson>(h.app, 'POST', `${base}/quotes`, { ...op, body: updateQuote }), feature, field);
      const list = await expectStatus(200, call<{ items: Array<{ number: string }> }>(h.app, 'GET', `${base}/extensions`, op));
      assert.deepEqual(list.items.map((e) => e.number), ['101']);
    });
  }

  it('says in the OpenAPI description of each switch that it is not available yet', async () => {
    const doc = await expectStatus(200, call(h.app, 'GET', '/api/openapi.json'));
    const text = JSON.stringify(doc);
    for (const feature of UNAVAILABLE_FEATURES) assert.match(text, new RegExp(`Not available yet \\([^)]*${feature}[^)]*\\): turning it on is refused with FEATURE_NOT_AVAILABLE`));
  });

  it('accepts every setting given explicitly at its default', async () => {
    const created = await call(h.app, 'POST', `${base}/extensions`, { ...op, body: { number: '103', name: 'Defaults', ...EXTENSION_DEFAULTS } });
    assert.equal(created.status, 201, created.raw);
    const changed = await call(h.app, 'PATCH', `${base}/extensions/${extensionId}`, { ...op, body: EXTENSION_DEFAULTS });
    assert.equal(changed.status, 200, changed.raw);
  });

  it('refuses a price for an option that is not built, and accepts 0 for it', async () => {
    const prices = { currency: 'PLN', extensionMonthlyMinor: 100, activationMinor: 0, optionMonthlyMinor: { voicemail: 0, monitoring: 0, fax: 0, encryption: 0 } };
    for (const option of ['voicemail', 'monitoring', 'fax', 'encryption'] as const) {
      const body = { ...prices, optionMonthlyMinor: { ...prices.optionMonthlyMinor, [option]: 500 } };
      assertRefused(await call<ErrorJson>(h.app, 'PUT', '/api/v1/price-list', { ...op, body }), option, `optionMonthlyMinor.${option}`);
    }
    assert.equal((await call(h.app, 'PUT', '/api/v1/price-list', { ...op, body: prices })).status, 200);
  });
});
