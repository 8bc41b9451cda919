import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import {
  attributeValue,
  attributeValues,
  mediaDirection,
  mediaPtime,
  parseCrypto,
  parseFingerprint,
  parseRtcpAttribute,
  parseRtpmap,
  parseSetup,
} from './attributes.js';
import { mediaAddress } from './media-address.js';
import { parseSdp } from './parse-sdp.js';
import { mediaCodecs } from './rtp-codecs.js';
import { serializeSdp } from './serialize-sdp.js';
import type { SessionDescription } from './session-description.js';

const dir = new URL('../../../test/fixtures/sdp/', import.meta.url);
/** Loads a sample; a checkout that turned CRLF into LF gets CRLF back so the byte comparison stays meaningful. */
const sample = (name: string): string => readFileSync(new URL(name, dir), 'utf8').replace(/\r?\n/g, '\r\n');

function parseOk(text: string): SessionDescription {
  const result = parseSdp(text);
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.value;
}

describe('parseSdp / serializeSdp (RFC 4566)', () => {
  const names = readdirSync(dir).filter((n) => n.endsWith('.sdp'));
  it('has samples to test', () => assert.ok(names.length >= 10));
  for (const name of names) {
    it(`serializeSdp(parseSdp(x)) gives back x: ${name}`, () => {
      assert.equal(serializeSdp(parseOk(sample(name))), sample(name));
    });
  }

  it('reads v, o, s, c, t and the m= line of a baresip offer', () => {
    const sdp = parseOk(sample('baresip-offer.sdp'));
    assert.equal(sdp.version, 0);
    assert.deepEqual(sdp.origin, {
      username: '-',
      sessionId: '1923638445',
      sessionVersion: 2774553498n,
      netType: 'IN',
      addrType: 'IP4',
      address: '192.168.1.10',
    });
    assert.equal(sdp.sessionName, '-');
    assert.deepEqual(sdp.connection, { netType: 'IN', addrType: 'IP4', address: '192.168.1.10' });
    assert.deepEqual(sdp.timings, [{ start: 0, stop: 0, repeats: [] }]);
    assert.equal(sdp.media.length, 1);
    const m = sdp.media[0];
    assert.ok(m);
    assert.equal(m.type, 'audio');
    assert.equal(m.port, 10400);
    assert.equal(m.protocol, 'RTP/AVP');
    assert.deepEqual(m.formats, ['0', '8', '101']);
    assert.deepEqual(m.bandwidths, [{ type: 'AS', value: 64 }]);
    assert.equal(mediaDirection(m, sdp), 'sendrecv');
    assert.equal(mediaPtime(m), 20);
    assert.equal(attributeValue(m.attributes, 'rtcp-rsize'), '');
    assert.deepEqual(
      mediaCodecs(m).map((c) => [c.payloadType, c.name, c.clockRate, c.fmtp]),
      [
        [0, 'PCMU', 8000, undefined],
        [8, 'PCMA', 8000, undefined],
        [101, 'telephone-event', 8000, '0-15'],
      ],
    );
  });

  it('reads several m= lines, session attributes, and linphone codecs with channels and fmtp', () => {
    const sdp = parseOk(sample('linphone-offer.sdp'));
    assert.deepEqual(
      sdp.media.map((m) => [m.type, m.port]),
      [
        ['audio', 7078],
        ['video', 9078],
      ],
    );
    assert.equal(attributeValue(sdp.attributes, 'record'), 'off');
    const audio = sdp.media[0];
    assert.ok(audio);
    const opus = mediaCodecs(audio)[0];
    assert.deepEqual(opus, { payloadType: 96, name: 'opus', clockRate: 48000, channels: 2, fmtp: 'useinbandfec=1' });
    // PT 18 has no rtpmap: resolved from the static table (RFC 3551).
    assert.equal(mediaCodecs(audio).find((c) => c.payloadType === 18)?.name, 'G729');
    assert.deepEqual(attributeValues(audio.attributes, 'rtcp-fb'), ['* trr-int 1000', '* ccm tmmbr']);
  });

  it('reads the RTCP port and address of RFC 3605 a=rtcp, else RTP + 1', () => {
    const ice = parseOk(sample('linphone-ice-offer.sdp'));
    assert.deepEqual(mediaAddress(ice.media[0] ?? assert.fail(), ice), {
      address: '10.0.2.15',
      family: 4,
      rtpPort: 7078,
      rtcpPort: 7079,
      rtcpAddress: '10.0.2.15',
    });
    assert.deepEqual(parseRtcpAttribute('53020 IN IP6 2001:db8::1'), {
      port: 53020,
      connection: { netType: 'IN', addrType: 'IP6', address: '2001:db8::1' },
    });
    const baresip = parseOk(sample('baresip-offer.sdp'));
    assert.equal(mediaAddress(baresip.media[0] ?? assert.fail(), baresip)?.rtcpPort, 10401);
  });

  it('preserves crypto lines and reads them (RFC 4568)', () => {
    const sdp = parseOk(sample('linphone-srtp-offer.sdp'));
    const m = sdp.media[0];
    assert.ok(m);
    const suites = attributeValues(m.attributes, 'crypto').map((v) => parseCrypto(v)?.suite);
    assert.deepEqual(suites, ['AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32', 'AES_256_CM_HMAC_SHA1_80', 'AES_256_CM_HMAC_SHA1_32']);
    assert.match(serializeSdp(sdp), /a=crypto:3 AES_256_CM_HMAC_SHA1_80 inline:Q2Yx/);
  });

  it('preserves fingerprint and setup (RFC 8122, RFC 4145) and reads them', () => {
    const sdp = parseOk(sample('baresip-dtls-offer.sdp'));
    const m = sdp.media[0];
    assert.ok(m);
    assert.equal(m.protocol, 'UDP/TLS/RTP/SAVPF');
    assert.equal(parseFingerprint(attributeValue(m.attributes, 'fingerprint') ?? '')?.hashFunction, 'sha-256');
    assert.equal(parseSetup(attributeValue(m.attributes, 'setup') ?? ''), 'actpass');
  });

  it('applies a session-level direction to media without one (RFC 3264 §5.1)', () => {
    const sdp = parseOk('v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=recvonly\r\nm=audio 4000 RTP/AVP 0\r\nm=audio 4002 RTP/AVP 0\r\na=inactive\r\n');
    assert.equal(mediaDirection(sdp.media[0] ?? assert.fail(), sdp), 'recvonly');
    assert.equal(mediaDirection(sdp.media[1] ?? assert.fail(), sdp), 'inactive');
  });

  it('accepts bare LF line ends (RFC 4566 §5) and writes CRLF', () => {
    const lf = sample('baresip-offer.sdp').replace(/\r\n/g, '\n');
    assert.equal(serializeSdp(parseOk(lf)), sample('baresip-offer.sdp'));
  });

  it('parses bytes as well as text', () => {
    const result = parseSdp(new Uint8Array(Buffer.from(sample('baresip-offer.sdp'))));
    assert.ok(result.ok);
    assert.equal(result.value.media[0]?.port, 10400);
  });

  it('keeps a very large session version exactly (bigint)', () => {
    const sdp = parseOk('v=0\r\no=- 1 18446744073709551615 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n');
    assert.equal(sdp.origin.sessionVersion, 18446744073709551615n);
  });

  const invalid: [string, string, RegExp][] = [
    ['empty', '', /empty/],
    ['not starting with v=', 'o=- 1 1 IN IP4 1.2.3.4\r\n', /first line must be v=/],
    ['an unknown type letter', 'v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nx=1\r\n', /unknown type x=/],
    ['a session-only type in a media section', 'v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nm=audio 1 RTP/AVP 0\r\nt=0 0\r\n', /not allowed in a media section/],
    ['a malformed o=', 'v=0\r\no=- 1 IN IP4 1.2.3.4\r\ns=-\r\n', /malformed o=/],
    ['a missing o=', 'v=0\r\ns=-\r\n', /missing o=/],
    ['a missing s=', 'v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\n', /missing s=/],
    ['a port above 65535', 'v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nm=audio 70000 RTP/AVP 0\r\n', /malformed m=/],
    ['a line without =', 'v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nbogus\r\n', /expected <type>=<value>/],
    ['version 1', 'v=1\r\n', /unsupported version/],
    ['a malformed c=', 'v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4\r\n', /malformed c=/],
  ];
  for (const [what, text, reason] of invalid) {
    it(`rejects an SDP with ${what}, naming the line`, () => {
      const result = parseSdp(text);
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.error, reason);
    });
  }

  it('reads rtpmap with channels and refuses payload types above 127', () => {
    assert.deepEqual(parseRtpmap('96 opus/48000/2'), { payloadType: 96, encodingName: 'opus', clockRate: 48000, parameters: '2' });
    assert.equal(parseRtpmap('200 foo/8000'), undefined);
    assert.equal(parseRtpmap('96 opus'), undefined);
  });
});
