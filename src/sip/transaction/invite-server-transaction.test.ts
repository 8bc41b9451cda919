import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidStateError } from '../../lib/index.js';
import type { SipResponse } from '../message/index.js';
import { InviteServerState, InviteServerTransaction } from './invite-server-transaction.js';
import { RecordingServerUser, harness, makeRequest, makeResponse, peer } from './test-kit.js';
import type { TimerSettings } from './timer-table.js';

const T1 = 500;
const T4 = 5000;
const S = InviteServerState;

function ist(transport: 'udp' | 'tcp' = 'udp', timers: Partial<TimerSettings> = {}) {
  const h = harness(timers);
  const user = new RecordingServerUser();
  const invite = makeRequest({ via: transport === 'udp' ? 'UDP' : 'TCP' });
  const tx = new InviteServerTransaction(invite, peer(transport), user, h.context, { connectionId: 'conn-7' });
  const ack = () => makeRequest({ method: 'ACK', via: transport === 'udp' ? 'UDP' : 'TCP', toTag: 'as83kd9bs' });
  return { ...h, user, invite, tx, ack };
}

function completed(transport: 'udp' | 'tcp' = 'udp', status = 486) {
  const t = ist(transport);
  t.tx.respond(makeResponse(t.invite, status));
  t.transport.clear();
  return t;
}

function accepted(transport: 'udp' | 'tcp' = 'udp') {
  const t = ist(transport);
  t.tx.respond(makeResponse(t.invite, 200));
  t.transport.clear();
  return t;
}

