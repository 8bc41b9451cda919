import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type Socket, createSocket } from 'node:dgram';
import { FakeClock, InvalidStateError } from '../lib/index.js';
import { MediaEngine } from './engine.js';
import { PortAllocator, PortRangeExhaustedError } from './endpoint/index.js';
import type { MediaRelay, RtpTimeout } from './endpoint/index.js';
import { RtpPacket } from './rtp/index.js';

function sdp(port: number, direction = 'sendrecv', address = '127.0.0.1'): string {
  const ip = address.includes(':') ? 'IP6' : 'IP4';
  return `v=0\r\no=- 1 1 IN ${ip} ${address}\r\ns=-\r\nc=IN ${ip} ${address}\r\nt=0 0\r\nm=audio ${port} RTP/AVP 0 8\r\na=${direction}\r\n`;
}

async function udp(address = '127.0.0.1'): Promise<Socket> {
  const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  return socket;
}

/** Sends one datagram and resolves with what `to` receives (2 s guard). */
function relayOnce(from: Socket, to: Socket, packet: Buffer, port: number, address = '127.0.0.1'): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error('nothing relayed within 2 s')), 2000);
    to.once('message', (data) => {
      clearTimeout(guard);
      resolve(data);
    });
    from.send(packet, port, address);
  });
}

const packet = (seq: number): Buffer =>
  RtpPacket.create({ payloadType: 0, sequenceNumber: seq, timestamp: seq * 160, ssrc: 7, payload: Buffer.alloc(160, 0xff) }).serialize();

const engines: MediaEngine[] = [];
const sockets: Socket[] = [];
afterEach(() => {
  for (const e of engines.splice(0)) e.close();
  for (const s of sockets.splice(0)) s.close();
});
function engineWith(options: ConstructorParameters<typeof MediaEngine>[0]): MediaEngine {
  const engine = new MediaEngine(options);
  engines.push(engine);
  return engine;
}

