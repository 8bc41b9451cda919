import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SdpOriginKeeper } from './origin-keeper.js';
import { parseSdp } from './parse-sdp.js';
import { rewriteTransport } from './rewrite-transport.js';
import { serializeSdp } from './serialize-sdp.js';
import type { SessionDescription } from './session-description.js';

const sample = (name: string): SessionDescription => {
  const result = parseSdp(readFileSync(new URL(`../../../test/fixtures/sdp/${name}`, import.meta.url), 'utf8'));
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.value;
};
const relay = { address: '203.0.113.5', rtpPort: (i: number) => (i === 0 ? 20002 : undefined) };

describe('rewriteTransport: media through the relay', () => {
  it('puts the relay\'s address in c= and its port in m=, leaving everything else', () => {
    const out = serializeSdp(rewriteTransport(sample('baresip-offer.sdp'), relay));
    const expected = serializeSdp(sample('baresip-offer.sdp'))
      .replace('c=IN IP4 192.168.1.10', 'c=IN IP4 203.0.113.5')
      .replace('m=audio 10400', 'm=audio 20002');
    assert.equal(out, expected);
  });

  it('removes media-level c= and a=rtcp (RFC 3605), whose addresses are the device\'s', () => {
    const sdp = sample('linphone-ice-offer.sdp');
    const withMediaC = { ...sdp, media: sdp.media.map((m) => ({ ...m, connection: sdp.connection })) };
    const out = rewriteTransport(withMediaC, relay);
    assert.equal(out.media[0]?.connection, undefined);
    assert.ok(!(out.media[0]?.attributes ?? []).some((a) => a.name === 'rtcp'));
  });

  it('sets port 0 on streams the relay does not carry', () => {
    const out = rewriteTransport(sample('linphone-offer.sdp'), relay);
    assert.deepEqual(out.media.map((m) => m.port), [20002, 0]);
  });

  it('keeps a c=0.0.0.0 hold at media level so that the hold reaches the other party', () => {
    const out = rewriteTransport(sample('legacy-hold.sdp'), relay);
    assert.equal(out.connection?.address, '203.0.113.5');
    assert.equal(out.media[0]?.connection?.address, '0.0.0.0');
  });

  it('writes IN IP6 for an IPv6 relay address', () => {
    const out = serializeSdp(rewriteTransport(sample('baresip-offer.sdp'), { ...relay, address: '2001:db8::5' }));
    assert.match(out, /\r\nc=IN IP6 2001:db8::5\r\n/);
  });

  it('refuses a relay address that is not an IP literal (a bug in the caller)', () => {
    assert.throws(() => rewriteTransport(sample('baresip-offer.sdp'), { ...relay, address: 'relay.example' }), TypeError);
  });
});

describe('SdpOriginKeeper: o= across re-offers (RFC 3264 §8)', () => {
  it('replaces the device\'s o= with the relay\'s own session', () => {
    const keeper = new SdpOriginKeeper({ address: '203.0.113.5', sessionId: '1000' });
    const out = keeper.stamp(sample('baresip-offer.sdp'));
    assert.deepEqual(out.origin, { username: '-', sessionId: '1000', sessionVersion: 1000n, netType: 'IN', addrType: 'IP4', address: '203.0.113.5' });
  });

  it('keeps the version when the SDP is unchanged (a session refresh is a no-op)', () => {
    const keeper = new SdpOriginKeeper({ address: '203.0.113.5', sessionId: '1000' });
    keeper.stamp(sample('baresip-offer.sdp'));
    assert.equal(keeper.stamp(sample('baresip-offer.sdp')).origin.sessionVersion, 1000n);
  });

  it('increments by exactly one on every change, also when the content returns to an earlier one', () => {
    const keeper = new SdpOriginKeeper({ address: '203.0.113.5', sessionId: '1000' });
    const versions = ['baresip-offer.sdp', 'baresip-hold.sdp', 'baresip-hold.sdp', 'baresip-offer.sdp', 'legacy-hold.sdp'].map(
      (name) => keeper.stamp(sample(name)).origin.sessionVersion,
    );
    assert.deepEqual(versions, [1000n, 1001n, 1001n, 1002n, 1003n]);
  });

  it('ignores a change of the device\'s own o= version when nothing else changed', () => {
    const keeper = new SdpOriginKeeper({ address: '203.0.113.5', sessionId: '7' });
    const offer = sample('baresip-offer.sdp');
    keeper.stamp(offer);
    const bumped = { ...offer, origin: { ...offer.origin, sessionVersion: offer.origin.sessionVersion + 1n } };
    assert.equal(keeper.stamp(bumped).origin.sessionVersion, 7n);
  });

  it('generates a numeric session id when none is given, and writes IP6 for an IPv6 address', () => {
    const keeper = new SdpOriginKeeper({ address: '::1' });
    assert.match(keeper.origin.sessionId, /^\d+$/);
    assert.equal(keeper.origin.addrType, 'IP6');
  });
});
