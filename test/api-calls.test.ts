// The call history over HTTP: GET /tenants/{tenantId}/calls (filters, pagination, field-level errors) and
// GET /tenants/{tenantId}/calls/{callId}, on records written through the store's repository as the call engine does.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CallDetailRecord, ExtensionCallSettings } from '../src/pbx/ports.js';
import type { CallSettingsRecord } from '../src/services/index.js';
import { createCallRecordRepository, type CallRecord } from '../src/store/index.js';
import { callRecord, unansweredCallRecord } from './support/call-record-builder.js';
import { forEachDatabase } from './support/databases.js';
import { call, createApiHarness, login, seedTenant, type ApiHarness, type ErrorJson, type SeededTenant } from './api-harness.js';

// The store's and services' records are the PBX port types in all but name (checked both ways at compile time).
const _cdrToPort: (r: CallRecord) => CallDetailRecord = (r) => r;
const _cdrFromPort: (r: CallDetailRecord) => CallRecord = (r) => r;
const _settingsToPort: (s: CallSettingsRecord) => ExtensionCallSettings = (s) => s;
const _settingsFromPort: (s: ExtensionCallSettings) => CallSettingsRecord = (s) => s;
void [_cdrToPort, _cdrFromPort, _settingsToPort, _settingsFromPort];

interface CallJson {
  id: string;
  tenantId: string;
  callId: string;
  callerNumber: string;
  callee: string;
  answeredBy: string | null;
  disposition: string;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string;
  durationSeconds: number;
  legs: unknown[];
  hops: unknown[];
  [key: string]: unknown;
}
interface PageJson {
  items: CallJson[];
  nextCursor: string | null;
}

const T0 = Date.UTC(2025, 0, 10, 9, 0, 0);
const at = (minutes: number): number => T0 + minutes * 60_000;
const iso = (ms: number): string => new Date(ms).toISOString();

