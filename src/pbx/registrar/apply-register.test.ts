import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BindingRecord } from '../ports.js';
import { applyRegister, type RegisterUpdate, type RequestedContact } from './apply-register.js';
import { DEFAULT_REGISTRAR_POLICY } from './registrar-policy.js';

const NOW = 1_700_000_000_000;
let seq = 0;
const newId = (): string => `b${++seq}`;
const eq = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

function contact(uri: string, extra: Partial<RequestedContact> = {}): RequestedContact {
  return { uri, expires: undefined, q: 1, instanceId: undefined, regId: undefined, ...extra };
}

function update(contacts: RegisterUpdate['contacts'], extra: Partial<RegisterUpdate> = {}): RegisterUpdate {
  return {
    tenantId: 't1',
    extensionId: 'e1',
    aor: 'sip:100@acme.test',
    callId: 'call-1',
    cseq: 1,
    contacts,
    expiresHeader: undefined,
    path: [],
    userAgent: 'phone/1',
    sourceTransport: 'udp',
    sourceAddress: '127.0.0.1',
    sourcePort: 5070,
    connectionId: undefined,
    ...extra,
  };
}

function ok(existing: readonly BindingRecord[], u: RegisterUpdate, now = NOW): BindingRecord[] {
  const out = applyRegister(existing, u, now, DEFAULT_REGISTRAR_POLICY, newId, eq);
  assert.ok(out.ok, `expected success, got ${out.ok ? '' : `${out.status} ${out.reason}`}`);
  return out.bindings;
}

