// What an error names: an unknown member, a missing one, a wrong type and malformed JSON each get their own
// message with the dotted path (or line and column), never a rule about something the client did not send.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDatabase } from './support/databases.js';
import { call, createApiHarness, expectStatus, type ApiHarness, type ErrorJson } from './api-harness.js';

/** One row: what is sent where, and the code, field and English message expected back (all 400). */
interface MessageCase {
  readonly what: string;
  readonly method?: string;
  readonly path: string;
  readonly body?: unknown;
  readonly raw?: string;
  readonly code: string;
  readonly field: string | undefined;
  readonly message: string;
  /** Further problems of the same input that details.issues must list, as `field: message`. */
  readonly alsoListed?: readonly string[];
  readonly details?: Record<string, unknown>;
}

const jan = { number: '201', name: 'Jan' };

const CASES: readonly MessageCase[] = [
  {
    what: 'an external target given `number` instead of `e164`',
    path: 'extensions',
    body: { ...jan, forwarding: { noAnswer: { kind: 'external', number: '+48600123456' } } },
    code: 'VALUE_INVALID',
    field: 'forwarding.noAnswer.number',
    message: 'forwarding.noAnswer.number: unknown field',
    alsoListed: ['forwarding.noAnswer.e164: is required'],
  },
  {
    what: 'an extension target given `num` instead of `number`',
    path: 'extensions',
    body: { ...jan, forwarding: { noAnswer: { kind: 'extension', num: '101' } } },
    code: 'VALUE_INVALID',
    field: 'forwarding.noAnswer.num',
    message: 'forwarding.noAnswer.num: unknown field',
    alsoListed: ['forwarding.noAnswer.number: is required'],
  },
  {
    what: 'an external target whose e164 is no number',
    path: 'extensions',
    body: { ...jan, forwarding: { busy: { kind: 'external', e164: 'abc' } } },
    code: 'PHONE_NUMBER_INVALID',
    field: 'forwarding.busy.e164',
    message: 'forwarding.busy.e164: not a valid phone number.',
  },
  {
    what: 'a forward target of an unknown kind',
    path: 'extensions',
    body: { ...jan, forwarding: { busy: { kind: 'mobile' } } },
    code: 'FORWARD_TARGET_INVALID',
    field: 'forwarding.busy.kind',
    message: 'forwarding.busy.kind: must be none, extension, voicemail or external.',
  },
  {
    what: 'a ring time sent as text',
    path: 'extensions',
    body: { ...jan, general: { ringTimeSeconds: '20' } },
    code: 'VALUE_INVALID',
    field: 'general.ringTimeSeconds',
    message: 'general.ringTimeSeconds: must be a number, got a string',
  },
  {
    what: 'a ring time out of range',
    path: 'extensions',
    body: { ...jan, general: { ringTimeSeconds: 2 } },
    code: 'RING_TIME_INVALID',
    field: 'general.ringTimeSeconds',
    message: 'Ring time must be 5–300 seconds.',
  },
  {
    what: 'call waiting sent as text',
    path: 'extensions',
    body: { ...jan, general: { callWaiting: 'yes' } },
    code: 'VALUE_INVALID',
    field: 'general.callWaiting',
    message: 'general.callWaiting: must be true or false, got a string',
  },
  {
    what: 'a section sent as text',
    path: 'extensions',
    body: { ...jan, advanced: 'all' },
    code: 'VALUE_INVALID',
    field: 'advanced',
    message: 'advanced: must be an object, got a string',
  },
  {
    what: 'an extension without a name',
    path: 'extensions',
    body: { number: '201' },
    code: 'VALUE_INVALID',
    field: 'name',
    message: 'name: is required',
  },
  {
    what: 'an extension number sent as a JSON number',
    path: 'extensions',
    body: { ...jan, number: 201 },
    code: 'VALUE_INVALID',
    field: 'number',
    message: 'number: must be a string, got a number',
  },
  {
    what: 'an unknown top-level field',
    path: 'extensions',
    body: { ...jan, colour: 'red' },
    code: 'VALIDATION_ERROR',
    field: 'colour',
    message: 'colour: unknown field',
  },
  {
    what: 'an unknown field inside a section',
    path: 'extensions',
    body: { ...jan, general: { ringTime: 20 } },
    code: 'VALIDATION_ERROR',
    field: 'general.ringTime',
    message: 'general.ringTime: unknown field',
  },
  {
    what: 'an update quote without its changes',
    path: 'quotes',
    body: { kind: 'update', extensionId: '101' },
    code: 'VALIDATION_ERROR',
    field: 'changes',
    message: 'changes: is required',
  },
  {
    what: 'a tenant name sent as a number',
    method: 'POST',
    path: '/api/v1/tenants',
    body: { name: 42, sipDomain: 'typed.pbx.example' },
    code: 'VALUE_INVALID',
    field: 'name',
    message: 'name: must be a string, got a number',
  },
  {
    what: 'a tenant without a SIP domain',
    method: 'POST',
    path: '/api/v1/tenants',
    body: { name: 'No domain' },
    code: 'VALUE_INVALID',
    field: 'sipDomain',
    message: 'sipDomain: is required',
  },
  {
    what: 'a rate amount sent as text',
    method: 'POST',
    path: '/api/v1/tenants',
    body: { name: 'Rates', sipDomain: 'rates.pbx.example', defaultMaxRate: { amountMinor: '100', currency: 'PLN' } },
    code: 'VALUE_INVALID',
    field: 'defaultMaxRate.amountMinor',
    message: 'defaultMaxRate.amountMinor: must be a number, got a string',
  },
  {
    what: 'a quote kind sent as a number (checked by the schema alone)',
    path: 'quotes',
    body: { kind: 1 },
    code: 'VALIDATION_ERROR',
    field: 'kind',
    message: 'kind: must be a string, got a number',
  },
  {
    what: 'a quote kind that does not exist',
    path: 'quotes',
    body: { kind: 'delete' },
    code: 'VALIDATION_ERROR',
    field: 'kind',
    message: 'kind: must be one of "create", "update"',
  },
  {
    what: 'a fee sent as text',
    method: 'PUT',
    path: '/api/v1/price-list',
    body: { currency: 'PLN', extensionMonthlyMinor: '100', activationMinor: 0, optionMonthlyMinor: { voicemail: 0, monitoring: 0, fax: 0, encryption: 0 } },
    code: 'VALUE_INVALID',
    field: 'extensionMonthlyMinor',
    message: 'extensionMonthlyMinor: must be a number, got a string',
  },
  {
    what: 'malformed JSON (a value missing on the third line)',
    method: 'POST',
    path: '/api/v1/tenants',
    raw: '{\n  "name": "Broken",\n  "sipDomain": }',
    code: 'BAD_REQUEST',
    field: undefined,
    message: 'The request body is not valid JSON: unexpected "}" at line 3, column 16.',
    details: { line: 3, column: 16 },
  },
  {
    what: 'malformed JSON (cut off)',
    path: 'extensions',
    raw: '{"number": "201", "name": "Jan"',
    code: 'BAD_REQUEST',
    field: undefined,
    message: 'The request body is not valid JSON: unexpected end of input at line 1, column 32.',
    details: { line: 1, column: 32 },
  },
  {
    what: 'an empty body sent as JSON',
    path: 'extensions',
    raw: '',
    code: 'BAD_REQUEST',
    field: undefined,
    message: 'The request body is empty but its Content-Type is JSON: send a JSON document or leave the header out.',
  },
];

