import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, InvalidStateError, silentLogger } from '../../lib/index.js';
import type { SipRequest } from '../message/index.js';
import { InviteClientTransaction } from './invite-client-transaction.js';
import { InviteServerState, InviteServerTransaction } from './invite-server-transaction.js';
import { NonInviteClientTransaction } from './non-invite-client-transaction.js';
import { NonInviteServerTransaction } from './non-invite-server-transaction.js';
import {
  FakeTransactionTransport,
  RecordingClientUser,
  RecordingServerUser,
  makeRequest,
  makeResponse,
  peer,
  type RequestSpec,
} from './test-kit.js';
import { hasMagicCookie, newBranch } from './transaction-key.js';
import { TransactionLayer } from './transaction-layer.js';

const T1 = 500;

function setup() {
  const clock = new FakeClock();
  const transport = new FakeTransactionTransport(clock);
  const layer = new TransactionLayer({ transport, clock, logger: silentLogger() });
  return { clock, transport, layer };
}

/** Routes a request the way the stack does: to its transaction, or into a new one. */
function deliver(layer: TransactionLayer, request: SipRequest, user = new RecordingServerUser()) {
  const routing = layer.receiveRequest(request);
  if (routing.matched) return { created: false, transaction: routing.transaction };
  return { created: true, transaction: layer.createServerTransaction(request, peer('udp'), user) };
}