forEachDatabase('call history API', (suite) => {
  let h: ApiHarness;
  let a: SeededTenant;
  let b: SeededTenant;
  let base: string;
  const records: Record<string, CallRecord> = {};

  before(async () => {
    h = await createApiHarness(suite.db);
    a = await seedTenant(h, 'calls-a', '+48221110101');
    b = await seedTenant(h, 'calls-b', '+48221110102');
    base = `/api/v1/tenants/${a.id}/calls`;
    const repo = createCallRecordRepository(suite.db);
    Object.assign(records, {
      plain: callRecord(a.id, { startedAt: at(0), callerNumber: '101', callee: '102', answeredBy: '102', callerExtensionId: a.extensionId }),
      noAnswer: unansweredCallRecord(a.id, {
        startedAt: at(10),
        callerNumber: '102',
        callee: '103',
        legs: [{ target: '103', contact: 'sip:103@127.0.0.1:5072', callId: 'leg-na', answered: false, finalStatus: 487 }],
      }),
      forwarded: callRecord(a.id, {
        startedAt: at(20),
        callerNumber: '104',
        callerName: 'Zofia',
        callee: '101',
        calleeExtensionId: a.extensionId,
        answeredBy: '105',
        legs: [
          { target: '101', contact: 'sip:101@127.0.0.1:5071', callId: 'leg-f1', answered: false, finalStatus: 487 },
          { target: '105', contact: 'sip:105@127.0.0.1:5075', callId: 'leg-f2', answered: true, finalStatus: 200 },
        ],
        hops: [{ from: '101', to: '105', reason: 'noAnswer' }],
        answeredAt: at(20) + 31_000,
        endedAt: at(20) + 31_000 + 125_400,
        endedBy: 'callee',
        endReason: 'callee hung up',
      }),
      busy: unansweredCallRecord(a.id, {
        startedAt: at(30),
        callerNumber: '106',
        callee: '107',
        legs: [],
        disposition: 'busy',
        endStatus: 486,
        endReason: '486 Busy Here',
      }),
      cancelled: unansweredCallRecord(a.id, {
        startedAt: at(40),
        callerNumber: '103',
        callee: '108',
        legs: [{ target: '108', contact: 'sip:108@127.0.0.1:5078', callId: 'leg-c', answered: false, finalStatus: 487 }],
        disposition: 'cancelled',
        endedBy: 'caller',
        endStatus: 487,
        endReason: 'caller cancelled',
      }),
      otherTenant: callRecord(b.id, { startedAt: at(25), callerNumber: '101', callee: '102' }),
    });
    for (const record of Object.values(records)) await repo.write(record);
  });
  after(async () => {
    await h.close();
  });

  const list = (query = '', auth: { token?: string; cookie?: string } = { token: a.token }) =>
    call<PageJson>(h.app, 'GET', `${base}${query === '' ? '' : `?${query}`}`, auth);
  const ids = (page: PageJson) => page.items.map((c) => c.id);
  const idsOf = (...names: string[]) => names.map((n) => records[n]?.id);

  it("lists only the tenant's calls, newest first", async () => {
    const result = await list();
    assert.equal(result.status, 200, result.raw);
    assert.deepEqual(ids(result.body), idsOf('cancelled', 'busy', 'forwarded', 'noAnswer', 'plain'));
    assert.equal(result.body.nextCursor, null);
  });

  it('shows a call with ISO times, its duration from answer to end, its legs and its forwarding hops', async () => {
    const forwarded = records.forwarded;
    assert.ok(forwarded);
    const result = await call<CallJson>(h.app, 'GET', `${base}/${forwarded.id}`, { token: a.token });
    assert.equal(result.status, 200, result.raw);
    assert.deepEqual(result.body, {
      id: forwarded.id,
      tenantId: a.id,
      callId: forwarded.callId,
      callerNumber: '104',
      callerName: 'Zofia',
      callerExtensionId: null,
      callee: '101',
      calleeExtensionId: a.extensionId,
      answeredBy: '105',
      disposition: 'answered',
      endedBy: 'callee',
      endStatus: 200,
      endReason: 'callee hung up',
      startedAt: '2025-01-10T09:20:00.000Z',
      answeredAt: '2025-01-10T09:20:31.000Z',
      endedAt: '2025-01-10T09:22:36.400Z',
      durationSeconds: 125,
      legs: forwarded.legs,
      hops: [{ from: '101', to: '105', reason: 'noAnswer' }],
    });
    const listed = (await list()).body.items.find((c) => c.id === forwarded.id);
    assert.deepEqual(listed, result.body);
  });

  it('gives an unanswered call no answer time and a duration of 0', async () => {
    const result = await call<CallJson>(h.app, 'GET', `${base}/${records.busy?.id}`, { token: a.token });
    assert.equal(result.status, 200, result.raw);
    assert.equal(result.body.answeredAt, null);
    assert.equal(result.body.durationSeconds, 0);
    assert.equal(result.body.disposition, 'busy');
  });

  it('answers 404 CALL_NOT_FOUND for an unknown call id', async () => {
    const result = await call<ErrorJson>(h.app, 'GET', `${base}/00000000-0000-4000-8000-00000000abcd`, { token: a.token });
    assert.equal(result.status, 404);
    assert.equal(result.body.error.code, 'CALL_NOT_FOUND');
  });

  describe('filter by extension', () => {
    const cases: Array<[string, string, string[]]> = [
      ['the caller', '106', ['busy']],
      ['the number dialled', '107', ['busy']],
      ['the extension that answered after forwarding', '105', ['forwarded']],
      ['a device leg that was rung but not answered', '108', ['cancelled']],
      ['every role at once (caller, callee, leg target, forwarder)', '101', ['forwarded', 'plain']],
      ['a number in several calls', '103', ['cancelled', 'noAnswer']],
      ['a number no call involved', '999', []],
    ];
    for (const [what, number, expected] of cases) {
      it(`matches ${what} (?extension=${number})`, async () => {
        const result = await list(`extension=${number}`);
        assert.equal(result.status, 200, result.raw);
        assert.deepEqual(ids(result.body), idsOf(...expected));
      });
    }
  });

  describe('filter by time', () => {
    const cases: Array<[string, string, string[]]> = [
      ['from is inclusive', `from=${iso(at(30))}`, ['cancelled', 'busy']],
      ['to is exclusive', `to=${iso(at(10))}`, ['plain']],
      ['from and to together', `from=${iso(at(10))}&to=${iso(at(30))}`, ['forwarded', 'noAnswer']],
      ['an offset in the zone (+ percent-encoded)', `from=${encodeURIComponent('2025-01-10T10:30:00+01:00')}`, ['cancelled', 'busy']],
      ['an unencoded + (read as a space)', 'to=2025-01-10T10:10:00+01:00', ['plain']],
      ['a time filter with the extension filter', `extension=103&from=${iso(at(20))}`, ['cancelled']],
      ['a range before every call', `to=${iso(at(-1))}`, []],
    ];
    for (const [what, query, expected] of cases) {
      it(`${what} (?${query})`, async () => {
        const result = await list(query);
        assert.equal(result.status, 200, result.raw);
        assert.deepEqual(ids(result.body), idsOf(...expected));
      });
    }
  });

  it('pages with limit and nextCursor, keeping the order and the filters, without repeats', async () => {
    const collect = async (filter: string): Promise<{ ids: string[]; pages: number }> => {
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let pages = 1; pages <= 10; pages++) {
        const query: string = [filter, 'limit=2', cursor ? `cursor=${encodeURIComponent(cursor)}` : ''].filter((p) => p !== '').join('&');
        const result = await list(query);
        assert.equal(result.status, 200, result.raw);
        assert.ok(result.body.items.length <= 2);
        seen.push(...ids(result.body));
        cursor = result.body.nextCursor;
        if (cursor === null) return { ids: seen, pages };
      }
      throw new Error('pagination did not end');
    };
    assert.deepEqual(await collect(''), { ids: idsOf('cancelled', 'busy', 'forwarded', 'noAnswer', 'plain'), pages: 3 });
    assert.deepEqual(await collect(`from=${iso(at(10))}`), { ids: idsOf('cancelled', 'busy', 'forwarded', 'noAnswer'), pages: 2 });
    assert.deepEqual(await collect('extension=101'), { ids: idsOf('forwarded', 'plain'), pages: 1 });
  });

  describe('refuses bad filters with the field at fault', () => {
    const badCursor = Buffer.from(JSON.stringify(['yesterday', 'x'])).toString('base64url');
    const cases: Array<[string, string, string, string]> = [
      ['from=not-a-date', 'from=not-a-date', 'DATE_TIME_INVALID', 'from'],
      ['a date without a time', 'from=2025-01-10', 'DATE_TIME_INVALID', 'from'],
      ['a date-time without a zone', 'to=2025-01-10T12:00:00', 'DATE_TIME_INVALID', 'to'],
      ['a day that does not exist', 'to=2025-02-30T00:00:00Z', 'DATE_TIME_INVALID', 'to'],
      ['to not after from', `from=${iso(at(10))}&to=${iso(at(10))}`, 'TIME_RANGE_INVALID', 'to'],
      ['to before from', `from=${iso(at(20))}&to=${iso(at(10))}`, 'TIME_RANGE_INVALID', 'to'],
      ['an extension that is not 2–6 digits', 'extension=abc', 'EXTENSION_NUMBER_INVALID', 'extension'],
      ['a one-digit extension', 'extension=1', 'EXTENSION_NUMBER_INVALID', 'extension'],
      ['the extension given twice', 'extension=101&extension=102', 'EXTENSION_NUMBER_INVALID', 'extension'],
      ['limit 0', 'limit=0', 'PAGE_LIMIT_INVALID', 'limit'],
      ['a limit that is not a number', 'limit=many', 'PAGE_LIMIT_INVALID', 'limit'],
      ['a cursor this server did not issue', 'cursor=garbage', 'CURSOR_INVALID', 'cursor'],
      ['a cursor of the wrong kind of key', `cursor=${badCursor}`, 'CURSOR_INVALID', 'cursor'],
      ['an unknown query parameter', 'caller=101', 'VALIDATION_ERROR', 'caller'],
    ];
    for (const [what, query, code, field] of cases) {
      it(`${what} → 400 ${code} (${field})`, async () => {
        const result = await call<ErrorJson>(h.app, 'GET', `${base}?${query}`, { token: a.token });
        assert.equal(result.status, 400, result.raw);
        assert.equal(result.body.error.code, code);
        assert.equal(result.body.error.field, field);
        assert.ok(result.body.error.messages.pl.length > 0 && result.body.error.messages.en.length > 0);
      });
    }
  });

  it("is open to the tenant's token, its admin's session and the operator, with the same answer", async () => {
    const session = await login(h, a.adminEmail, a.adminPassword);
    const byToken = await list('', { token: a.token });
    const bySession = await list('', { cookie: session.cookie });
    const byOperator = await list('', { token: h.operatorToken });
    for (const result of [byToken, bySession, byOperator]) assert.equal(result.status, 200, result.raw);
    assert.deepEqual(bySession.body, byToken.body);
    assert.deepEqual(byOperator.body, byToken.body);
    const anonymous = await list('', {});
    assert.equal(anonymous.status, 401);
  });

  it("hides another tenant's calls: its list and its call ids answer 404 like missing ones", async () => {
    const foreignList = await call<ErrorJson>(h.app, 'GET', `/api/v1/tenants/${b.id}/calls`, { token: a.token });
    assert.equal(foreignList.status, 404);
    assert.equal(foreignList.body.error.code, 'TENANT_NOT_FOUND');
    const foreignCall = await call<ErrorJson>(h.app, 'GET', `${base}/${records.otherTenant?.id}`, { token: a.token });
    assert.equal(foreignCall.status, 404);
    assert.equal(foreignCall.body.error.code, 'CALL_NOT_FOUND');
    const ownList = await call<PageJson>(h.app, 'GET', `/api/v1/tenants/${b.id}/calls`, { token: b.token });
    assert.deepEqual(ids(ownList.body), idsOf('otherTenant'));
  });

  it('describes both routes in OpenAPI, with the filters as date-time query parameters', async () => {
    const spec = await call<{ paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string; schema?: { format?: string } }> }>> }>(
      h.app,
      'GET',
      '/api/openapi.json',
    );
    const listOp = spec.body.paths['/api/v1/tenants/{tenantId}/calls']?.get;
    assert.ok(listOp, 'list route missing');
    assert.ok(spec.body.paths['/api/v1/tenants/{tenantId}/calls/{callId}']?.get, 'get route missing');
    const query = new Map((listOp.parameters ?? []).filter((p) => p.in === 'query').map((p) => [p.name, p]));
    assert.deepEqual([...query.keys()].sort(), ['cursor', 'extension', 'from', 'limit', 'to']);
    assert.equal(query.get('from')?.schema?.format, 'date-time');
    assert.equal(query.get('to')?.schema?.format, 'date-time');
  });
});
