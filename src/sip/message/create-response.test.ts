import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createResponse } from './create-response.js';
import { parseMessage } from './parse-message.js';
import { serializeMessage } from './serialize-message.js';
import { SipRequest } from './sip-request.js';
import { SipResponse } from './sip-response.js';
import { reasonPhrase } from './status-codes.js';

const bytes = Buffer.from(
  [
    'INVITE sip:bob@biloxi.example.com SIP/2.0',
    'Via: SIP/2.0/UDP proxy.atlanta.example.com;branch=z9hG4bK2d4790.1',
    'v: SIP/2.0/UDP client.atlanta.example.com:5060;branch=z9hG4bK74bf9;received=192.0.2.101',
    'Max-Forwards: 69',
    'Record-Route: <sip:proxy.atlanta.example.com;lr>',
    't: Bob <sip:bob@biloxi.example.com>',
    'From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl',
    'Call-ID: 3848276298220188511@atlanta.example.com',
    'CSeq: 2 INVITE',
    'Timestamp: 54',
    'Contact: <sip:alice@client.atlanta.example.com>',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n'),
);

function invite(): SipRequest {
  const result = parseMessage(bytes);
  assert.ok(result.ok && result.message instanceof SipRequest);
  return result.message;
}

describe('createResponse (RFC 3261 §8.2.6)', () => {
  it('copies From, Call-ID and CSeq, and every Via in order (§8.2.6.2)', () => {
    const response = createResponse(invite(), 486);
    assert.deepEqual(
      response.headers.fields().map((f) => `${f.name}: ${f.value}`),
      [
        'Via: SIP/2.0/UDP proxy.atlanta.example.com;branch=z9hG4bK2d4790.1',
        'Via: SIP/2.0/UDP client.atlanta.example.com:5060;branch=z9hG4bK74bf9;received=192.0.2.101',
        'From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl',
        'To: Bob <sip:bob@biloxi.example.com>',
        'Call-ID: 3848276298220188511@atlanta.example.com',
        'CSeq: 2 INVITE',
        'Content-Length: 0',
      ],
    );
    assert.equal(response.status, 486);
    assert.equal(response.reason, 'Busy Here');
  });

  it('adds the To tag when the request had none', () => {
    const response = createResponse(invite(), 180, undefined, { toTag: '8321234356' });
    assert.equal(response.to()?.tag, '8321234356');
  });

  it('keeps an existing To tag (an in-dialog request)', () => {
    const inDialog = invite().withHeaders((h) => h.with('To', 'Bob <sip:bob@biloxi.example.com>;tag=abc'));
    assert.equal(createResponse(inDialog, 200, 'OK', { toTag: 'other' }).to()?.tag, 'abc');
  });

  it('a 100 (Trying) copies Timestamp (§8.2.6.1); other responses do not', () => {
    assert.equal(createResponse(invite(), 100).headers.get('timestamp'), '54');
    assert.equal(createResponse(invite(), 180).headers.has('timestamp'), false);
  });

  it('adds extra headers, a body with its type, and an exact Content-Length', () => {
    const response = createResponse(invite(), 200, 'OK', {
      toTag: 'x',
      headers: [['Contact', '<sip:bob@192.0.2.4>']],
      body: 'v=0\r\n',
      contentType: 'application/sdp',
    });
    assert.equal(response.headers.get('contact'), '<sip:bob@192.0.2.4>');
    assert.equal(response.contentType(), 'application/sdp');
    assert.equal(response.headers.get('content-length'), '5');
    const result = parseMessage(serializeMessage(response));
    assert.ok(result.ok && result.message instanceof SipResponse);
    assert.equal(result.message.bodyText(), 'v=0\r\n');
  });

  it('uses the given reason phrase or the standard one', () => {
    assert.equal(createResponse(invite(), 400, 'Missing Call-ID header').reason, 'Missing Call-ID header');
    assert.equal(createResponse(invite(), 603).reason, 'Decline');
  });

  it('rejects an invalid To tag or status with TypeError', () => {
    assert.throws(() => createResponse(invite(), 200, 'OK', { toTag: 'a b' }), TypeError);
    assert.throws(() => createResponse(invite(), 700), TypeError);
  });
});

describe('reasonPhrase (RFC 3261 §21)', () => {
  for (const [status, phrase] of [
    [100, 'Trying'], [180, 'Ringing'], [200, 'OK'], [401, 'Unauthorized'], [407, 'Proxy Authentication Required'],
    [416, 'Unsupported URI Scheme'], [420, 'Bad Extension'], [481, 'Call/Transaction Does Not Exist'],
    [505, 'Version Not Supported'], [513, 'Message Too Large'], [603, 'Decline'],
  ] as const) {
    it(`${status} is "${phrase}"`, () => assert.equal(reasonPhrase(status), phrase));
  }

  it('an unregistered code gets the name of its class', () => {
    assert.equal(reasonPhrase(499), 'Client Error');
    assert.equal(reasonPhrase(199), 'Early Dialog Terminated');
    assert.equal(reasonPhrase(299), 'Success');
  });
});
