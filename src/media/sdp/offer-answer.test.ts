import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { type Direction, attributeValue, attributeValues, mediaDirection } from './attributes.js';
import { answerDirection, isOnHold, isSessionOnHold } from './direction.js';
import { G711_CAPABILITIES, acceptAnswer, negotiateAnswer, restrictOffer } from './offer-answer.js';
import { parseSdp } from './parse-sdp.js';
import { mediaCodecs } from './rtp-codecs.js';
import { serializeSdp } from './serialize-sdp.js';
import type { Origin, SessionDescription } from './session-description.js';

const sample = (name: string): SessionDescription => {
  const result = parseSdp(readFileSync(new URL(`../../../test/fixtures/sdp/${name}`, import.meta.url), 'utf8'));
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.value;
};
const sdp = (text: string): SessionDescription => {
  const result = parseSdp(text.trim().split('\n').map((l) => l.trim()).join('\r\n') + '\r\n');
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.value;
};
const origin: Origin = { username: '-', sessionId: '42', sessionVersion: 42n, netType: 'IN', addrType: 'IP4', address: '127.0.0.1' };
const transport = { origin, address: '127.0.0.1', rtpPort: (i: number) => (i === 0 ? 20000 : undefined) };

describe('restrictOffer: what the relay forwards (RFC 3264 §6.1, §8.2)', () => {
  it('keeps a baresip G.711 offer as it is', () => {
    const result = restrictOffer(sample('baresip-offer.sdp'), G711_CAPABILITIES);
    assert.ok(result.ok);
    assert.equal(serializeSdp(result.sdp), serializeSdp(sample('baresip-offer.sdp')));
    const [stream] = result.streams;
    assert.deepEqual(stream?.codecs.map((c) => c.name), ['PCMU', 'PCMA']);
    assert.equal(stream?.telephoneEvent?.payloadType, 101);
    assert.deepEqual(stream?.remote, { address: '192.168.1.10', family: 4, rtpPort: 10400, rtcpPort: 10401, rtcpAddress: '192.168.1.10' });
  });

  it('narrows a linphone offer to G.711 and telephone-event/8000, keeping its payload type numbers and order', () => {
    const result = restrictOffer(sample('linphone-offer.sdp'), G711_CAPABILITIES);
    assert.ok(result.ok);
    const [audio, video] = result.sdp.media;
    assert.deepEqual(audio?.formats, ['0', '8', '100']);
    assert.deepEqual(attributeValues(audio?.attributes ?? [], 'rtpmap'), ['100 telephone-event/8000']);
    assert.deepEqual(attributeValues(audio?.attributes ?? [], 'fmtp'), []);
    assert.deepEqual(attributeValues(audio?.attributes ?? [], 'rtcp-fb'), ['* trr-int 1000', '* ccm tmmbr']);
    // The video stream keeps its m= line (streams match by position) with port 0.
    assert.equal(video?.port, 0);
    assert.deepEqual(video?.formats, ['96', '97']);
    assert.deepEqual(video?.attributes, []);
    assert.equal(result.streams[1]?.accepted, false);
    assert.equal(attributeValue(result.sdp.attributes, 'record'), 'off');
  });

  it('drops ICE candidates, ICE credentials and a=rtcp, which name the device\'s transport', () => {
    const result = restrictOffer(sample('linphone-ice-offer.sdp'), G711_CAPABILITIES);
    assert.ok(result.ok);
    const text = serializeSdp(result.sdp);
    assert.doesNotMatch(text, /a=candidate|a=ice-|a=rtcp:/);
    assert.match(text, /m=audio 7078 RTP\/AVP 0 8 101\r\n/);
    assert.match(text, /a=fmtp:101 0-16\r\n/);
  });

  it('fails with noCommonCodec when the offer has no G.711 (the caller answers 488)', () => {
    const result = restrictOffer(sample('opus-only-offer.sdp'), G711_CAPABILITIES);
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.equal(result.reason, 'noCommonCodec');
      assert.match(result.detail, /PCMU\/PCMA/);
    }
  });

  for (const name of ['baresip-srtp-offer.sdp', 'baresip-dtls-offer.sdp', 'linphone-srtp-offer.sdp']) {
    it(`fails with unsupportedMedia for an SRTP-only offer until SRTP is terminated: ${name}`, () => {
      const result = restrictOffer(sample(name), G711_CAPABILITIES);
      assert.equal(result.ok, false);
      if (!result.ok) assert.equal(result.reason, 'unsupportedMedia');
    });
  }

  it('accepts only the first audio stream and rejects a second one', () => {
    const offer = sdp(`v=0
      o=- 1 1 IN IP4 192.0.2.1
      s=-
      c=IN IP4 192.0.2.1
      t=0 0
      m=audio 4000 RTP/AVP 0
      m=audio 4002 RTP/AVP 8`);
    const result = restrictOffer(offer, G711_CAPABILITIES);
    assert.ok(result.ok);
    assert.deepEqual(result.sdp.media.map((m) => m.port), [4000, 0]);
  });

  it('rejects a stream without a usable connection address', () => {
    const offer = sdp(`v=0
      o=- 1 1 IN IP4 192.0.2.1
      s=-
      t=0 0
      m=audio 4000 RTP/AVP 0`);
    const result = restrictOffer(offer, G711_CAPABILITIES);
    assert.equal(result.ok, false);
  });
});

