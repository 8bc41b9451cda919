import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InviteClientState, InviteClientTransaction } from './invite-client-transaction.js';
import { RecordingClientUser, harness, makeRequest, makeResponse, peer } from './test-kit.js';

const T1 = 500;
const S = InviteClientState;

function calling(transport: 'udp' | 'tcp' = 'udp') {
  const h = harness();
  const user = new RecordingClientUser();
  const invite = makeRequest({ via: transport === 'udp' ? 'UDP' : 'TCP' });
  const tx = new InviteClientTransaction(invite, peer(transport), user, h.context, { connectionId: 'flow-1' });
  return { ...h, user, invite, tx };
}

function proceeding(transport: 'udp' | 'tcp' = 'udp') {
  const t = calling(transport);
  t.tx.receiveResponse(makeResponse(t.invite, 180));
  t.transport.clear();
  return t;
}

describe('INVITE client transaction (RFC 3261 §17.1.1, RFC 6026)', () => {
  describe('Calling', () => {
    it('on creation it MUST pass the INVITE to the transport, to the destination and flow given', () => {
      const { tx, transport, invite } = calling();
      assert.equal(tx.state, S.Calling);
      assert.equal(transport.sent.length, 1);
      assert.equal(transport.sent[0]?.message, invite);
      assert.deepEqual(transport.sent[0]?.dest, peer('udp'));
      assert.equal(transport.sent[0]?.connectionId, 'flow-1');
    });

    it('over UDP, Timer A fires at T1, 2T1, 4T1 … and it MUST retransmit the INVITE each time, until Timer B', () => {
      const { tx, transport, clock, start } = calling('udp');
      clock.advance(64 * T1 - 1);
      // Intervals T1, 2T1, 4T1, 8T1, 16T1, 32T1: cumulative 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s.
      assert.deepEqual(transport.timesOf('INVITE', start), [0, 500, 1500, 3500, 7500, 15500, 31500]);
      assert.equal(tx.state, S.Calling);
    });

    it('over TCP, it SHOULD NOT start Timer A: the INVITE is sent once', () => {
      const { transport, clock, start } = calling('tcp');
      clock.advance(64 * T1 - 1);
      assert.deepEqual(transport.timesOf('INVITE', start), [0]);
    });

    for (const transport of ['udp', 'tcp'] as const) {
      it(`over ${transport.toUpperCase()}, Timer B fires at 64*T1 and it MUST inform the TU of a timeout, send no ACK and terminate`, () => {
        const t = calling(transport);
        t.clock.advance(64 * T1 - 1);
        assert.equal(t.user.timeouts, 0);
        t.clock.advance(1);
        assert.equal(t.user.timeouts, 1);
        assert.equal(t.tx.state, S.Terminated);
        assert.equal(t.user.terminated, 1);
        assert.ok(!t.transport.summary().includes('ACK'));
        assert.equal(t.clock.pending, 0);
      });
    }

    for (const status of [100, 180, 183]) {
      it(`upon a ${status}, it MUST pass the response to the TU, enter Proceeding and stop retransmitting`, () => {
        const { tx, user, transport, clock, invite, start } = calling('udp');
        clock.advance(T1);
        tx.receiveResponse(makeResponse(invite, status));
        assert.deepEqual(user.statuses(), [status]);
        assert.equal(tx.state, S.Proceeding);
        assert.deepEqual(tx.runningTimers, [], 'Timers A and B stop in Proceeding');
        clock.advance(200 * T1);
        assert.deepEqual(transport.timesOf('INVITE', start), [0, 500]);
        assert.equal(user.timeouts, 0, 'Timer B acts only in Calling');
      });
    }
  });

  describe('Proceeding', () => {
    it('any further provisional responses MUST be passed up to the TU', () => {
      const { tx, user, invite } = proceeding();
      for (const status of [180, 181, 182, 183]) tx.receiveResponse(makeResponse(invite, status));
      assert.deepEqual(user.statuses(), [180, 180, 181, 182, 183]);
      assert.equal(tx.state, S.Proceeding);
    });
  });

  for (const from of [S.Calling, S.Proceeding]) {
    for (const status of [200, 202]) {
      it(`in ${from}, upon a ${status}, it MUST pass the response to the TU and enter Accepted, generating no ACK (RFC 6026)`, () => {
        const t = from === S.Calling ? calling() : proceeding();
        t.transport.clear();
        t.tx.receiveResponse(makeResponse(t.invite, status));
        assert.equal(t.tx.state, S.Accepted);
        assert.equal(t.user.responses.at(-1)?.status, status);
        assert.deepEqual(t.transport.summary(), []);
      });
    }

    for (const status of [300, 404, 486, 503, 603]) {
      it(`in ${from}, upon a ${status}, it MUST pass the response to the TU, send an ACK to the same destination and enter Completed`, () => {
        const t = from === S.Calling ? calling() : proceeding();
        t.transport.clear();
        t.tx.receiveResponse(makeResponse(t.invite, status));
        assert.equal(t.tx.state, S.Completed);
        assert.equal(t.user.responses.at(-1)?.status, status);
        assert.deepEqual(t.transport.summary(), ['ACK']);
        assert.deepEqual(t.transport.sent[0]?.dest, peer('udp'));
        assert.equal(t.transport.sent[0]?.connectionId, 'flow-1');
        assert.equal(t.tx.ack, t.transport.sent[0]?.message);
      });
    }
  }

  it('over TCP too, upon a 300-699 it MUST generate an ACK ("even if the transport is reliable")', () => {
    const { tx, transport, invite } = calling('tcp');
    tx.receiveResponse(makeResponse(invite, 486));
    assert.deepEqual(transport.summary(), ['INVITE', 'ACK']);
  });

  describe('Accepted (RFC 6026)', () => {
    it('retransmitted 2xx and 2xx from other branches MUST be passed up to the TU, with no ACK', () => {
      const { tx, user, transport, invite } = proceeding();
      tx.receiveResponse(makeResponse(invite, 200, 'branch-a'));
      tx.receiveResponse(makeResponse(invite, 200, 'branch-a'));
      tx.receiveResponse(makeResponse(invite, 200, 'branch-b'));
      assert.deepEqual(user.statuses(), [180, 200, 200, 200]);
      assert.deepEqual(
        user.responses.slice(1).map((r) => r.to()?.tag),
        ['branch-a', 'branch-a', 'branch-b'],
      );
      assert.deepEqual(transport.summary(), []);
    });

    it('provisional and non-2xx responses are not passed to the TU', () => {
      const { tx, user, invite } = proceeding();
      tx.receiveResponse(makeResponse(invite, 200));
      tx.receiveResponse(makeResponse(invite, 180));
      tx.receiveResponse(makeResponse(invite, 486));
      assert.deepEqual(user.statuses(), [180, 200]);
      assert.equal(tx.state, S.Accepted);
    });

    for (const transport of ['udp', 'tcp'] as const) {
      it(`over ${transport.toUpperCase()}, Timer M fires at 64*T1 and it MUST move to Terminated`, () => {
        const t = proceeding(transport);
        t.tx.receiveResponse(makeResponse(t.invite, 200));
        t.clock.advance(64 * T1 - 1);
        assert.equal(t.tx.state, S.Accepted);
        t.clock.advance(1);
        assert.equal(t.tx.state, S.Terminated);
        assert.equal(t.user.timeouts, 0);
        assert.equal(t.clock.pending, 0);
      });
    }
  });

  describe('Completed', () => {
    it('a retransmitted final response MUST cause the ACK to be re-passed to the transport and MUST NOT be passed up to the TU', () => {
      const { tx, user, transport, invite } = proceeding();
      tx.receiveResponse(makeResponse(invite, 486));
      tx.receiveResponse(makeResponse(invite, 486));
      tx.receiveResponse(makeResponse(invite, 486));
      assert.deepEqual(transport.summary(), ['ACK', 'ACK', 'ACK']);
      assert.equal(transport.sent[1]?.message, transport.sent[0]?.message);
      assert.deepEqual(user.statuses(), [180, 486]);
    });

    it('over UDP, Timer D fires after 32 s and it MUST move to Terminated', () => {
      const { tx, clock, invite } = proceeding('udp');
      tx.receiveResponse(makeResponse(invite, 404));
      clock.advance(32_000 - 1);
      assert.equal(tx.state, S.Completed);
      clock.advance(1);
      assert.equal(tx.state, S.Terminated);
      assert.equal(clock.pending, 0);
    });

    it('Timer D follows the configured value', () => {
      const h = harness({ timerD: 40_000 });
      const invite = makeRequest();
      const tx = new InviteClientTransaction(invite, peer('udp'), new RecordingClientUser(), h.context);
      tx.receiveResponse(makeResponse(invite, 404));
      h.clock.advance(39_999);
      assert.equal(tx.state, S.Completed);
      h.clock.advance(1);
      assert.equal(tx.state, S.Terminated);
    });

    it('over TCP, Timer D is zero: it enters Terminated right after the ACK', () => {
      const { tx, user, clock, invite } = proceeding('tcp');
      tx.receiveResponse(makeResponse(invite, 404));
      assert.equal(tx.state, S.Terminated);
      assert.deepEqual(user.statuses(), [180, 404]);
      assert.equal(clock.pending, 0);
    });
  });

  describe('transport errors (§17.1.4)', () => {
    it('when sending the INVITE fails, it SHOULD inform the TU and transition directly to Terminated', async () => {
      const h = harness();
      h.transport.failNext();
      const user = new RecordingClientUser();
      const tx = new InviteClientTransaction(makeRequest(), peer('udp'), user, h.context);
      assert.equal(tx.state, S.Calling, 'the failure is reported asynchronously');
      await h.transport.settle();
      assert.equal(user.transportErrors.length, 1);
      assert.equal(tx.state, S.Terminated);
      assert.equal(user.terminated, 1);
      assert.equal(h.clock.pending, 0);
    });

    it('a send that throws synchronously is handled the same way', async () => {
      const h = harness();
      h.transport.failNext(1, true);
      const user = new RecordingClientUser();
      const tx = new InviteClientTransaction(makeRequest(), peer('tcp'), user, h.context);
      await h.transport.settle();
      assert.equal(user.transportErrors.length, 1);
      assert.equal(tx.state, S.Terminated);
    });

    it('when a retransmission by Timer A fails, the TU is informed and the transaction terminates', async () => {
      const { tx, user, transport, clock } = calling('udp');
      transport.failNext();
      clock.advance(T1);
      await transport.settle();
      assert.equal(user.transportErrors.length, 1);
      assert.equal(tx.state, S.Terminated);
      assert.equal(clock.pending, 0);
    });

    it('when sending the ACK fails in Completed, the TU is informed and the transaction terminates', async () => {
      const { tx, user, transport, clock, invite } = proceeding('udp');
      transport.failNext();
      tx.receiveResponse(makeResponse(invite, 486));
      await transport.settle();
      assert.equal(user.transportErrors.length, 1);
      assert.equal(tx.state, S.Terminated);
      assert.equal(clock.pending, 0);
    });

    it('a late failure of a retransmission after a response arrived changes nothing', async () => {
      const { tx, user, transport, clock, invite } = calling('udp');
      transport.failNext();
      clock.advance(T1);
      tx.receiveResponse(makeResponse(invite, 180));
      await transport.settle();
      assert.equal(user.transportErrors.length, 0);
      assert.equal(tx.state, S.Proceeding);
    });
  });

  it('close() terminates at once without reporting a timeout, and stops every timer', () => {
    const { tx, user, clock } = calling('udp');
    tx.close();
    tx.close();
    assert.equal(tx.state, S.Terminated);
    assert.equal(user.terminated, 1);
    assert.equal(user.timeouts, 0);
    assert.equal(clock.pending, 0);
  });

  it('a TU callback that throws does not break the machine', () => {
    const h = harness();
    const invite = makeRequest();
    const user = new RecordingClientUser();
    user.receiveResponse = () => {
      throw new Error('TU bug');
    };
    const tx = new InviteClientTransaction(invite, peer('udp'), user, h.context);
    tx.receiveResponse(makeResponse(invite, 486));
    assert.equal(tx.state, S.Completed);
    assert.deepEqual(h.transport.summary(), ['INVITE', 'ACK']);
  });

  it('the observer reports every state change', () => {
    const { tx, invite } = calling('tcp');
    const changes: string[] = [];
    tx.observer.on('stateChanged', (from, to) => changes.push(`${from}>${to}`));
    tx.receiveResponse(makeResponse(invite, 180));
    tx.receiveResponse(makeResponse(invite, 404));
    assert.deepEqual(changes, ['Calling>Proceeding', 'Proceeding>Completed', 'Completed>Terminated']);
  });

  it('refuses to carry a request that is not an INVITE', () => {
    const h = harness();
    assert.throws(
      () => new InviteClientTransaction(makeRequest({ method: 'OPTIONS' }), peer('udp'), new RecordingClientUser(), h.context),
      TypeError,
    );
  });
});
