import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidStateError } from '../../lib/index.js';
import { NonInviteServerState, NonInviteServerTransaction } from './non-invite-server-transaction.js';
import { RecordingServerUser, harness, makeRequest, makeResponse, peer } from './test-kit.js';

const T1 = 500;
const S = NonInviteServerState;

function nist(transport: 'udp' | 'tcp' = 'udp', method = 'REGISTER') {
  const h = harness();
  const user = new RecordingServerUser();
  const request = makeRequest({ method, via: transport === 'udp' ? 'UDP' : 'TCP' });
  const tx = new NonInviteServerTransaction(request, peer(transport), user, h.context, { connectionId: 'conn-3' });
  return { ...h, user, request, tx };
}

describe('non-INVITE server transaction (RFC 3261 §17.2.2)', () => {
  describe('Trying', () => {
    it('it starts in Trying and sends nothing on its own (no automatic 100)', () => {
      const { tx, transport, clock } = nist();
      clock.advance(64 * T1);
      assert.equal(tx.state, S.Trying);
      assert.deepEqual(transport.summary(), []);
    });

    it('any further request retransmissions are discarded', () => {
      const { tx, transport, request } = nist();
      tx.receiveRequest(request);
      tx.receiveRequest(request);
      assert.deepEqual(transport.summary(), []);
      assert.equal(tx.state, S.Trying);
    });

    it('upon a provisional response from the TU, it MUST send it and enter Proceeding', () => {
      const { tx, transport, request } = nist();
      tx.respond(makeResponse(request, 100));
      assert.equal(tx.state, S.Proceeding);
      assert.deepEqual(transport.summary(), [100]);
      assert.equal(transport.sent[0]?.connectionId, 'conn-3');
      assert.deepEqual(transport.sent[0]?.dest, peer('udp'));
    });
  });

  describe('Proceeding', () => {
    it('further provisional responses MUST be passed to the transport layer', () => {
      const { tx, transport, request } = nist();
      tx.respond(makeResponse(request, 100));
      tx.respond(makeResponse(request, 183));
      assert.deepEqual(transport.summary(), [100, 183]);
    });

    it('a retransmission of the request MUST be answered with the most recently sent provisional response', () => {
      const { tx, transport, request } = nist();
      tx.respond(makeResponse(request, 100));
      tx.respond(makeResponse(request, 183));
      transport.clear();
      tx.receiveRequest(request);
      assert.deepEqual(transport.summary(), [183]);
    });
  });

  for (const from of [S.Trying, S.Proceeding]) {
    for (const status of [200, 202, 401, 404, 500, 603]) {
      it(`in ${from}, upon a ${status} from the TU, it MUST enter Completed and pass the response to the transport`, () => {
        const t = nist('udp');
        if (from === S.Proceeding) t.tx.respond(makeResponse(t.request, 100));
        t.transport.clear();
        t.tx.respond(makeResponse(t.request, status));
        assert.equal(t.tx.state, S.Completed);
        assert.deepEqual(t.transport.summary(), [status]);
      });
    }
  }

  describe('Completed', () => {
    it('NIST in Completed absorbs retransmissions and resends the final response each time', () => {
      const { tx, transport, request } = nist('udp');
      tx.respond(makeResponse(request, 200));
      transport.clear();
      tx.receiveRequest(request);
      tx.receiveRequest(request);
      assert.deepEqual(transport.summary(), [200, 200]);
    });

    it('any other final response passed by the TU MUST be discarded', () => {
      const { tx, transport, request } = nist('udp');
      tx.respond(makeResponse(request, 200));
      tx.respond(makeResponse(request, 500));
      tx.respond(makeResponse(request, 100));
      assert.deepEqual(transport.summary(), [200]);
      assert.equal(tx.finalResponse?.status, 200);
    });

    it('the final response is not retransmitted by timers (only on request retransmissions)', () => {
      const { tx, transport, clock, request } = nist('udp');
      tx.respond(makeResponse(request, 200));
      clock.advance(64 * T1 - 1);
      assert.deepEqual(transport.summary(), [200]);
    });

    it('Timer J is 64*T1 on UDP: then it MUST enter Terminated', () => {
      const { tx, user, clock, request } = nist('udp');
      tx.respond(makeResponse(request, 200));
      clock.advance(64 * T1 - 1);
      assert.equal(tx.state, S.Completed);
      clock.advance(1);
      assert.equal(tx.state, S.Terminated);
      assert.equal(user.terminated, 1);
      assert.equal(clock.pending, 0);
    });

    it('Timer J is 0 on TCP: the final response terminates the transaction at once', () => {
      const { tx, transport, clock, request } = nist('tcp');
      tx.respond(makeResponse(request, 200));
      assert.deepEqual(transport.summary(), [200]);
      assert.equal(tx.state, S.Terminated);
      assert.equal(clock.pending, 0);
    });
  });

  describe('transport errors (§17.2.4 as updated by RFC 6026 §8.8)', () => {
    for (const status of [100, 200, 404]) {
      it(`a failed ${status} SHOULD inform the TU, and the transaction MUST remain in its state`, async () => {
        const { tx, user, transport, request } = nist('udp');
        transport.failNext();
        tx.respond(makeResponse(request, status));
        const state = tx.state;
        await transport.settle();
        assert.equal(user.transportErrors.length, 1);
        assert.equal(tx.state, state);
        assert.notEqual(tx.state, S.Terminated);
      });
    }
  });

  it('after Terminated, respond() throws InvalidStateError', () => {
    const { tx, request } = nist('tcp');
    tx.respond(makeResponse(request, 200));
    assert.throws(() => tx.respond(makeResponse(request, 200)), InvalidStateError);
  });

  it('close() terminates at once and leaves no timer', () => {
    const { tx, user, clock, request } = nist('udp');
    tx.respond(makeResponse(request, 200));
    tx.close();
    assert.equal(tx.state, S.Terminated);
    assert.equal(user.terminated, 1);
    assert.equal(clock.pending, 0);
  });

  for (const method of ['INVITE', 'ACK']) {
    it(`refuses to serve ${method}`, () => {
      const h = harness();
      assert.throws(
        () => new NonInviteServerTransaction(makeRequest({ method }), peer('udp'), new RecordingServerUser(), h.context),
        TypeError,
      );
    });
  }
});
