import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NonInviteClientState, NonInviteClientTransaction } from './non-invite-client-transaction.js';
import { RecordingClientUser, harness, makeRequest, makeResponse, peer } from './test-kit.js';

const T1 = 500;
const T4 = 5000;
const S = NonInviteClientState;

function trying(transport: 'udp' | 'tcp' = 'udp', method = 'OPTIONS') {
  const h = harness();
  const user = new RecordingClientUser();
  const request = makeRequest({ method, via: transport === 'udp' ? 'UDP' : 'TCP' });
  const tx = new NonInviteClientTransaction(request, peer(transport), user, h.context);
  return { ...h, user, request, tx };
}

describe('non-INVITE client transaction (RFC 3261 §17.1.2)', () => {
  describe('Trying', () => {
    it('on creation the request MUST be passed to the transport layer', () => {
      const { tx, transport, request } = trying();
      assert.equal(tx.state, S.Trying);
      assert.equal(transport.sent[0]?.message, request);
    });

    it('over UDP, Timer E fires at T1, then MIN(2*T1, T2), MIN(4*T1, T2) … and the request is retransmitted each time', () => {
      const { transport, clock, start } = trying('udp');
      clock.advance(64 * T1 - 1);
      // Intervals 0.5, 1, 2, 4 (= T2), 4, 4 … seconds.
      assert.deepEqual(
        transport.timesOf('OPTIONS', start),
        [0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500],
      );
    });

    it('over TCP, Timer E is not set: the request is sent once', () => {
      const { transport, clock, start } = trying('tcp');
      clock.advance(64 * T1 - 1);
      assert.deepEqual(transport.timesOf('OPTIONS', start), [0]);
    });

    for (const transport of ['udp', 'tcp'] as const) {
      it(`over ${transport.toUpperCase()}, Timer F fires at 64*T1 and it SHOULD inform the TU of the timeout and enter Terminated`, () => {
        const t = trying(transport);
        t.clock.advance(64 * T1 - 1);
        assert.equal(t.user.timeouts, 0);
        t.clock.advance(1);
        assert.equal(t.user.timeouts, 1);
        assert.equal(t.tx.state, S.Terminated);
        assert.equal(t.clock.pending, 0);
      });
    }

    for (const status of [100, 180]) {
      it(`upon a ${status}, the response MUST be passed to the TU and it SHOULD move to Proceeding`, () => {
        const { tx, user, request } = trying();
        tx.receiveResponse(makeResponse(request, status));
        assert.deepEqual(user.statuses(), [status]);
        assert.equal(tx.state, S.Proceeding);
      });
    }
  });

  describe('Proceeding', () => {
    it('if Timer E fires, the request MUST be retransmitted and Timer E reset to T2', () => {
      const { tx, transport, clock, request, start } = trying('udp');
      clock.advance(600);
      tx.receiveResponse(makeResponse(request, 100));
      clock.advance(64 * T1 - 601);
      // Pending E from Trying fires at 1.5 s; from then on every T2 (4 s) until Timer F at 32 s.
      assert.deepEqual(transport.timesOf('OPTIONS', start), [0, 500, 1500, 5500, 9500, 13500, 17500, 21500, 25500, 29500]);
    });

    it('further provisional responses MUST be passed up to the TU', () => {
      const { tx, user, request } = trying();
      tx.receiveResponse(makeResponse(request, 100));
      tx.receiveResponse(makeResponse(request, 100));
      assert.deepEqual(user.statuses(), [100, 100]);
    });

    it('Timer F still fires at 64*T1 in Proceeding and the TU is told of the timeout', () => {
      const { tx, user, clock, request } = trying('udp');
      tx.receiveResponse(makeResponse(request, 100));
      clock.advance(64 * T1);
      assert.equal(user.timeouts, 1);
      assert.equal(tx.state, S.Terminated);
      assert.equal(clock.pending, 0);
    });
  });

  for (const from of [S.Trying, S.Proceeding]) {
    for (const status of [200, 202, 401, 404, 500, 603]) {
      it(`in ${from}, upon a ${status}, the response MUST be passed to the TU and it MUST enter Completed`, () => {
        const t = trying('udp');
        if (from === S.Proceeding) t.tx.receiveResponse(makeResponse(t.request, 100));
        t.tx.receiveResponse(makeResponse(t.request, status));
        assert.equal(t.user.responses.at(-1)?.status, status);
        assert.equal(t.tx.state, S.Completed);
      });
    }
  }

  describe('Completed', () => {
    it('response retransmissions are buffered: not passed to the TU, and no request retransmissions', () => {
      const { tx, user, transport, clock, request, start } = trying('udp');
      tx.receiveResponse(makeResponse(request, 200));
      tx.receiveResponse(makeResponse(request, 200));
      tx.receiveResponse(makeResponse(request, 100));
      clock.advance(T4 - 1);
      assert.deepEqual(user.statuses(), [200]);
      assert.deepEqual(transport.timesOf('OPTIONS', start), [0]);
    });

    it('over UDP, Timer K fires at T4 and it MUST enter Terminated', () => {
      const { tx, clock, request } = trying('udp');
      tx.receiveResponse(makeResponse(request, 200));
      clock.advance(T4 - 1);
      assert.equal(tx.state, S.Completed);
      clock.advance(1);
      assert.equal(tx.state, S.Terminated);
      assert.equal(clock.pending, 0);
    });

    it('over TCP, Timer K is zero: it enters Terminated after passing the response to the TU', () => {
      const { tx, user, clock, request } = trying('tcp');
      tx.receiveResponse(makeResponse(request, 200));
      assert.deepEqual(user.statuses(), [200]);
      assert.equal(tx.state, S.Terminated);
      assert.equal(user.terminated, 1);
      assert.equal(clock.pending, 0);
    });
  });

  describe('transport errors (§17.1.4)', () => {
    for (const from of [S.Trying, S.Proceeding]) {
      it(`in ${from}, a failed (re)transmission informs the TU and it transitions directly to Terminated`, async () => {
        const t = trying('udp');
        if (from === S.Proceeding) t.tx.receiveResponse(makeResponse(t.request, 100));
        t.transport.failNext();
        t.clock.advance(T1);
        await t.transport.settle();
        assert.equal(t.user.transportErrors.length, 1);
        assert.equal(t.tx.state, S.Terminated);
        assert.equal(t.clock.pending, 0);
      });
    }

    it('a late failure after the final response changes nothing', async () => {
      const { tx, user, transport, clock, request } = trying('udp');
      transport.failNext();
      clock.advance(T1);
      tx.receiveResponse(makeResponse(request, 200));
      await transport.settle();
      assert.equal(user.transportErrors.length, 0);
      assert.equal(tx.state, S.Completed);
    });
  });

  for (const method of ['INVITE', 'ACK']) {
    it(`refuses to carry ${method}`, () => {
      const h = harness();
      assert.throws(
        () => new NonInviteClientTransaction(makeRequest({ method }), peer('udp'), new RecordingClientUser(), h.context),
        TypeError,
      );
    });
  }
});
