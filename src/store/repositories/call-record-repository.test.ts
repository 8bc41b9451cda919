import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { callRecord, unansweredCallRecord } from '../../../test/support/call-record-builder.js';
import { forEachDatabase } from '../../../test/support/databases.js';
import { randomUUID } from 'node:crypto';
import type { Db } from '../database.js';
import { createCallRecordRepository, involvedNumbers, type CallRecord, type CallRecordRepository } from './call-record-repository.js';
import { tenantRepository } from './tenant-repository.js';

const T0 = Date.UTC(2025, 0, 10, 9, 0, 0);

/** Inserts a tenant with SIP domain `<label>.calls.example`; returns its id. */
async function addTenant(db: Db, label: string): Promise<string> {
  const id = randomUUID();
  const now = new Date(T0);
  await tenantRepository.insert(db.kysely, {
    id,
    name: label,
    sipDomain: `${label}.calls.example`,
    country: 'PL',
    mainNumber: null,
    defaultMaxRate: { amountMinor: 100, currency: 'PLN' },
    language: 'pl',
    createdAt: now,
    updatedAt: now,
  });
  return id;
}
const MINUTE = 60_000;

forEachDatabase('call record repository', (suite) => {
  let repo: CallRecordRepository;
  let tenantA: string;
  let tenantB: string;

  before(async () => {
    tenantA = await addTenant(suite.db, 'a');
    tenantB = await addTenant(suite.db, 'b');
    repo = createCallRecordRepository(suite.db);
  });

  test('write() then get() gives back every field, nulls, legs and hops included', async () => {
    const forwarded = callRecord(tenantA, {
      callerNumber: '+48221234567',
      callerName: null,
      callerExtensionId: null,
      calleeExtensionId: 'ext-id-101',
      callee: '101',
      answeredBy: '103',
      legs: [
        { target: '101', contact: 'sip:101@10.0.0.1:5060', callId: 'leg-1', answered: false, finalStatus: 487 },
        { target: '101', contact: '', callId: 'leg-2', answered: false, finalStatus: null },
        { target: '103', contact: 'sip:103@10.0.0.3:5060;transport=tcp', callId: 'leg-3', answered: true, finalStatus: 200 },
      ],
      hops: [{ from: '101', to: '103', reason: 'noAnswer' }],
      startedAt: T0 + 123,
      answeredAt: T0 + 30_456,
      endedAt: T0 + 90_789,
      endedBy: 'callee',
      endReason: 'callee hung up',
    });
    await repo.write(forwarded);
    assert.deepEqual(await repo.get(tenantA, forwarded.id), forwarded);

    const refused = unansweredCallRecord(tenantA, { disposition: 'busy', endStatus: 486, endReason: '486 Busy Here', legs: [] });
    await repo.write(refused);
    assert.deepEqual(await repo.get(tenantA, refused.id), refused);
  });

  test('writing the same id again changes nothing (idempotent; the first write stays)', async () => {
    const first = callRecord(tenantA, { startedAt: T0 - 10 * MINUTE });
    await repo.write(first);
    await repo.write(first);
    await repo.write({ ...first, endReason: 'a retried write with other content' });
    assert.deepEqual(await repo.get(tenantA, first.id), first);
    const rows = await suite.db.kysely.selectFrom('call_records').select('id').where('id', '=', first.id).execute();
    assert.equal(rows.length, 1);
  });

  test("get() does not find another tenant's record, nor an unknown id", async () => {
    const record = callRecord(tenantB);
    await repo.write(record);
    assert.equal(await repo.get(tenantA, record.id), undefined);
    assert.equal(await repo.get(tenantB, 'no-such-id'), undefined);
    assert.deepEqual(await repo.get(tenantB, record.id), record);
  });

  describe('list()', () => {
    let tenant: string;
    const written: CallRecord[] = [];

    before(async () => {
      tenant = await addTenant(suite.db, 'list');
      const at = (minutes: number) => T0 + minutes * MINUTE;
      written.push(
        callRecord(tenant, { id: 'c-01', startedAt: at(0), callerNumber: '101', callee: '102', answeredBy: '102' }),
        callRecord(tenant, { id: 'c-02', startedAt: at(1), callerNumber: '103', callee: '104', answeredBy: '104', legs: [] }),
        unansweredCallRecord(tenant, {
          id: 'c-03',
          startedAt: at(2),
          callerNumber: '105',
          callee: '106',
          legs: [{ target: '107', contact: 'sip:107@h', callId: 'l', answered: false, finalStatus: 487 }],
        }),
        unansweredCallRecord(tenant, {
          id: 'c-04',
          startedAt: at(3),
          callerNumber: '105',
          callee: '108',
          legs: [],
          hops: [
            { from: '108', to: '109', reason: 'unavailable' },
            { from: '109', to: 'voicemail:109', reason: 'busy' },
          ],
        }),
        // Two calls starting in the same millisecond: the id breaks the tie.
        callRecord(tenant, { id: 'c-05a', startedAt: at(4), callerNumber: '110', callee: '111', answeredBy: '111', legs: [] }),
        callRecord(tenant, { id: 'c-05b', startedAt: at(4), callerNumber: '110', callee: '112', answeredBy: '112', legs: [] }),
      );
      // Written out of order: the list orders, not the insertion.
      for (const r of [...written].reverse()) await repo.write(r);
      await repo.write(callRecord(tenantB, { id: 'other-tenant', startedAt: at(2), callerNumber: '101' }));
    });

    const ids = (records: CallRecord[]) => records.map((r) => r.id);

    test('lists the tenant only, newest first, ties by id descending', async () => {
      assert.deepEqual(ids(await repo.list(tenant, { limit: 50 })), ['c-05b', 'c-05a', 'c-04', 'c-03', 'c-02', 'c-01']);
    });

    const byExtension: Array<[string, string, string[]]> = [
      ['the caller', '105', ['c-04', 'c-03']],
      ['the number dialled', '102', ['c-01']],
      ['the answerer', '104', ['c-02']],
      ['a leg target that was only rung', '107', ['c-03']],
      ['a forwarding hop (from and to)', '109', ['c-04']],
      ['a number in several roles of one call, listed once', '110', ['c-05b', 'c-05a']],
      ['a number no call involved', '199', []],
    ];
    for (const [what, number, expected] of byExtension) {
      test(`the extension filter matches ${what}`, async () => {
        assert.deepEqual(ids(await repo.list(tenant, { extension: number, limit: 50 })), expected);
      });
    }

    test('from is inclusive and to exclusive, alone and with the extension filter', async () => {
      const at = (minutes: number) => T0 + minutes * MINUTE;
      assert.deepEqual(ids(await repo.list(tenant, { from: at(2), to: at(4), limit: 50 })), ['c-04', 'c-03']);
      assert.deepEqual(ids(await repo.list(tenant, { from: at(4), limit: 50 })), ['c-05b', 'c-05a']);
      assert.deepEqual(ids(await repo.list(tenant, { to: at(1), limit: 50 })), ['c-01']);
      assert.deepEqual(ids(await repo.list(tenant, { extension: '105', from: at(3), limit: 50 })), ['c-04']);
      assert.deepEqual(ids(await repo.list(tenant, { extension: '105', to: at(3), limit: 50 })), ['c-03']);
    });

    test('pages by the (startedAt, id) key of the last record, with and without the extension filter', async () => {
      const collect = async (extension?: string): Promise<string[]> => {
        const out: string[] = [];
        let after: readonly [number, string] | undefined;
        for (let i = 0; i < 10; i++) {
          const page = await repo.list(tenant, { limit: 2, ...(extension ? { extension } : {}), ...(after ? { after } : {}) });
          out.push(...ids(page));
          const last = page[page.length - 1];
          if (page.length < 2 || !last) return out;
          after = [last.startedAt, last.id];
        }
        throw new Error('pagination did not end');
      };
      assert.deepEqual(await collect(), ['c-05b', 'c-05a', 'c-04', 'c-03', 'c-02', 'c-01']);
      assert.deepEqual(await collect('110'), ['c-05b', 'c-05a']);
      assert.deepEqual(await collect('105'), ['c-04', 'c-03']);
    });
  });

  test('records go when their tenant is deleted', async () => {
    const gone = await addTenant(suite.db, 'gone');
    const record = callRecord(gone);
    await repo.write(record);
    await suite.db.kysely.deleteFrom('tenants').where('id', '=', gone).execute();
    assert.equal(await repo.get(gone, record.id), undefined);
    const numbers = await suite.db.kysely.selectFrom('call_record_numbers').select('number').where('call_record_id', '=', record.id).execute();
    assert.deepEqual(numbers, []);
  });
});

describe('involvedNumbers', () => {
  test('lists caller, callee, answerer, leg targets and hop ends once each, without voicemail boxes or empties', () => {
    const record = callRecord('t', {
      callerNumber: '101',
      callee: '102',
      answeredBy: '103',
      legs: [
        { target: '102', contact: '', callId: 'a', answered: false, finalStatus: 480 },
        { target: '+48221234567', contact: '', callId: 'b', answered: false, finalStatus: null },
      ],
      hops: [
        { from: '102', to: '103', reason: 'busy' },
        { from: '103', to: 'voicemail:103', reason: 'returnAfter' },
      ],
    });
    assert.deepEqual(involvedNumbers(record), ['101', '102', '103', '+48221234567']);
  });
});