forEachDatabase('error messages over HTTP', (suite) => {
  let h: ApiHarness;
  let tenantPath: string;

  before(async () => {
    h = await createApiHarness(suite.db);
    const tenant = await expectStatus(201, call(h.app, 'POST', '/api/v1/tenants', { token: h.operatorToken, body: { name: 'Messages', sipDomain: 'messages.pbx.example' } }));
    tenantPath = `/api/v1/tenants/${String(tenant.id)}`;
    await expectStatus(201, call(h.app, 'POST', `${tenantPath}/extensions`, { token: h.operatorToken, body: { number: '101', name: 'Ala' } }));
  });
  after(async () => {
    await h.close();
  });

  for (const c of CASES) {
    it(`names what is wrong with ${c.what}: ${c.message}`, async () => {
      const url = c.path.startsWith('/') ? c.path : `${tenantPath}/${c.path}`;
      const result = await call<ErrorJson>(h.app, c.method ?? 'POST', url, {
        token: h.operatorToken,
        ...(c.raw !== undefined ? { body: c.raw, headers: { 'content-type': 'application/json' } } : { body: c.body }),
      });
      assert.equal(result.status, 400, result.raw);
      assert.equal(result.body.error.code, c.code, result.raw);
      assert.equal(result.body.error.field, c.field, result.raw);
      assert.equal(result.body.error.message, c.message);
      assert.ok(result.body.error.messages.pl.length > 0 && result.body.error.messages.pl !== c.message);
      if (c.details) assert.deepEqual(result.body.error.details, c.details);
      const listed = ((result.body.error.details?.issues ?? []) as Array<{ messages: { en: string } }>).map((i) => i.messages.en);
      for (const also of c.alsoListed ?? []) assert.ok(listed.includes(also), `${also} in ${JSON.stringify(listed)}`);
    });
  }
});
