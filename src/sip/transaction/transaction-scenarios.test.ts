/**
 * Two transaction layers (alice, the UAC side, and bob, the UAS side) over an in-memory wire that
 * serialises and parses every message, delays it by 10 ms on the fake clock and can lose chosen
 * messages (STYLE principle 14).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, silentLogger } from '../../lib/index.js';
import { SipRequest, parseMessage, serializeMessage, type SipResponse } from '../message/index.js';
import { RecordingClientUser, RecordingServerUser, makeRequest, makeResponse } from './test-kit.js';
import { newBranch } from './transaction-key.js';
import { TransactionLayer, type ServerTransaction } from './transaction-layer.js';
import type { TransactionAddress, TransactionTransport } from './types.js';

const LATENCY = 10;
const T1 = 500;

type Label = string;

function label(message: SipRequest | SipResponse): Label {
  return message instanceof SipRequest ? message.method : `${message.status} ${message.cseq()?.method ?? ''}`;
}

/** One side of the wire: a transport for its layer, and what the side's TUs saw. */
class Side implements TransactionTransport {
  readonly layer: TransactionLayer;
  readonly address: TransactionAddress;
  /** New requests the layer did not match (passed to the TU with their server transaction). */
  readonly newRequests: Array<{ request: SipRequest; transaction: ServerTransaction }> = [];
  /** ACKs the layer did not match (ACKs for 2xx, for the TU). */
  readonly strayAcks: SipRequest[] = [];
  /** How the UAS TU answers a new request. */
  answer: (transaction: ServerTransaction, request: SipRequest) => void = () => undefined;
  peer: Side | undefined;
  readonly #wire: Wire;

  constructor(wire: Wire, name: string, transport: string) {
    this.#wire = wire;
    this.address = { transport, address: '127.0.0.1', port: name === 'alice' ? 5060 : 5070 };
    this.layer = new TransactionLayer({ transport: this, clock: wire.clock, logger: silentLogger() });
  }

  send(message: SipRequest | SipResponse): Promise<void> {
    this.#wire.carry(this, message);
    return Promise.resolve();
  }

  isReliable(transport: string): boolean {
    return transport !== 'udp';
  }

  /** What the stack does with bytes from the wire. */
  receive(bytes: Buffer, from: TransactionAddress): void {
    const parsed = parseMessage(bytes);
    assert.ok(parsed.ok, 'the wire carries valid messages');
    const message = parsed.message;
    if (!(message instanceof SipRequest)) {
      this.layer.receiveResponse(message);
      return;
    }
    if (this.layer.receiveRequest(message).matched) return;
    if (message.method === 'ACK') {
      this.strayAcks.push(message);
      return;
    }
    const transaction = this.layer.createServerTransaction(message, from, new RecordingServerUser());
    this.newRequests.push({ request: message, transaction });
    this.answer(transaction, message);
  }
}

class Wire {
  readonly clock = new FakeClock();
  readonly start = this.clock.now();
  readonly alice: Side;
  readonly bob: Side;
  /** Every message put on the wire, with `lost` for the ones dropped. */
  readonly log: string[] = [];
  readonly #lose = new Map<Label, number>();

  constructor(transport = 'udp') {
    this.alice = new Side(this, 'alice', transport);
    this.bob = new Side(this, 'bob', transport);
    this.alice.peer = this.bob;
    this.bob.peer = this.alice;
  }

  /** Loses the next `count` messages with this label (`INVITE`, `486 INVITE` …). */
  lose(what: Label, count = 1): void {
    this.#lose.set(what, count);
  }

