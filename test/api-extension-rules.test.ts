// The extension field-rules table (SPEC section 2, shared with the domain and service tests) through HTTP: every
// accepted case is stored as the table says, every refused case answers with its code and field, on create, on
// the quote of a create, and on change.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDatabase } from './support/databases.js';
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
} from './support/extension-rules-table.js';
import { call, createApiHarness, type ApiHarness, type CallResult, type ErrorJson, type JsonObject } from './api-harness.js';

interface WriteJson {
  extension: JsonObject & { id: string };
  password: string | null;
}

function check(title: string, result: CallResult<JsonObject>, expect: RuleExpectation, okStatus: number): void {
  if (expect.ok) {
    assert.equal(result.status, okStatus, `${title}: ${result.raw}`);
    if (expect.stored) {
      const extension = (result.body as unknown as WriteJson).extension;
      assert.deepEqual(valueAtPath(extension, expect.stored.path), expect.stored.value, `${title}: ${expect.stored.path}`);
    }
    return;
  }
  const error = (result.body as unknown as ErrorJson).error;
  assert.equal(result.status >= 400 && result.status < 500, true, `${title}: ${result.raw}`);
  assert.equal(error.code, expect.code, `${title}: ${result.raw}`);
  assert.equal(error.field, expect.field, `${title}: ${result.raw}`);
  assert.equal(typeof error.messages.pl, 'string');
  assert.equal(typeof error.messages.en, 'string');
}

forEachDatabase('extension field rules over HTTP', (suite) => {
  let h: ApiHarness;
  let base: string;
  let op: { token: string };

  before(async () => {
    h = await createApiHarness(suite.db);
    op = { token: h.operatorToken };
    const tenant = await setUpRulesFixture(h.services);
    base = `/api/v1/tenants/${tenant.id}/extensions`;
  });
  after(async () => {
    await h.close();
  });

  for (const c of EXTENSION_RULE_CASES) {
    it(`POST …/extensions: ${c.title}`, async () => {
      const result = await call(h.app, 'POST', base, { ...op, body: caseInput(c) });
      check(c.title, result, expectedToday(c), 201);
      if (result.status === 201) {
        const id = (result.body as unknown as WriteJson).extension.id;
        assert.equal((await call(h.app, 'DELETE', `${base}/${id}`, op)).status, 204);
      }
    });
  }

  for (const c of EXTENSION_RULE_CASES) {
    if (expectedToday(c).ok) continue;
    it(`POST …/quotes answers the same: ${c.title}`, async () => {
      const quotes = base.replace(/extensions$/, 'quotes');
      const result = await call(h.app, 'POST', quotes, { ...op, body: { kind: 'create', extension: caseInput(c) } });
      check(`quote: ${c.title}`, result, expectedToday(c), 201);
    });
  }

  for (const c of EXTENSION_PATCH_CASES.filter(patchCaseRunsToday)) {
    it(`PATCH …/extensions/:extensionId: ${c.title}`, async () => {
      const created = await call<WriteJson>(h.app, 'POST', base, { ...op, body: { ...RULES_BASE_INPUT, ...c.create } });
      assert.equal(created.status, 201, `${c.title} (set-up): ${created.raw}`);
      const url = `${base}/${created.body.extension.id}`;
      const result = await call(h.app, 'PATCH', url, { ...op, body: c.patch });
      check(c.title, result, expectedToday(c), 200);
      assert.equal((await call(h.app, 'DELETE', url, op)).status, 204);
    });
  }
});
