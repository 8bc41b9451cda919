import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../lib/index.js';
import { g711Encode, generateTone } from '../codec/index.js';
import { MediaEngine } from '../engine.js';
import { RtcpReceiverReport, RtpPacket } from '../rtp/index.js';
import { parseSdp } from '../sdp/index.js';
import type { LatchChange } from './media-leg.js';
import type { MediaRelay } from './media-relay.js';
import { UdpPeer } from '../../../test/support/udp-peer.js';

function phoneSdp(o: { port: number; rtcpPort?: number; version?: number; direction?: string; formats?: string; address?: string }): string {
  const address = o.address ?? '127.0.0.1';
  const ip = address.includes(':') ? 'IP6' : 'IP4';
  const opus = o.formats === 'opus';
  return [
    'v=0',
    `o=- 4711 ${o.version ?? 1} IN ${ip} ${address}`,
    's=-',
    `c=IN ${ip} ${address}`,
    't=0 0',
    opus ? `m=audio ${o.port} RTP/AVP 111` : `m=audio ${o.port} RTP/AVP 0 8 101`,
    ...(opus ? ['a=rtpmap:111 opus/48000/2'] : ['a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-15']),
    ...(o.rtcpPort === undefined ? [] : [`a=rtcp:${o.rtcpPort}`]),
    `a=${o.direction ?? 'sendrecv'}`,
    '',
  ].join('\r\n');
}

const voice = g711Encode('PCMU', generateTone({ frequencies: [440], durationMs: 20 }));
const rtp = (ssrc: number, seq: number, payloadType = 0): Buffer =>
  RtpPacket.create({ payloadType, sequenceNumber: seq, timestamp: seq * 160, ssrc, payload: voice }).serialize();

/** The port an SDP's first m= line names. */
const sdpPort = (text: string): number => {
  const parsed = parseSdp(text);
  assert.ok(parsed.ok);
  return parsed.value.media[0]?.port ?? -1;
};

