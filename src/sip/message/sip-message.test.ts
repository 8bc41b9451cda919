import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from './parse-message.js';
import { SipRequest } from './sip-request.js';
import { SipResponse } from './sip-response.js';

function parsedRequest(text: string): SipRequest {
  const result = parseMessage(Buffer.from(text));
  assert.ok(result.ok && result.message instanceof SipRequest);
  return result.message;
}

const OPTIONS = [
  'OPTIONS sip:bob@example.com SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK74bf9',
  'Max-Forwards: 70',
  'From: "Alice" <sip:alice@example.com>;tag=9fxced76sl',
  'To: <sip:bob@example.com>',
  'Call-ID: 3848276298220188511@atlanta.example.com',
  'CSeq: 1 OPTIONS',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');

describe('SipRequest and SipResponse built in code', () => {
  it('typed accessors parse lazily and tolerate malformed values', () => {
    const message = SipRequest.create({
      method: 'OPTIONS',
      uri: 'sip:bob@example.com',
      headers: [
        ['Via', 'SIP/2.0/UDP a.example.com;branch=z9hG4bK1, garbage'],
        ['From', 'not an address'],
        ['CSeq', 'x'],
        ['Expires', 'soon'],
        ['Contact', '<sip:a@example.com>, bad'],
      ],
    });
    assert.equal(message.via().length, 1);
    assert.equal(message.from(), undefined);
    assert.equal(message.to(), undefined);
    assert.equal(message.cseq(), undefined);
    assert.equal(message.expires(), 3600);
    assert.equal(message.contentType(), undefined);
    const contacts = message.contacts();
    assert.ok(Array.isArray(contacts) && contacts.length === 1);
  });

  it('withBody sets Content-Length and Content-Type; withHeaders and withUri return new requests', () => {
    const original = parsedRequest(OPTIONS);
    const withBody = original.withBody('v=0\r\n', 'application/sdp');
    assert.equal(withBody.headers.get('content-length'), '5');
    assert.equal(withBody.contentType(), 'application/sdp');
    assert.equal(original.body.length, 0);
    assert.equal(withBody.withBody(new Uint8Array(0)).headers.has('content-type'), false);
    const rerouted = original.withUri(original.uri.with({ host: 'other.example.com' }));
    assert.equal(rerouted.uri.host, 'other.example.com');
    assert.equal(original.uri.host, 'example.com');
    const fewer = original.withHeaders((h) => h.without('max-forwards'));
    assert.equal(fewer.maxForwards(), undefined);
    assert.equal(original.maxForwards(), 70);
  });

  it('SipRequest.create and SipResponse.create refuse invalid start lines with TypeError', () => {
    assert.throws(() => SipRequest.create({ method: 'BAD METHOD', uri: 'sip:a@example.com' }), TypeError);
    assert.throws(() => SipRequest.create({ method: 'OPTIONS', uri: '<sip:a@example.com>' }), TypeError);
    assert.throws(() => SipResponse.create({ status: 99 }), TypeError);
    assert.throws(() => SipResponse.create({ status: 200, reason: 'OK\r\nVia: x' }), TypeError);
    assert.equal(SipResponse.create({ status: 486 }).reason, 'Busy Here');
    assert.equal(SipResponse.create({ status: 200 }).withStatus(603).reason, 'Decline');
  });
});