describe('MediaEngine ports', () => {
  it('gives each leg an even RTP port with RTCP on the next odd one, inside the range', async () => {
    const engine = engineWith({ portRange: { min: 42601, max: 42620 } });
    const relay = await engine.createRelay('c');
    for (const leg of [relay.a, relay.b]) {
      assert.equal(leg.rtpPort % 2, 0);
      assert.ok(leg.rtpPort >= 42602 && leg.rtpPort + 1 <= 42620);
    }
    assert.deepEqual(engine.ports, { inUse: 2, capacity: 9, range: { min: 42601, max: 42620 } });
  });

  it('rejects with PortRangeExhaustedError naming the range when a tiny range is full', async () => {
    const engine = engineWith({ portRange: { min: 42640, max: 42643 } });
    await engine.createRelay('first');
    await assert.rejects(engine.createRelay('second'), (err: unknown) => {
      assert.ok(err instanceof PortRangeExhaustedError);
      assert.match(err.message, /no free RTP\/RTCP port pair in 42640-42643 on 127\.0\.0\.1 \(2 of 2 pairs in use by Centrala/);
      return true;
    });
    assert.equal(engine.ports.inUse, 2, 'a failed createRelay keeps nothing');
  });

  it('releases both legs\' ports on close, so the next call gets them', async () => {
    const engine = engineWith({ portRange: { min: 42650, max: 42653 } });
    const first = await engine.createRelay('first');
    const ports = [first.a.rtpPort, first.b.rtpPort].sort();
    first.close('hangup');
    assert.equal(engine.ports.inUse, 0);
    const second = await engine.createRelay('second');
    assert.deepEqual([second.a.rtpPort, second.b.rtpPort].sort(), ports);
  });

  it('skips a port pair another process holds', async () => {
    const squatter = createSocket('udp4');
    sockets.push(squatter);
    await new Promise<void>((resolve) => squatter.bind(42661, '127.0.0.1', resolve));
    const allocator = new PortAllocator({ min: 42660, max: 42663 });
    const pair = await allocator.allocate('127.0.0.1');
    assert.equal(pair.rtpPort, 42662);
    pair.rtp.close();
    pair.rtcp.close();
  });

  it('refuses a range without an even/odd pair and a bind address that is not an IP', () => {
    assert.throws(() => new PortAllocator({ min: 42671, max: 42671 }), RangeError);
    assert.throws(() => new PortAllocator({ min: 0, max: 10 }), RangeError);
    assert.throws(() => new MediaEngine({ address: 'localhost' }), TypeError);
    assert.throws(() => new MediaEngine({ address: '0.0.0.0' }), /set an advertised address/);
  });
});

describe('MediaEngine lifecycle', () => {
  it('relay.close() is idempotent and emits closed once with the reason', async () => {
    const engine = engineWith({ portRange: { min: 42680, max: 42699 } });
    const relay = await engine.createRelay('c');
    const reasons: string[] = [];
    relay.on('closed', (r) => reasons.push(r));
    relay.close('hangup');
    relay.close('again');
    assert.deepEqual(reasons, ['hangup']);
    assert.equal(relay.closed, true);
    assert.equal(relay.a.closed, true);
    assert.equal(engine.relays.size, 0);
  });

  it('offer(), answer() and rollbackOffer() after close throw InvalidStateError', async () => {
    const engine = engineWith({ portRange: { min: 42700, max: 42719 } });
    const relay = await engine.createRelay('c');
    relay.close();
    assert.throws(() => relay.a.offer(sdp(4000)), InvalidStateError);
    assert.throws(() => relay.b.answer(sdp(4000)), InvalidStateError);
    assert.throws(() => relay.rollbackOffer(), InvalidStateError);
  });

  it('engine.close() closes every relay with reason engineClosed; createRelay() then rejects', async () => {
    const engine = engineWith({ portRange: { min: 42720, max: 42739 } });
    const relays = [await engine.createRelay('1'), await engine.createRelay('2')];
    const reasons: string[] = [];
    for (const r of relays) r.on('closed', (reason) => reasons.push(reason));
    engine.close();
    assert.deepEqual(reasons, ['engineClosed', 'engineClosed']);
    assert.equal(engine.ports.inUse, 0);
    await assert.rejects(engine.createRelay('3'), InvalidStateError);
  });

  it('a listener that throws does not break close()', async () => {
    const engine = engineWith({ portRange: { min: 42740, max: 42759 } });
    const relay = await engine.createRelay('c');
    relay.on('closed', () => {
      throw new Error('listener bug');
    });
    relay.close();
    assert.equal(engine.ports.inUse, 0);
  });

  it('announces new relays on the observer', async () => {
    const engine = engineWith({ portRange: { min: 42760, max: 42779 } });
    const seen: string[] = [];
    engine.observer.on('newRelay', (r) => seen.push(r.callId));
    await engine.createRelay('call-x');
    assert.deepEqual(seen, ['call-x']);
  });
});

describe('RTP timeout (FakeClock)', () => {
  async function negotiated(clock: FakeClock, direction = 'sendrecv'): Promise<{ relay: MediaRelay; timeouts: RtpTimeout[]; alice: Socket; bob: Socket }> {
    const engine = engineWith({ portRange: { min: 42780, max: 42799 }, clock, rtpTimeoutSeconds: 30, holdTimeoutSeconds: 3600 });
    const relay = await engine.createRelay('c');
    const alice = await udp();
    const bob = await udp();
    sockets.push(alice, bob);
    const timeouts: RtpTimeout[] = [];
    relay.on('rtpTimeout', (t) => timeouts.push(t));
    assert.ok(relay.a.offer(sdp(alice.address().port, direction)).ok);
    assert.ok(relay.b.answer(sdp(bob.address().port, direction === 'sendonly' ? 'recvonly' : direction)).ok);
    return { relay, timeouts, alice, bob };
  }

  it('emits rtpTimeout after 30 s without RTP from either device, once', async () => {
    const clock = new FakeClock();
    const { timeouts } = await negotiated(clock);
    clock.advance(29_999);
    assert.equal(timeouts.length, 0);
    clock.advance(1);
    assert.equal(timeouts.length, 1);
    assert.equal(timeouts[0]?.idleMs, 30_000);
    assert.equal(timeouts[0]?.onHold, false);
    clock.advance(120_000);
    assert.equal(timeouts.length, 1);
  });

  it('counts from the last RTP packet: a packet at 20 s moves the timeout to 50 s', async () => {
    const clock = new FakeClock();
    const { relay, timeouts, alice, bob } = await negotiated(clock);
    clock.advance(20_000);
    await relayOnce(alice, bob, packet(1), relay.a.rtpPort);
    clock.advance(10_000);
    assert.equal(timeouts.length, 0);
    clock.advance(19_999);
    assert.equal(timeouts.length, 0);
    clock.advance(1);
    assert.equal(timeouts.length, 1);
  });

  it('uses the hold timeout (3600 s) while a device holds the call', async () => {
    const clock = new FakeClock();
    const { relay, timeouts } = await negotiated(clock, 'sendonly');
    assert.equal(relay.onHold, true);
    clock.advance(30_000);
    assert.equal(timeouts.length, 0);
    clock.advance(3_570_000);
    assert.equal(timeouts.length, 1);
    assert.equal(timeouts[0]?.onHold, true);
  });

  it('does not run before the first answer (a ringing call has no media yet)', async () => {
    const clock = new FakeClock();
    const engine = engineWith({ portRange: { min: 42800, max: 42819 }, clock });
    const relay = await engine.createRelay('c');
    const timeouts: RtpTimeout[] = [];
    relay.on('rtpTimeout', (t) => timeouts.push(t));
    assert.ok(relay.a.offer(sdp(4000)).ok);
    clock.advance(600_000);
    assert.equal(timeouts.length, 0);
  });

  it('stops with close: no timer is left behind', async () => {
    const clock = new FakeClock();
    const { relay, timeouts } = await negotiated(clock);
    relay.close();
    assert.equal(clock.pending, 0);
    clock.advance(60_000);
    assert.equal(timeouts.length, 0);
  });
});

describe('IPv6', () => {
  it('relays between two devices on ::1', async () => {
    const engine = engineWith({ address: '::1', portRange: { min: 42820, max: 42839 } });
    const relay = await engine.createRelay('v6');
    const alice = await udp('::1');
    const bob = await udp('::1');
    sockets.push(alice, bob);
    const offered = relay.a.offer(sdp(alice.address().port, 'sendrecv', '::1'));
    assert.ok(offered.ok);
    assert.match(offered.sdp, /c=IN IP6 ::1\r\n/);
    assert.ok(relay.b.answer(sdp(bob.address().port, 'sendrecv', '::1')).ok);
    const sent = packet(5);
    assert.deepEqual(await relayOnce(alice, bob, sent, relay.a.rtpPort, '::1'), sent);
  });

  it('binds leg B on another interface than leg A (IPv4 caller, IPv6 callee)', async () => {
    const engine = engineWith({ portRange: { min: 42840, max: 42859 } });
    const relay = await engine.createRelay('mixed', { b: { address: '::1' } });
    const alice = await udp('127.0.0.1');
    const bob = await udp('::1');
    sockets.push(alice, bob);
    const offered = relay.a.offer(sdp(alice.address().port));
    assert.ok(offered.ok);
    assert.match(offered.sdp, /c=IN IP6 ::1\r\n/);
    const answered = relay.b.answer(sdp(bob.address().port, 'sendrecv', '::1'));
    assert.ok(answered.ok);
    assert.match(answered.sdp, /c=IN IP4 127\.0\.0\.1\r\n/);
    const sent = packet(6);
    assert.deepEqual(await relayOnce(bob, alice, sent, relay.b.rtpPort, '::1'), sent);
  });
});