describe('MediaRelay over real UDP on 127.0.0.1', () => {
  let clock: FakeClock;
  let engine: MediaEngine;
  let relay: MediaRelay;
  let alice: UdpPeer;
  let aliceRtcp: UdpPeer;
  let bob: UdpPeer;
  let bobRtcp: UdpPeer;
  const extra: UdpPeer[] = [];

  beforeEach(async () => {
    clock = new FakeClock();
    engine = new MediaEngine({ address: '127.0.0.1', portRange: { min: 42000, max: 42399 }, clock });
    relay = await engine.createRelay('call-1');
    [alice, aliceRtcp, bob, bobRtcp] = await Promise.all([UdpPeer.open(), UdpPeer.open(), UdpPeer.open(), UdpPeer.open()]);
  });

  afterEach(() => {
    engine.close();
    for (const p of [alice, aliceRtcp, bob, bobRtcp, ...extra.splice(0)]) p.close();
  });

  /** Alice offers on leg A, Bob answers on leg B; returns the SDPs each received. */
  function negotiate(): { toBob: string; toAlice: string } {
    const offered = relay.a.offer(phoneSdp({ port: alice.port, rtcpPort: aliceRtcp.port }));
    assert.ok(offered.ok, offered.ok ? '' : offered.detail);
    const answered = relay.b.answer(phoneSdp({ port: bob.port, rtcpPort: bobRtcp.port }));
    assert.ok(answered.ok, answered.ok ? '' : answered.detail);
    return { toBob: offered.sdp, toAlice: answered.sdp };
  }

  it('gives each device the relay\'s address and its own leg\'s port in SDP', () => {
    const { toBob, toAlice } = negotiate();
    assert.equal(sdpPort(toBob), relay.b.rtpPort);
    assert.equal(sdpPort(toAlice), relay.a.rtpPort);
    assert.match(toBob, /\r\nc=IN IP4 127\.0\.0\.1\r\n/);
    assert.doesNotMatch(toBob, /a=rtcp:/);
    assert.notEqual(relay.a.rtpPort, relay.b.rtpPort);
    assert.equal(relay.a.rtpPort % 2, 0);
  });

  it('relays RTP both ways with payload bytes unchanged, from the other leg\'s port', async () => {
    negotiate();
    const fromAlice = rtp(0xa11ce, 1);
    await alice.send(fromAlice, relay.a.rtpPort);
    const atBob = await bob.next();
    assert.deepEqual(atBob.data, fromAlice);
    assert.equal(atBob.port, relay.b.rtpPort, 'symmetric RTP: sent from the port Bob sends to');

    const fromBob = rtp(0xb0b, 1, 8);
    await bob.send(fromBob, relay.b.rtpPort);
    const atAlice = await alice.next();
    assert.deepEqual(atAlice.data, fromBob);
    assert.equal(atAlice.port, relay.a.rtpPort);

    const a = relay.a.stats().rtp;
    const b = relay.b.stats().rtp;
    assert.deepEqual([a.packetsIn, a.packetsOut, b.packetsIn, b.packetsOut], [1, 1, 1, 1]);
    assert.equal(a.bytesIn, fromAlice.length);
    assert.equal(b.bytesOut, fromAlice.length);
    assert.equal(a.dropped + b.dropped, 0);
  });

  it('relays RTCP between the RTCP ports and reads the reception report', async () => {
    negotiate();
    const rr = RtcpReceiverReport.create({
      ssrc: 0xa11ce,
      reports: [{ ssrc: 0xb0b, fractionLost: 64, cumulativeLost: 3, highestSequence: 100, jitter: 12, lastSenderReport: 0, delaySinceLastSenderReport: 0 }],
    }).serialize();
    await aliceRtcp.send(rr, relay.a.rtpPort + 1);
    const atBob = await bobRtcp.next();
    assert.deepEqual(atBob.data, rr);
    assert.equal(atBob.port, relay.b.rtpPort + 1);
    assert.deepEqual(
      { ...relay.a.stats().lastReport, at: 0 },
      { fractionLost: 0.25, cumulativeLost: 3, jitter: 12, at: 0 },
    );
  });

  it('latches onto the source Alice really sends from, not the port her SDP names (NAT)', async () => {
    const natted = await UdpPeer.open();
    extra.push(natted);
    const latches: LatchChange[] = [];
    relay.observer.on('latch', (c) => latches.push(c));
    negotiate();
    // Before Alice sends anything, Bob's audio goes to the SDP address.
    await bob.send(rtp(0xb0b, 1), relay.b.rtpPort);
    assert.equal((await alice.next()).data.readUInt16BE(2), 1);
    // Alice's packets come from another port (her NAT's mapping) ...
    await natted.send(rtp(0xa11ce, 1), relay.a.rtpPort);
    await bob.next();
    assert.equal(relay.a.latched, true);
    assert.deepEqual(relay.a.remoteRtp, { address: '127.0.0.1', port: natted.port });
    // ... so Bob's audio now goes there.
    await bob.send(rtp(0xb0b, 2), relay.b.rtpPort);
    assert.equal((await natted.next()).data.readUInt16BE(2), 2);
    assert.equal(alice.queued, 0);
    assert.deepEqual(
      latches.map((l) => [l.leg, l.kind, l.verdict]),
      [
        ['b', 'rtp', 'latched'],
        ['a', 'rtp', 'latched'],
      ],
    );
  });

  it('drops packets from a third party once latched, and Bob never hears them', async () => {
    const attacker = await UdpPeer.open();
    extra.push(attacker);
    negotiate();
    await alice.send(rtp(0xa11ce, 1), relay.a.rtpPort);
    await bob.next();
    await attacker.send(rtp(0xbad, 99), relay.a.rtpPort);
    await alice.send(rtp(0xa11ce, 2), relay.a.rtpPort);
    const heard = await bob.next();
    assert.equal(heard.data.readUInt32BE(8), 0xa11ce, 'the first packet Bob gets after the attack is Alice\'s');
    assert.equal(heard.data.readUInt16BE(2), 2);
    assert.equal(relay.a.stats().rtp.dropped, 1);
    assert.deepEqual(relay.a.remoteRtp, { address: '127.0.0.1', port: alice.port });
  });

  it('relatches to a new port carrying Alice\'s SSRC after she has been silent for 2 s (NAT rebinding)', async () => {
    const rebound = await UdpPeer.open();
    extra.push(rebound);
    negotiate();
    await alice.send(rtp(0xa11ce, 1), relay.a.rtpPort);
    await bob.next();
    await rebound.send(rtp(0xa11ce, 2), relay.a.rtpPort);
    await alice.send(rtp(0xa11ce, 3), relay.a.rtpPort);
    assert.equal((await bob.next()).data.readUInt16BE(2), 3, 'too early: dropped while Alice is alive');
    clock.advance(2000);
    await rebound.send(rtp(0xa11ce, 4), relay.a.rtpPort);
    assert.equal((await bob.next()).data.readUInt16BE(2), 4);
    assert.deepEqual(relay.a.remoteRtp, { address: '127.0.0.1', port: rebound.port });
  });

  it('never relatches to a new source with a different SSRC, even after silence', async () => {
    const attacker = await UdpPeer.open();
    extra.push(attacker);
    negotiate();
    await alice.send(rtp(0xa11ce, 1), relay.a.rtpPort);
    await bob.next();
    clock.advance(60_000);
    await attacker.send(rtp(0xbad, 1), relay.a.rtpPort);
    await alice.send(rtp(0xa11ce, 2), relay.a.rtpPort);
    assert.equal((await bob.next()).data.readUInt32BE(8), 0xa11ce);
  });

  it('does not latch onto a packet with a payload type that was not negotiated', async () => {
    const attacker = await UdpPeer.open();
    extra.push(attacker);
    negotiate();
    await attacker.send(rtp(0xbad, 1, 96), relay.a.rtpPort);
    await alice.send(rtp(0xa11ce, 1), relay.a.rtpPort);
    assert.equal((await bob.next()).data.readUInt32BE(8), 0xa11ce);
    assert.deepEqual(relay.a.remoteRtp, { address: '127.0.0.1', port: alice.port });
  });

  it('lets Alice\'s exact SDP address take over from a source that latched first', async () => {
    const early = await UdpPeer.open();
    extra.push(early);
    negotiate();
    await early.send(rtp(0xbad, 1), relay.a.rtpPort);
    await bob.next();
    await alice.send(rtp(0xa11ce, 1), relay.a.rtpPort);
    await bob.next();
    assert.deepEqual(relay.a.remoteRtp, { address: '127.0.0.1', port: alice.port });
  });

  it('drops and counts packets while the other device\'s address is unknown', async () => {
    const offered = relay.a.offer(phoneSdp({ port: alice.port }));
    assert.ok(offered.ok);
    await alice.send(rtp(0xa11ce, 1), relay.a.rtpPort);
    await bob.send(rtp(0xb0b, 1), relay.b.rtpPort);
    // Bob is not negotiated yet, but his packet latches leg B and is relayed to Alice's SDP address.
    assert.equal((await alice.next()).data.readUInt32BE(8), 0xb0b);
    assert.equal(relay.a.stats().rtp.dropped, 1, 'Alice\'s first packet had nowhere to go');
  });
});