  carry(from: Side, message: SipRequest | SipResponse): void {
    const what = label(message);
    const lost = (this.#lose.get(what) ?? 0) > 0;
    if (lost) this.#lose.set(what, (this.#lose.get(what) ?? 0) - 1);
    const direction = from === this.alice ? '→' : '←';
    this.log.push(`${this.clock.now() - this.start} ${direction} ${what}${lost ? ' (lost)' : ''}`);
    if (lost) return;
    const bytes = serializeMessage(message);
    const to = from.peer;
    assert.ok(to);
    this.clock.setTimeout(() => to.receive(bytes, from.address), LATENCY);
  }

  /** Both tables empty and no timer left anywhere. */
  assertQuiet(): void {
    for (const side of [this.alice, this.bob]) {
      assert.equal(side.layer.clientCount, 0);
      assert.equal(side.layer.serverCount, 0);
    }
    assert.equal(this.clock.pending, 0);
  }
}

function invite(transport = 'UDP' as 'UDP' | 'TCP') {
  return makeRequest({ branch: newBranch(), via: transport, sentBy: '127.0.0.1:5060' });
}

describe('alice and bob over an in-memory wire', () => {
  it('over UDP, a lost INVITE and a lost 486 are recovered by Timers A and G, and the ACK confirms', () => {
    const wire = new Wire('udp');
    wire.lose('INVITE');
    wire.lose('486 INVITE');
    wire.bob.answer = (tx, request) => tx.respond(makeResponse(request, 486));
    const user = new RecordingClientUser();
    wire.alice.layer.sendRequest(invite(), wire.bob.address, user);
    // Alice's Timer D (32 s) runs from the 486 at 1020 ms.
    wire.clock.advance(1020 + 32_000);
    assert.deepEqual(wire.log, [
      '0 → INVITE (lost)',
      '500 → INVITE',
      '510 ← 486 INVITE (lost)',
      '1010 ← 486 INVITE',
      '1020 → ACK',
    ]);
    assert.deepEqual(user.statuses(), [486]);
    assert.equal(wire.bob.newRequests.length, 1);
    wire.assertQuiet();
  });

  it('over UDP, a 2xx is passed up, the UAC TU ACKs it outside the transaction, and a late INVITE copy is absorbed by Accepted', () => {
    const wire = new Wire('udp');
    const request = invite();
    wire.bob.answer = (tx, r) => wire.clock.setTimeout(() => tx.respond(makeResponse(r, 200)), 300);
    const user = new RecordingClientUser();
    user.receiveResponse = (response) => {
      user.responses.push(response);
      if (response.status === 200) {
        // §13.2.2.4: the UAC core sends the ACK for a 2xx itself, in a new transaction (new branch).
        const ack = makeRequest({ method: 'ACK', branch: newBranch(), sentBy: '127.0.0.1:5060', toTag: response.to()?.tag });
        void wire.alice.send(ack);
      }
    };
    wire.alice.layer.sendRequest(request, wire.bob.address, user);
    wire.clock.advance(400);
    // A copy of the INVITE that a network delayed arrives at bob after the 2xx.
    wire.bob.receive(serializeMessage(request), wire.alice.address);
    wire.clock.advance(64 * T1 + 1000);
    assert.deepEqual(wire.log, ['0 → INVITE', '210 ← 100 INVITE', '310 ← 200 INVITE', '320 → ACK']);
    assert.deepEqual(user.statuses(), [100, 200]);
    assert.equal(wire.bob.newRequests.length, 1, 'the late copy did not reach the TU as a new INVITE');
    assert.equal(wire.bob.strayAcks.length, 1, 'the ACK for the 2xx went to the TU');
    wire.assertQuiet();
  });

  it('over UDP, a lost 200 to OPTIONS is recovered: the retransmitted request gets the final response again', () => {
    const wire = new Wire('udp');
    wire.lose('200 OPTIONS');
    wire.bob.answer = (tx, request) => tx.respond(makeResponse(request, 200));
    const user = new RecordingClientUser();
    const options = makeRequest({ method: 'OPTIONS', branch: newBranch(), sentBy: '127.0.0.1:5060' });
    wire.alice.layer.sendRequest(options, wire.bob.address, user);
    wire.clock.advance(64 * T1 + 1000);
    assert.deepEqual(wire.log, ['0 → OPTIONS', '10 ← 200 OPTIONS (lost)', '500 → OPTIONS', '510 ← 200 OPTIONS']);
    assert.deepEqual(user.statuses(), [200]);
    assert.equal(wire.bob.newRequests.length, 1);
    wire.assertQuiet();
  });

  it('over TCP, nothing is retransmitted and both transactions end as soon as they complete', () => {
    const wire = new Wire('tcp');
    wire.bob.answer = (tx, request) => tx.respond(makeResponse(request, 603));
    const user = new RecordingClientUser();
    wire.alice.layer.sendRequest(invite('TCP'), wire.bob.address, user);
    wire.clock.advance(100);
    assert.deepEqual(wire.log, ['0 → INVITE', '10 ← 603 INVITE', '20 → ACK']);
    assert.deepEqual(user.statuses(), [603]);
    wire.assertQuiet();
  });
});