describe('TransactionLayer', () => {
  describe('client side matching (§17.1.3)', () => {
    it('sendRequest creates an INVITE client transaction for INVITE and a non-INVITE one otherwise, and sends', () => {
      const { layer, transport } = setup();
      const ict = layer.sendRequest(makeRequest({ branch: newBranch() }), peer('udp'), new RecordingClientUser());
      const nict = layer.sendRequest(makeRequest({ method: 'OPTIONS', branch: newBranch() }), peer('udp'), new RecordingClientUser());
      assert.ok(ict instanceof InviteClientTransaction);
      assert.ok(nict instanceof NonInviteClientTransaction);
      assert.deepEqual(transport.summary(), ['INVITE', 'OPTIONS']);
      assert.equal(layer.clientCount, 2);
    });

    it('a response matches when the branch of its top Via and its CSeq method equal those of the request', () => {
      const { layer } = setup();
      const user = new RecordingClientUser();
      const invite = makeRequest({ branch: 'z9hG4bKaaa' });
      layer.sendRequest(invite, peer('udp'), user);
      assert.equal(layer.receiveResponse(makeResponse(invite, 180)), true);
      assert.deepEqual(user.statuses(), [180]);
    });

    it('branch comparison ignores case (§7.3.1: tokens are case-insensitive)', () => {
      const { layer } = setup();
      const user = new RecordingClientUser();
      const invite = makeRequest({ branch: 'z9hG4bKAbC' });
      layer.sendRequest(invite, peer('udp'), user);
      assert.equal(layer.receiveResponse(makeResponse(makeRequest({ branch: 'z9hg4bkabc' }), 180)), true);
    });

    it('a response with another branch matches nothing', () => {
      const { layer } = setup();
      const user = new RecordingClientUser();
      layer.sendRequest(makeRequest({ branch: 'z9hG4bKaaa' }), peer('udp'), user);
      assert.equal(layer.receiveResponse(makeResponse(makeRequest({ branch: 'z9hG4bKbbb' }), 180)), false);
      assert.deepEqual(user.statuses(), []);
    });

    it('a CANCEL has the branch of its INVITE but its own transaction: responses go by CSeq method', () => {
      const { layer } = setup();
      const inviteUser = new RecordingClientUser();
      const cancelUser = new RecordingClientUser();
      const invite = makeRequest({ branch: 'z9hG4bKsame' });
      const cancel = makeRequest({ method: 'CANCEL', branch: 'z9hG4bKsame' });
      layer.sendRequest(invite, peer('udp'), inviteUser);
      layer.sendRequest(cancel, peer('udp'), cancelUser);
      layer.receiveResponse(makeResponse(cancel, 200));
      layer.receiveResponse(makeResponse(invite, 487));
      assert.deepEqual(cancelUser.statuses(), [200]);
      assert.deepEqual(inviteUser.statuses(), [487]);
    });

    it('refuses ACK, a branch without the magic cookie, and a second transaction with the same branch and method', () => {
      const { layer } = setup();
      const user = new RecordingClientUser();
      assert.throws(() => layer.sendRequest(makeRequest({ method: 'ACK' }), peer('udp'), user), TypeError);
      assert.throws(() => layer.sendRequest(makeRequest({ branch: 'abc123' }), peer('udp'), user), TypeError);
      assert.throws(() => layer.sendRequest(makeRequest({ branch: null }), peer('udp'), user), TypeError);
      layer.sendRequest(makeRequest({ branch: 'z9hG4bKdup' }), peer('udp'), user);
      assert.throws(() => layer.sendRequest(makeRequest({ branch: 'z9hG4bKdup' }), peer('udp'), user), InvalidStateError);
    });
  });

  describe('server side matching with the magic cookie (§17.2.3)', () => {
    it('a retransmission (same branch, sent-by and method) matches the transaction; nothing new is created', () => {
      const { layer, transport } = setup();
      const invite = makeRequest({ branch: 'z9hG4bKretx' });
      const first = deliver(layer, invite);
      const tx = first.transaction as InviteServerTransaction;
      tx.respond(makeResponse(invite, 180));
      const again = deliver(layer, makeRequest({ branch: 'z9hG4bKretx' }));
      assert.equal(first.created, true);
      assert.equal(again.created, false);
      assert.equal(again.transaction, tx);
      assert.deepEqual(transport.summary(), [180, 180]);
      assert.equal(layer.serverCount, 1);
    });

    for (const method of ['INVITE', 'OPTIONS'] as const) {
      it(`RFC 3261 §18.2.2: a ${method} retransmitted over another flow (UDP, then a TCP connection) is answered on that flow`, () => {
        const { layer, transport } = setup();
        const request = makeRequest({ method, branch: 'z9hG4bKmoved' });
        const tx = deliver(layer, request).transaction;
        tx.respond(makeResponse(request, 404));
        assert.deepEqual(transport.sent.map((s) => [s.dest.transport, s.connectionId]), [['udp', undefined]]);
        const arrival = { source: peer('tcp'), connectionId: 'tcp-conn-1' };
        assert.equal(layer.receiveRequest(makeRequest({ method, branch: 'z9hG4bKmoved' }), arrival).matched, true);
        const last = transport.sent.at(-1);
        assert.equal(transport.sent.length, 2);
        assert.equal(last?.dest, arrival.source);
        assert.equal(last?.connectionId, 'tcp-conn-1');
        assert.equal(tx.connectionId, 'tcp-conn-1');
      });
    }

    const different: Array<[string, RequestSpec]> = [
      ['another branch', { branch: 'z9hG4bKother' }],
      ['another sent-by host', { sentBy: 'other.example.com:5060' }],
      ['another sent-by port', { sentBy: 'pc33.example.com:5062' }],
      ['another method', { method: 'OPTIONS' }],
    ];
    for (const [what, spec] of different) {
      it(`a request with ${what} does not match`, () => {
        const { layer } = setup();
        deliver(layer, makeRequest({ branch: 'z9hG4bK74bf9' }));
        assert.equal(layer.receiveRequest(makeRequest({ branch: 'z9hG4bK74bf9', ...spec })).matched, false);
      });
    }

    it('an ACK with the INVITE branch matches the INVITE server transaction and confirms it', () => {
      const { layer } = setup();
      const invite = makeRequest();
      const tx = deliver(layer, invite).transaction as InviteServerTransaction;
      tx.respond(makeResponse(invite, 486));
      const routing = layer.receiveRequest(makeRequest({ method: 'ACK', toTag: 'as83kd9bs' }));
      assert.equal(routing.matched, true);
      assert.equal(tx.state, InviteServerState.Confirmed);
    });

    it('an ACK for a 2xx (new branch, §13.2.2.4) matches nothing: the stack passes it to the TU', () => {
      const { layer } = setup();
      const invite = makeRequest();
      const tx = deliver(layer, invite).transaction as InviteServerTransaction;
      tx.respond(makeResponse(invite, 200));
      assert.equal(layer.receiveRequest(makeRequest({ method: 'ACK', branch: 'z9hG4bKack2xx', toTag: 'as83kd9bs' })).matched, false);
    });

    it('an ACK never creates a server transaction', () => {
      const { layer } = setup();
      assert.throws(
        () => layer.createServerTransaction(makeRequest({ method: 'ACK' }), peer('udp'), new RecordingServerUser()),
        TypeError,
      );
    });

    it('a CANCEL matches its own transaction, not the INVITE; findInviteServerTransaction finds the INVITE (§9.2)', () => {
      const { layer } = setup();
      const invite = deliver(layer, makeRequest()).transaction;
      const cancel = makeRequest({ method: 'CANCEL' });
      const first = deliver(layer, cancel);
      assert.equal(first.created, true);
      assert.ok(first.transaction instanceof NonInviteServerTransaction);
      assert.notEqual(first.transaction, invite);
      assert.equal(layer.findInviteServerTransaction(cancel), invite);
      assert.equal(deliver(layer, makeRequest({ method: 'CANCEL' })).transaction, first.transaction);
    });

    it('findInviteServerTransaction finds nothing for a CANCEL of an unknown INVITE', () => {
      const { layer } = setup();
      deliver(layer, makeRequest({ branch: 'z9hG4bKone' }));
      assert.equal(layer.findInviteServerTransaction(makeRequest({ method: 'CANCEL', branch: 'z9hG4bKtwo' })), undefined);
    });

    it('createServerTransaction refuses a request that matches an existing transaction', () => {
      const { layer } = setup();
      deliver(layer, makeRequest());
      assert.throws(
        () => layer.createServerTransaction(makeRequest(), peer('udp'), new RecordingServerUser()),
        InvalidStateError,
      );
    });
  });

  describe('RFC 2543 fallback, without the magic cookie (§17.2.3)', () => {
    const legacy = (spec: RequestSpec = {}) => makeRequest({ branch: null, ...spec });

    it('an INVITE matches when Request-URI, To tag, From tag, Call-ID, CSeq and top Via are equal', () => {
      const { layer } = setup();
      const first = deliver(layer, legacy());
      const again = deliver(layer, legacy());
      assert.equal(again.created, false);
      assert.equal(again.transaction, first.transaction);
    });

    it('an old-style branch that lacks the cookie also uses the fallback', () => {
      const { layer } = setup();
      const first = deliver(layer, legacy({ branch: '1234abcd' }));
      assert.equal(deliver(layer, legacy({ branch: '1234abcd' })).transaction, first.transaction);
      assert.equal(layer.receiveRequest(legacy({ branch: '9999' })).matched, false, 'the top Via differs');
    });

    const different: Array<[string, RequestSpec]> = [
      ['Request-URI', { uri: 'sip:carol@example.com' }],
      ['To tag', { toTag: 'xyz' }],
      ['From tag', { fromTag: 'other' }],
      ['Call-ID', { callId: 'another-call@example.com' }],
      ['CSeq number', { cseq: 2 }],
      ['top Via', { sentBy: 'pc34.example.com' }],
      ['method', { method: 'OPTIONS' }],
    ];
    for (const [field, spec] of different) {
      it(`a request with another ${field} does not match`, () => {
        const { layer } = setup();
        deliver(layer, legacy());
        assert.equal(layer.receiveRequest(legacy(spec)).matched, false);
      });
    }

    it('an ACK matches when Request-URI, From tag, Call-ID, CSeq number and top Via match and its To tag is that of the response sent', () => {
      const { layer } = setup();
      const invite = legacy();
      const tx = deliver(layer, invite).transaction as InviteServerTransaction;
      tx.respond(makeResponse(invite, 486, 'srv-tag'));
      assert.equal(layer.receiveRequest(legacy({ method: 'ACK', toTag: 'other-tag' })).matched, false);
      assert.equal(layer.receiveRequest(legacy({ method: 'ACK', toTag: 'srv-tag' })).matched, true);
      assert.equal(tx.state, InviteServerState.Confirmed);
    });

    it('an ACK matches nothing before a final response was sent', () => {
      const { layer } = setup();
      const invite = legacy();
      (deliver(layer, invite).transaction as InviteServerTransaction).respond(makeResponse(invite, 180, 'srv-tag'));
      assert.equal(layer.receiveRequest(legacy({ method: 'ACK', toTag: 'srv-tag' })).matched, false);
    });

    it('in Accepted, an ACK that matches is passed to the TU (RFC 6026)', () => {
      const { layer } = setup();
      const user = new RecordingServerUser();
      const invite = legacy();
      const tx = deliver(layer, invite, user).transaction as InviteServerTransaction;
      tx.respond(makeResponse(invite, 200, 'srv-tag'));
      const ack = legacy({ method: 'ACK', toTag: 'srv-tag' });
      assert.equal(layer.receiveRequest(ack).matched, true);
      assert.deepEqual(user.acks, [ack]);
    });

    it('a CANCEL gets its own transaction and finds the INVITE it cancels', () => {
      const { layer } = setup();
      const invite = deliver(layer, legacy()).transaction;
      const cancel = legacy({ method: 'CANCEL' });
      const created = deliver(layer, cancel);
      assert.equal(created.created, true);
      assert.notEqual(created.transaction, invite);
      assert.equal(layer.findInviteServerTransaction(cancel), invite);
      assert.equal(layer.findInviteServerTransaction(legacy({ method: 'CANCEL', cseq: 7 })), undefined);
    });
  });

  describe('table bookkeeping', () => {
    it('terminated transactions leave the table and no timers remain', async () => {
      const { layer, clock, transport } = setup();
      // Client side: one INVITE rejected, one accepted, one OPTIONS answered, one timing out.
      const rejected = makeRequest({ branch: newBranch() });
      const accepted = makeRequest({ branch: newBranch() });
      const options = makeRequest({ method: 'OPTIONS', branch: newBranch() });
      for (const request of [rejected, accepted, options, makeRequest({ method: 'BYE', branch: newBranch() })]) {
        layer.sendRequest(request, peer('udp'), new RecordingClientUser());
      }
      layer.receiveResponse(makeResponse(rejected, 486));
      layer.receiveResponse(makeResponse(accepted, 200));
      layer.receiveResponse(makeResponse(options, 200));
      // Server side: INVITE rejected and ACKed, INVITE accepted, INVITE never ACKed, REGISTER answered.
      const branch1 = newBranch();
      const inv1 = makeRequest({ branch: branch1 });
      const inv2 = makeRequest({ branch: newBranch() });
      const inv3 = makeRequest({ branch: newBranch() });
      const reg = makeRequest({ method: 'REGISTER', branch: newBranch() });
      const st = (r: SipRequest) => layer.createServerTransaction(r, peer('udp'), new RecordingServerUser());
      st(inv1).respond(makeResponse(inv1, 404));
      assert.equal(layer.receiveRequest(makeRequest({ method: 'ACK', branch: branch1, toTag: 'as83kd9bs' })).matched, true);
      st(inv2).respond(makeResponse(inv2, 200));
      st(inv3).respond(makeResponse(inv3, 603));
      st(reg).respond(makeResponse(reg, 200));
      // A failing send keeps a server transaction alive (RFC 6026 §8.8) but its timers still end it.
      const inv4 = makeRequest({ branch: newBranch() });
      transport.failNext();
      st(inv4).respond(makeResponse(inv4, 500));
      await transport.settle();

      assert.equal(layer.clientCount, 4);
      assert.equal(layer.serverCount, 5);
      clock.advance(64 * T1);
      assert.equal(layer.clientCount, 0);
      assert.equal(layer.serverCount, 0);
      assert.equal(clock.pending, 0);
    });

    it('a transaction terminated by a transport error leaves the table', async () => {
      const { layer, transport, clock } = setup();
      transport.failNext();
      const user = new RecordingClientUser();
      layer.sendRequest(makeRequest({ method: 'MESSAGE', branch: newBranch() }), peer('tcp'), user);
      assert.equal(layer.clientCount, 1);
      await transport.settle();
      assert.equal(user.transportErrors.length, 1);
      assert.equal(layer.clientCount, 0);
      assert.equal(clock.pending, 0);
    });

    it('over TCP a server transaction leaves the table as soon as it completes', () => {
      const { layer, clock } = setup();
      const request = makeRequest({ method: 'OPTIONS', via: 'TCP' });
      layer.createServerTransaction(request, peer('tcp'), new RecordingServerUser()).respond(makeResponse(request, 200));
      assert.equal(layer.serverCount, 0);
      assert.equal(layer.receiveRequest(request).matched, false);
      assert.equal(clock.pending, 0);
    });

    it('close() terminates every transaction, leaves no timer and refuses new work with InvalidStateError', () => {
      const { layer, clock } = setup();
      const clientUser = new RecordingClientUser();
      layer.sendRequest(makeRequest({ branch: newBranch() }), peer('udp'), clientUser);
      layer.createServerTransaction(makeRequest({ branch: newBranch() }), peer('udp'), new RecordingServerUser());
      layer.close();
      layer.close();
      assert.equal(layer.closed, true);
      assert.equal(layer.clientCount + layer.serverCount, 0);
      assert.equal(clock.pending, 0);
      assert.equal(clientUser.timeouts, 0);
      assert.equal(clientUser.terminated, 1);
      assert.throws(() => layer.sendRequest(makeRequest({ branch: newBranch() }), peer('udp'), clientUser), InvalidStateError);
      assert.equal(layer.receiveRequest(makeRequest()).matched, false);
    });
  });

  it('newBranch() makes distinct magic-cookie branches', () => {
    const a = newBranch();
    const b = newBranch();
    assert.ok(hasMagicCookie(a) && hasMagicCookie(b));
    assert.notEqual(a, b);
    assert.equal(hasMagicCookie('z9hG4bK'), false);
    assert.equal(hasMagicCookie('Z9HG4BKxyz'), true);
  });

  it('the timer settings given to the layer reach its transactions', () => {
    const clock = new FakeClock();
    const transport = new FakeTransactionTransport(clock);
    const layer = new TransactionLayer({ transport, clock, logger: silentLogger(), timers: { t1: 100 } });
    const user = new RecordingClientUser();
    layer.sendRequest(makeRequest({ method: 'OPTIONS', branch: newBranch() }), peer('tcp'), user);
    clock.advance(64 * 100);
    assert.equal(user.timeouts, 1);
    assert.equal(layer.settings.t1, 100);
  });
});