describe('INVITE server transaction (RFC 3261 §17.2.1, RFC 6026)', () => {
  describe('Proceeding', () => {
    it('it MUST generate a 100 (Trying) when the TU has not answered within 200 ms, without To tag, to the source and flow', () => {
      const { tx, transport, clock, start } = ist();
      assert.equal(tx.state, S.Proceeding);
      clock.advance(199);
      assert.deepEqual(transport.summary(), []);
      clock.advance(1);
      assert.deepEqual(transport.timesOf(100, start), [200]);
      const trying = transport.sent[0]?.message as SipResponse;
      assert.equal(trying.to()?.tag, undefined);
      assert.deepEqual(transport.sent[0]?.dest, peer('udp'));
      assert.equal(transport.sent[0]?.connectionId, 'conn-7');
    });

    it('no 100 (Trying) when the TU answers within 200 ms', () => {
      const { tx, transport, clock, invite } = ist();
      clock.advance(150);
      tx.respond(makeResponse(invite, 180));
      clock.advance(1000);
      assert.deepEqual(transport.summary(), [180]);
    });

    it('with a Trying delay of 0 the 100 (Trying) goes out at once, copying Timestamp (§8.2.6.1)', () => {
      const h = harness({ tryingDelay: 0 });
      const invite = makeRequest({ headers: [['Timestamp', '54']] });
      new InviteServerTransaction(invite, peer('udp'), new RecordingServerUser(), h.context);
      assert.deepEqual(h.transport.summary(), [100]);
      assert.equal((h.transport.sent[0]?.message as SipResponse).headers.get('Timestamp'), '54');
    });

    it('provisional responses from the TU MUST be passed to the transport; they are not retransmitted by the transaction', () => {
      const { tx, transport, clock, invite } = ist();
      for (const status of [180, 181, 183]) tx.respond(makeResponse(invite, status));
      clock.advance(64 * T1);
      assert.deepEqual(transport.summary(), [180, 181, 183]);
      assert.equal(tx.state, S.Proceeding);
    });

    it('a retransmitted INVITE in Proceeding is answered with the most recent provisional response from the TU', () => {
      const { tx, transport, invite } = ist();
      tx.respond(makeResponse(invite, 180));
      tx.respond(makeResponse(invite, 183));
      transport.clear();
      tx.receiveRequest(invite);
      tx.receiveRequest(invite);
      assert.deepEqual(transport.summary(), [183, 183]);
    });

    it('a retransmitted INVITE before the TU answered is answered with 100 (Trying) at once', () => {
      const { tx, transport, clock, invite } = ist();
      clock.advance(50);
      tx.receiveRequest(invite);
      assert.deepEqual(transport.summary(), [100]);
      clock.advance(1000);
      tx.receiveRequest(invite);
      assert.deepEqual(transport.summary(), [100, 100]);
    });
  });

  describe('Accepted (RFC 6026)', () => {
    for (const status of [200, 202]) {
      it(`in Proceeding, upon a ${status} from the TU, it MUST send it and enter Accepted`, () => {
        const { tx, transport, invite } = ist();
        tx.respond(makeResponse(invite, status));
        assert.equal(tx.state, S.Accepted);
        assert.deepEqual(transport.summary(), [status]);
      });
    }

    it('the 2xx is not retransmitted by the transaction (that is the TU job, §13.3.1.4)', () => {
      const { transport, clock } = accepted('udp');
      clock.advance(64 * T1 - 1);
      assert.deepEqual(transport.summary(), []);
    });

    it('retransmissions of the INVITE are absorbed: nothing is sent and nothing reaches the TU', () => {
      const { tx, transport, user, invite } = accepted();
      tx.receiveRequest(invite);
      tx.receiveRequest(invite);
      assert.deepEqual(transport.summary(), []);
      assert.equal(user.acks.length, 0);
      assert.equal(tx.state, S.Accepted);
    });

    it('2xx responses from the TU (its retransmissions) MUST be passed to the transport', () => {
      const { tx, transport, invite } = accepted();
      tx.respond(makeResponse(invite, 200));
      tx.respond(makeResponse(invite, 200));
      assert.deepEqual(transport.summary(), [200, 200]);
    });

    it('an ACK that matches in Accepted is passed to the TU', () => {
      const { tx, user, ack } = accepted();
      const a = ack();
      tx.receiveRequest(a);
      assert.deepEqual(user.acks, [a]);
      assert.equal(tx.state, S.Accepted);
    });

    for (const status of [180, 486]) {
      it(`a ${status} from the TU after the 2xx is refused with InvalidStateError`, () => {
        const { tx, invite } = accepted();
        assert.throws(() => tx.respond(makeResponse(invite, status)), InvalidStateError);
      });
    }

    for (const transport of ['udp', 'tcp'] as const) {
      it(`over ${transport.toUpperCase()}, Timer L fires at 64*T1 and it MUST enter Terminated`, () => {
        const t = accepted(transport);
        t.clock.advance(64 * T1 - 1);
        assert.equal(t.tx.state, S.Accepted);
        t.clock.advance(1);
        assert.equal(t.tx.state, S.Terminated);
        assert.equal(t.user.terminated, 1);
        assert.equal(t.user.timeouts, 0);
        assert.equal(t.clock.pending, 0);
      });
    }
  });

  describe('Completed', () => {
    for (const status of [300, 404, 486, 500, 603]) {
      it(`upon a ${status} from the TU, it MUST send it and enter Completed`, () => {
        const { tx, transport, invite } = ist();
        tx.respond(makeResponse(invite, status));
        assert.equal(tx.state, S.Completed);
        assert.deepEqual(transport.summary(), [status]);
        assert.deepEqual(tx.runningTimers.sort(), ['G', 'H']);
      });
    }

    it('over UDP, Timer G fires at T1, 2T1, 4T1, then every T2, retransmitting the final response, until Timer H', () => {
      const { transport, clock, start } = completed('udp', 486);
      clock.advance(64 * T1 - 1);
      assert.deepEqual(transport.timesOf(486, start), [500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    });

    it('over TCP, Timer G is not set: the final response is not retransmitted', () => {
      const { transport, clock } = completed('tcp');
      clock.advance(64 * T1 - 1);
      assert.deepEqual(transport.summary(), []);
    });

    for (const transport of ['udp', 'tcp'] as const) {
      it(`over ${transport.toUpperCase()}, Timer H fires at 64*T1: it MUST enter Terminated and indicate a failure to the TU`, () => {
        const t = completed(transport);
        t.clock.advance(64 * T1 - 1);
        assert.equal(t.user.timeouts, 0);
        t.clock.advance(1);
        assert.equal(t.user.timeouts, 1);
        assert.equal(t.tx.state, S.Terminated);
        assert.equal(t.clock.pending, 0);
      });
    }

    it('a retransmitted INVITE in Completed is answered with the final response', () => {
      const { tx, transport, invite } = completed('tcp', 404);
      tx.receiveRequest(invite);
      assert.deepEqual(transport.summary(), [404]);
    });

    it('a further response from the TU is refused with InvalidStateError', () => {
      const { tx, invite } = completed();
      assert.throws(() => tx.respond(makeResponse(invite, 500)), InvalidStateError);
    });
  });

  describe('Confirmed', () => {
    it('upon an ACK in Completed, it MUST enter Confirmed and the retransmissions cease', () => {
      const { tx, transport, clock, ack } = completed('udp');
      clock.advance(T1);
      tx.receiveRequest(ack());
      assert.equal(tx.state, S.Confirmed);
      clock.advance(T4 - 1);
      assert.deepEqual(transport.summary(), [486]);
    });

    it('additional ACKs and INVITEs are absorbed', () => {
      const { tx, transport, user, invite, ack } = completed('udp');
      tx.receiveRequest(ack());
      tx.receiveRequest(ack());
      tx.receiveRequest(invite);
      assert.deepEqual(transport.summary(), []);
      assert.equal(user.acks.length, 0);
      assert.equal(tx.state, S.Confirmed);
    });

    it('over UDP, Timer I fires at T4 and it MUST enter Terminated', () => {
      const { tx, clock, ack } = completed('udp');
      tx.receiveRequest(ack());
      clock.advance(T4 - 1);
      assert.equal(tx.state, S.Confirmed);
      clock.advance(1);
      assert.equal(tx.state, S.Terminated);
      assert.equal(clock.pending, 0);
    });

    it('over TCP, Timer I is zero: the ACK terminates the transaction at once', () => {
      const { tx, user, clock, ack } = completed('tcp');
      const states: string[] = [];
      tx.observer.on('stateChanged', (_from, to) => states.push(to));
      tx.receiveRequest(ack());
      assert.deepEqual(states, [S.Confirmed, S.Terminated]);
      assert.equal(user.timeouts, 0);
      assert.equal(clock.pending, 0);
    });
  });

  describe('transport errors (§17.2.4 as updated by RFC 6026 §8.8)', () => {
    const cases: Array<[string, (t: ReturnType<typeof ist>) => void, InviteServerState]> = [
      ['Proceeding', (t) => t.tx.respond(makeResponse(t.invite, 180)), S.Proceeding],
      ['Accepted', (t) => t.tx.respond(makeResponse(t.invite, 200)), S.Accepted],
      ['Completed', (t) => t.tx.respond(makeResponse(t.invite, 486)), S.Completed],
    ];
    for (const [name, act, expected] of cases) {
      it(`in ${name}, a failed send SHOULD inform the TU and the transaction MUST remain in its state`, async () => {
        const t = ist('udp');
        t.transport.failNext();
        act(t);
        await t.transport.settle();
        assert.equal(t.user.transportErrors.length, 1);
        assert.equal(t.tx.state, expected);
      });
    }

    it('after a failed final response, a retransmitted INVITE still matches and gets the response again', async () => {
      const t = ist('tcp');
      t.transport.failNext();
      t.tx.respond(makeResponse(t.invite, 486));
      await t.transport.settle();
      t.tx.receiveRequest(t.invite);
      assert.deepEqual(t.transport.summary(), [486, 486]);
    });
  });

  it('after Terminated, respond() throws InvalidStateError', () => {
    const { tx, invite, ack } = completed('tcp');
    tx.receiveRequest(ack());
    assert.throws(() => tx.respond(makeResponse(invite, 200)), InvalidStateError);
  });

  it('close() terminates from any state without reporting a failure and leaves no timer', () => {
    const { tx, user, clock } = ist('udp');
    tx.close();
    assert.equal(tx.state, S.Terminated);
    assert.equal(user.timeouts, 0);
    assert.equal(user.terminated, 1);
    assert.equal(clock.pending, 0);
  });
});