describe('negotiateAnswer: Centrala answering as an endpoint (RFC 3264 §6)', () => {
  it('answers a baresip offer with G.711 + telephone-event on its own address and port', () => {
    const result = negotiateAnswer(sample('baresip-offer.sdp'), G711_CAPABILITIES, transport);
    assert.ok(result.ok);
    assert.equal(
      serializeSdp(result.sdp),
      [
        'v=0',
        'o=- 42 42 IN IP4 127.0.0.1',
        's=-',
        'c=IN IP4 127.0.0.1',
        't=0 0',
        'm=audio 20000 RTP/AVP 0 8 101',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:101 telephone-event/8000',
        'a=fmtp:101 0-15',
        'a=ptime:20',
        'a=sendrecv',
        '',
      ].join('\r\n'),
    );
  });

  it('answers linphone with one m= line per offered one: G.711 with its telephone-event PT 100, video rejected with port 0', () => {
    const result = negotiateAnswer(sample('linphone-offer.sdp'), G711_CAPABILITIES, transport);
    assert.ok(result.ok);
    const [audio, video] = result.sdp.media;
    assert.equal(result.sdp.media.length, 2);
    assert.deepEqual(audio?.formats, ['0', '8', '100']);
    assert.equal(attributeValue(audio?.attributes ?? [], 'fmtp'), '100 0-15');
    assert.equal(video?.port, 0);
    assert.ok((video?.formats.length ?? 0) >= 1, 'a rejected m= line still lists a format');
  });

  it('limits the telephone-event list to the DTMF events 0-15 when linphone offers 0-16', () => {
    const result = negotiateAnswer(sample('linphone-ice-offer.sdp'), G711_CAPABILITIES, transport);
    assert.ok(result.ok);
    assert.equal(attributeValue(result.sdp.media[0]?.attributes ?? [], 'fmtp'), '101 0-15');
  });

  it('answers without telephone-event when this side does not take it', () => {
    const result = negotiateAnswer(sample('baresip-offer.sdp'), { ...G711_CAPABILITIES, telephoneEvent: false }, transport);
    assert.ok(result.ok);
    assert.deepEqual(result.sdp.media[0]?.formats, ['0', '8']);
  });

  it('answers a hold (a=sendonly) with a=recvonly and reports the hold', () => {
    const result = negotiateAnswer(sample('baresip-hold.sdp'), G711_CAPABILITIES, transport);
    assert.ok(result.ok);
    assert.equal(mediaDirection(result.sdp.media[0] ?? assert.fail(), result.sdp), 'recvonly');
    assert.equal(result.streams[0]?.hold, true);
  });

  it('answers a resume (sendrecv again) with sendrecv', () => {
    const result = negotiateAnswer(sample('baresip-offer.sdp'), G711_CAPABILITIES, transport);
    assert.ok(result.ok);
    assert.equal(result.streams[0]?.hold, false);
    assert.equal(mediaDirection(result.sdp.media[0] ?? assert.fail(), result.sdp), 'sendrecv');
  });

  it('fails with noCommonCodec for an opus-only offer', () => {
    const result = negotiateAnswer(sample('opus-only-offer.sdp'), G711_CAPABILITIES, transport);
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.reason, 'noCommonCodec');
  });

  it('rejects a stream for which no port is available', () => {
    const result = negotiateAnswer(sample('baresip-offer.sdp'), G711_CAPABILITIES, { ...transport, rtpPort: () => undefined });
    assert.equal(result.ok, false);
  });

  it('writes IP6 in c= and o= for an IPv6 relay', () => {
    const result = negotiateAnswer(sample('baresip-offer.sdp'), G711_CAPABILITIES, { ...transport, address: '::1' });
    assert.ok(result.ok);
    assert.match(serializeSdp(result.sdp), /c=IN IP6 ::1\r\n/);
  });
});