describe('MediaRelay offer/answer', () => {
  let engine: MediaEngine;
  let relay: MediaRelay;

  beforeEach(async () => {
    engine = new MediaEngine({ portRange: { min: 42400, max: 42599 }, clock: new FakeClock() });
    relay = await engine.createRelay('call-2');
  });
  afterEach(() => engine.close());

  it('refuses an offer without G.711 with noCommonCodec (→ 488), leaving no offer pending', () => {
    const result = relay.a.offer(phoneSdp({ port: 4000, formats: 'opus' }));
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.reason, 'noCommonCodec');
    assert.equal(relay.offerPending, false);
  });

  it('refuses unparseable SDP with invalidSdp (→ 400)', () => {
    const result = relay.a.offer('hello');
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.reason, 'invalidSdp');
  });

  it('refuses an answer that accepts no offered codec with noCommonCodec', () => {
    assert.ok(relay.a.offer(phoneSdp({ port: 4000 })).ok);
    const result = relay.b.answer(phoneSdp({ port: 5000, formats: 'opus' }));
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.reason, 'noCommonCodec');
  });

  it('throws InvalidStateError for an answer without an offer, a second offer (glare) and an answer from the offerer', () => {
    assert.throws(() => relay.b.answer(phoneSdp({ port: 5000 })), { name: 'InvalidStateError' });
    assert.ok(relay.a.offer(phoneSdp({ port: 4000 })).ok);
    assert.throws(() => relay.b.offer(phoneSdp({ port: 5000 })), { name: 'InvalidStateError' });
    assert.throws(() => relay.a.answer(phoneSdp({ port: 4000 })), { name: 'InvalidStateError' });
  });

  it('carries a late offer: B offers in its 2xx, A answers in the ACK', () => {
    const offered = relay.b.offer(phoneSdp({ port: 5000 }));
    assert.ok(offered.ok);
    assert.equal(sdpPort(offered.sdp), relay.a.rtpPort);
    const answered = relay.a.answer(phoneSdp({ port: 4000 }));
    assert.ok(answered.ok);
    assert.equal(sdpPort(answered.sdp), relay.b.rtpPort);
  });

  it('passes hold and resume through, bumping o= by one only when the SDP changes (RFC 3264 §8)', () => {
    const version = (text: string): bigint => {
      const p = parseSdp(text);
      assert.ok(p.ok);
      return p.value.origin.sessionVersion;
    };
    const o1 = relay.a.offer(phoneSdp({ port: 4000, version: 1 }));
    const a1 = relay.b.answer(phoneSdp({ port: 5000, version: 1 }));
    assert.ok(o1.ok && a1.ok);
    assert.equal(relay.onHold, false);
    // Session refresh: the same offer again gives the same SDP and the same version.
    const o2 = relay.a.offer(phoneSdp({ port: 4000, version: 1 }));
    const a2 = relay.b.answer(phoneSdp({ port: 5000, version: 1 }));
    assert.ok(o2.ok && a2.ok);
    assert.equal(o2.sdp, o1.sdp);
    assert.equal(version(a2.sdp), version(a1.sdp));
    // Hold.
    const o3 = relay.a.offer(phoneSdp({ port: 4000, version: 2, direction: 'sendonly' }));
    const a3 = relay.b.answer(phoneSdp({ port: 5000, version: 2, direction: 'recvonly' }));
    assert.ok(o3.ok && a3.ok);
    assert.equal(version(o3.sdp), version(o1.sdp) + 1n);
    assert.match(o3.sdp, /a=sendonly/);
    assert.match(a3.sdp, /a=recvonly/);
    assert.equal(o3.stream.hold, true);
    assert.equal(relay.onHold, true);
    // Resume.
    const o4 = relay.a.offer(phoneSdp({ port: 4000, version: 3 }));
    const a4 = relay.b.answer(phoneSdp({ port: 5000, version: 3 }));
    assert.ok(o4.ok && a4.ok);
    assert.equal(version(o4.sdp), version(o1.sdp) + 2n);
    assert.equal(relay.onHold, false);
  });

  it('rolls back a rejected re-offer: the offering leg sends to its previous address again', () => {
    assert.ok(relay.a.offer(phoneSdp({ port: 4000 })).ok);
    assert.ok(relay.b.answer(phoneSdp({ port: 5000 })).ok);
    assert.ok(relay.a.offer(phoneSdp({ port: 4100, version: 2 })).ok);
    assert.deepEqual(relay.a.remoteRtp, { address: '127.0.0.1', port: 4100 });
    relay.rollbackOffer();
    assert.equal(relay.offerPending, false);
    assert.deepEqual(relay.a.remoteRtp, { address: '127.0.0.1', port: 4000 });
  });

  it('does not send to a device that holds with c=0.0.0.0', () => {
    assert.ok(relay.a.offer(phoneSdp({ port: 4000 })).ok);
    assert.ok(relay.b.answer(phoneSdp({ port: 5000 })).ok);
    const held = phoneSdp({ port: 4000, version: 2 }).replace('c=IN IP4 127.0.0.1', 'c=IN IP4 0.0.0.0');
    const result = relay.a.offer(held);
    assert.ok(result.ok);
    assert.match(result.sdp, /\r\nm=audio \d+ RTP\/AVP 0 8 101\r\nc=IN IP4 0\.0\.0\.0\r\n/);
    assert.equal(relay.a.remoteRtp, undefined);
  });
});