describe('applyRegister (RFC 3261 §10.3)', () => {
  it('adds a contact with the default expiry of 3600 s when the request names none', () => {
    const [b] = ok([], update([contact('sip:100@10.0.0.1:5070')]));
    assert.equal(b?.expiresAt, NOW + 3_600_000);
    assert.equal(b?.q, 1);
    assert.equal(b?.sourcePort, 5070);
  });

  it('takes the contact expires parameter over the Expires header', () => {
    const [b] = ok([], update([contact('sip:a@h', { expires: 120 })], { expiresHeader: 600 }));
    assert.equal(b?.expiresAt, NOW + 120_000);
    const [c] = ok([], update([contact('sip:a@h')], { expiresHeader: 600 }));
    assert.equal(c?.expiresAt, NOW + 600_000);
  });

  it('answers 423 with Min-Expires: 60 for a non-zero expiry under 60 s', () => {
    const out = applyRegister([], update([contact('sip:a@h', { expires: 59 })]), NOW, DEFAULT_REGISTRAR_POLICY, newId, eq);
    assert.equal(out.ok, false);
    assert.ok(!out.ok);
    assert.equal(out.status, 423);
    assert.deepEqual(out.headers, [['Min-Expires', '60']]);
  });

  it('MAY shorten: an expiry over 3600 s is granted as 3600 s', () => {
    const [b] = ok([], update([contact('sip:a@h')], { expiresHeader: 86_400 }));
    assert.equal(b?.expiresAt, NOW + 3_600_000);
  });

  it('refreshing the same contact with a new Call-ID updates it instead of adding one', () => {
    const first = ok([], update([contact('sip:a@h')]));
    const second = ok(first, update([contact('SIP:A@H')], { callId: 'call-2', cseq: 1 }), NOW + 1000);
    assert.equal(second.length, 1);
    assert.equal(second[0]?.id, first[0]?.id);
    assert.equal(second[0]?.createdAt, NOW);
    assert.equal(second[0]?.updatedAt, NOW + 1000);
  });

  it('same Call-ID with a CSeq that is not higher aborts the update with 500 (step 7)', () => {
    const first = ok([], update([contact('sip:a@h')], { cseq: 5 }));
    for (const cseq of [4, 5]) {
      const out = applyRegister(first, update([contact('sip:a@h')], { cseq }), NOW, DEFAULT_REGISTRAR_POLICY, newId, eq);
      assert.ok(!out.ok);
      assert.equal(out.status, 500);
    }
    assert.equal(ok(first, update([contact('sip:a@h')], { cseq: 6 })).length, 1);
  });

  it('Expires: 0 removes the contact; other contacts of the AOR stay', () => {
    const two = ok(ok([], update([contact('sip:a@h')])), update([contact('sip:b@h')], { callId: 'c2' }));
    assert.equal(two.length, 2);
    const left = ok(two, update([contact('sip:a@h')], { cseq: 2, expiresHeader: 0 }));
    assert.deepEqual(left.map((b) => b.contactUri), ['sip:b@h']);
  });

  it('"*" with Expires: 0 removes every binding', () => {
    const two = ok(ok([], update([contact('sip:a@h')])), update([contact('sip:b@h')], { callId: 'c2' }));
    const out = applyRegister(two, update('*', { callId: 'c3', expiresHeader: 0 }), NOW, DEFAULT_REGISTRAR_POLICY, newId, eq);
    assert.ok(out.ok);
    assert.deepEqual(out.bindings, []);
    assert.equal(out.changed, true);
  });

  it('"*" without Expires: 0 is a 400', () => {
    for (const expiresHeader of [undefined, 60]) {
      const out = applyRegister([], update('*', { expiresHeader }), NOW, DEFAULT_REGISTRAR_POLICY, newId, eq);
      assert.ok(!out.ok);
      assert.equal(out.status, 400);
    }
  });

  it('"*" with the same Call-ID and an old CSeq fails with 500', () => {
    const one = ok([], update([contact('sip:a@h')], { cseq: 3 }));
    const out = applyRegister(one, update('*', { cseq: 3, expiresHeader: 0 }), NOW, DEFAULT_REGISTRAR_POLICY, newId, eq);
    assert.ok(!out.ok);
    assert.equal(out.status, 500);
  });

  it('an empty Contact list only fetches: nothing changes', () => {
    const one = ok([], update([contact('sip:a@h')]));
    const out = applyRegister(one, update([], { cseq: 2 }), NOW, DEFAULT_REGISTRAR_POLICY, newId, eq);
    assert.ok(out.ok);
    assert.equal(out.changed, false);
    assert.equal(out.bindings.length, 1);
  });

  it('keeps q-values per contact', () => {
    const out = ok([], update([contact('sip:a@h', { q: 0.5 }), contact('sip:b@h', { q: 1 })]));
    assert.deepEqual(out.map((b) => [b.contactUri, b.q]), [['sip:a@h', 0.5], ['sip:b@h', 1]]);
  });

  it('a device with the same +sip.instance replaces its old contact (SPEC 2.1, RFC 5626)', () => {
    const inst = 'urn:uuid:00000000-0000-0000-0000-000000000001';
    const first = ok([], update([contact('sip:100@10.0.0.1:5060', { instanceId: inst })]));
    const moved = ok(first, update([contact('sip:100@10.0.0.9:6000', { instanceId: inst })], { callId: 'new' }));
    assert.equal(moved.length, 1);
    assert.equal(moved[0]?.contactUri, 'sip:100@10.0.0.9:6000');
    assert.equal(moved[0]?.id, first[0]?.id);
  });

  it('the same instance with different reg-ids keeps both flows (RFC 5626 §6)', () => {
    const inst = 'urn:uuid:1';
    const a = ok([], update([contact('sip:x@a', { instanceId: inst, regId: 1 })]));
    const b = ok(a, update([contact('sip:x@b', { instanceId: inst, regId: 2 })], { callId: 'c2' }));
    assert.equal(b.length, 2);
  });

  it('stores Path, source, transport, connection and user agent on the binding', () => {
    const [b] = ok(
      [],
      update([contact('sip:a@h')], {
        path: ['<sip:edge.example;lr>'],
        sourceTransport: 'tcp',
        connectionId: 'conn-7',
        userAgent: 'baresip v1.0.0',
      }),
    );
    assert.deepEqual(b?.path, ['<sip:edge.example;lr>']);
    assert.equal(b?.sourceTransport, 'tcp');
    assert.equal(b?.connectionId, 'conn-7');
    assert.equal(b?.userAgent, 'baresip v1.0.0');
  });

  it('at most 5 contacts: the 6th gets 503 with Retry-After until the oldest expires', () => {
    let set: BindingRecord[] = [];
    for (let i = 0; i < 5; i++) set = ok(set, update([contact(`sip:d${i}@h`)], { callId: `c${i}`, expiresHeader: 600 + i }));
    const out = applyRegister(set, update([contact('sip:d5@h')], { callId: 'c5' }), NOW, DEFAULT_REGISTRAR_POLICY, newId, eq);
    assert.ok(!out.ok);
    assert.equal(out.status, 503);
    assert.deepEqual(out.headers, [['Retry-After', '600']]);
    // Refreshing one of the five is still fine.
    assert.equal(ok(set, update([contact('sip:d0@h')], { callId: 'c0', cseq: 2 })).length, 5);
  });

  it('drops expired bindings and reports the set as changed', () => {
    const one = ok([], update([contact('sip:a@h')], { expiresHeader: 60 }));
    const out = applyRegister(one, update([], { callId: 'x' }), NOW + 60_000, DEFAULT_REGISTRAR_POLICY, newId, eq);
    assert.ok(out.ok);
    assert.deepEqual(out.bindings, []);
    assert.equal(out.changed, true);
  });

  it('a failed request changes nothing, even when an earlier contact of it was fine', () => {
    const out = applyRegister(
      [],
      update([contact('sip:a@h', { expires: 600 }), contact('sip:b@h', { expires: 10 })]),
      NOW,
      DEFAULT_REGISTRAR_POLICY,
      newId,
      eq,
    );
    assert.ok(!out.ok);
    assert.equal(out.status, 423);
  });

  describe('a new flow of the same device takes over the binding of its dead flow (RFC 5626 §6)', () => {
    const closed = new Set<string>();
    const dead = (b: BindingRecord): boolean => b.connectionId !== undefined && closed.has(b.connectionId);
    /** A REGISTER of a TCP phone over connection `conn` from `port`, with the port in its Contact. */
    const overTcp = (conn: string, port: number, extra: Partial<RegisterUpdate> = {}, c: Partial<RequestedContact> = {}): RegisterUpdate =>
      update([contact(`sip:100@127.0.0.1:${port};transport=tcp`, c)], {
        sourceTransport: 'tcp',
        sourcePort: port,
        connectionId: conn,
        callId: `reg-${conn}`,
        ...extra,
      });
    const apply = (set: readonly BindingRecord[], u: RegisterUpdate): ReturnType<typeof applyRegister> =>
      applyRegister(set, u, NOW, DEFAULT_REGISTRAR_POLICY, newId, eq, dead);

    it('a phone reconnecting from new ports, its port in the Contact, keeps one binding however often it reconnects', () => {
      closed.clear();
      let set: BindingRecord[] = [];
      for (let i = 0; i < 8; i++) {
        if (i > 0) closed.add(`conn-${i - 1}`);
        const out = apply(set, overTcp(`conn-${i}`, 41000 + i));
        assert.ok(out.ok, `reconnect ${i}: ${out.ok ? '' : `${out.status} ${out.reason}`}`);
        set = out.bindings;
        assert.equal(set.length, 1, `reconnect ${i}`);
        assert.equal(set[0]?.connectionId, `conn-${i}`);
        assert.equal(set[0]?.contactUri, `sip:100@127.0.0.1:${41000 + i};transport=tcp`);
      }
    });

    it('a second live phone of the extension never evicts the first: same user and address, both connections open', () => {
      closed.clear();
      let set: BindingRecord[] = [];
      for (let i = 0; i < 5; i++) set = ok(set, overTcp(`conn-${i}`, 41000 + i));
      const out = apply(set, overTcp('conn-5', 41005));
      assert.ok(!out.ok);
      assert.equal(out.status, 503);
    });

    it('the same Contact user from another address does not take over a dead binding', () => {
      closed.clear();
      const set = ok([], overTcp('conn-0', 41000));
      closed.add('conn-0');
      const out = apply(set, overTcp('conn-1', 41001, { sourceAddress: '127.0.0.9' }));
      assert.ok(out.ok);
      assert.equal(out.bindings.length, 2);
    });

    it('another Contact user from the same address does not take over a dead binding', () => {
      closed.clear();
      const set = ok([], overTcp('conn-0', 41000));
      closed.add('conn-0');
      const out = apply(set, update([contact('sip:other@127.0.0.1:41001;transport=tcp')], { sourceTransport: 'tcp', connectionId: 'conn-1' }));
      assert.ok(out.ok);
      assert.equal(out.bindings.length, 2);
    });

    it('the same +sip.instance with another reg-id takes over the dead flow; a live flow of that instance stays', () => {
      closed.clear();
      const instance = '<urn:uuid:00000000-0000-4000-8000-000000000001>';
      let set = ok([], overTcp('conn-0', 41000, {}, { instanceId: instance, regId: 1 }));
      set = ok(set, overTcp('conn-1', 41001, {}, { instanceId: instance, regId: 2 }));
      closed.add('conn-0');
      const out = apply(set, overTcp('conn-2', 41002, {}, { instanceId: instance, regId: 3 }));
      assert.ok(out.ok);
      assert.deepEqual(out.bindings.map((b) => b.connectionId).sort(), ['conn-1', 'conn-2']);
    });

    it('a binding without an instance is not taken over by a contact with one, nor the reverse', () => {
      closed.clear();
      const set = ok([], overTcp('conn-0', 41000));
      closed.add('conn-0');
      const out = apply(set, overTcp('conn-1', 41001, {}, { instanceId: '<urn:uuid:x>' }));
      assert.ok(out.ok);
      assert.equal(out.bindings.length, 2);
    });

    it('a UDP binding (no connection) is never dead', () => {
      closed.clear();
      const set = ok([], update([contact('sip:100@127.0.0.1:5070')]));
      const out = apply(set, update([contact('sip:100@127.0.0.1:5071')], { sourcePort: 5071, callId: 'other' }));
      assert.ok(out.ok);
      assert.equal(out.bindings.length, 2);
    });
  });
});