describe('acceptAnswer: checking an answer against the offer sent', () => {
  const offer = (() => {
    const r = restrictOffer(sample('baresip-offer.sdp'), G711_CAPABILITIES);
    assert.ok(r.ok);
    return r.sdp;
  })();

  it('accepts a baresip answer choosing PCMA and reports codec, telephone-event and address', () => {
    const result = acceptAnswer(offer, sample('baresip-answer.sdp'));
    assert.ok(result.ok);
    const [stream] = result.streams;
    assert.deepEqual(stream?.codecs.map((c) => c.name), ['PCMA']);
    assert.equal(stream?.telephoneEvent?.payloadType, 101);
    assert.equal(stream?.remote?.address, '192.168.1.40');
    assert.equal(stream?.remote?.rtpPort, 12000);
  });

  it('refuses an answer with a different number of m= lines (RFC 3264 §6 MUST)', () => {
    const answer = sample('baresip-answer.sdp');
    const result = acceptAnswer(offer, { ...answer, media: [...answer.media, ...answer.media] });
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.reason, 'answerMismatch');
  });

  it('refuses an answer whose stream has another media type', () => {
    const answer = sample('baresip-answer.sdp');
    const result = acceptAnswer(offer, { ...answer, media: answer.media.map((m) => ({ ...m, type: 'video' })) });
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.reason, 'answerMismatch');
  });

  it('fails with noCommonCodec when the answer rejects the stream (port 0)', () => {
    const answer = sample('baresip-answer.sdp');
    const result = acceptAnswer(offer, { ...answer, media: answer.media.map((m) => ({ ...m, port: 0 })) });
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.reason, 'noCommonCodec');
  });

  it('drops codecs the answer adds beyond the offer and keeps the answerer\'s telephone-event number', () => {
    const answer = sdp(`v=0
      o=- 5 5 IN IP4 192.0.2.9
      s=-
      c=IN IP4 192.0.2.9
      t=0 0
      m=audio 5000 RTP/AVP 0 9 96
      a=rtpmap:9 G722/8000
      a=rtpmap:96 telephone-event/8000
      a=fmtp:96 0-15`);
    const result = acceptAnswer(offer, answer);
    assert.ok(result.ok);
    assert.deepEqual(result.sdp.media[0]?.formats, ['0', '96']);
    assert.equal(result.streams[0]?.telephoneEvent?.payloadType, 96);
    assert.deepEqual(mediaCodecs(result.sdp.media[0] ?? assert.fail()).map((c) => c.name), ['PCMU', 'telephone-event']);
  });
});

describe('directions and hold (RFC 3264 §6.1, §8.4)', () => {
  const table: [Direction, Direction, Direction][] = [
    ['sendrecv', 'sendrecv', 'sendrecv'],
    ['sendonly', 'sendrecv', 'recvonly'],
    ['recvonly', 'sendrecv', 'sendonly'],
    ['inactive', 'sendrecv', 'inactive'],
    ['sendrecv', 'sendonly', 'sendonly'],
    ['sendonly', 'sendonly', 'inactive'],
    ['recvonly', 'recvonly', 'inactive'],
  ];
  for (const [offered, local, expected] of table) {
    it(`an offer ${offered} answered by a ${local} side MUST be answered ${expected}`, () => {
      assert.equal(answerDirection(offered, local), expected);
    });
  }

  it('treats sendonly, inactive and c=0.0.0.0 as hold, and recvonly or sendrecv as not', () => {
    const held = sample('baresip-hold.sdp');
    assert.equal(isOnHold(held.media[0] ?? assert.fail(), held), true);
    assert.equal(isSessionOnHold(held), true);
    const legacy = sample('legacy-hold.sdp');
    assert.equal(isSessionOnHold(legacy), true);
    const active = sample('baresip-offer.sdp');
    assert.equal(isSessionOnHold(active), false);
    const inactive = { ...active, attributes: [{ name: 'inactive', value: undefined }], media: active.media.map((m) => ({ ...m, attributes: [] })) };
    assert.equal(isSessionOnHold(inactive), true);
    const recvonly = { ...inactive, attributes: [{ name: 'recvonly', value: undefined }] };
    assert.equal(isSessionOnHold(recvonly), false);
  });
});
