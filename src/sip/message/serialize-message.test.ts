import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { serializeMessage } from './serialize-message.js';
import { parseMessage } from './parse-message.js';
import { SipRequest } from './sip-request.js';
import { SipResponse } from './sip-response.js';
import { NameAddr } from './name-addr.js';
import { Via } from './via.js';
import { canonicalHeaderName } from './compact-forms.js';

const invite = SipRequest.create({
  method: 'INVITE',
  uri: 'sip:bob@biloxi.example.com',
  headers: [
    ['Via', Via.create({ transport: 'UDP', host: 'client.atlanta.example.com', port: 5060, params: { branch: 'z9hG4bKnashds8' } }).toString()],
    ['Max-Forwards', '70'],
    ['To', 'Bob <sip:bob@biloxi.example.com>'],
    ['f', NameAddr.create({ displayName: 'Alice', uri: 'sip:alice@atlanta.example.com' }).withParam('tag', '1928301774').toString()],
    ['call-id', 'a84b4c76e66710'],
    ['cseq', '314159 INVITE'],
    ['Contact', '<sip:alice@client.atlanta.example.com>'],
    ['Content-Type', 'application/sdp'],
  ],
  body: 'v=0\r\no=alice 2890844526 2890844526 IN IP4 client.atlanta.example.com\r\n',
});

describe('serializeMessage (RFC 3261 §7)', () => {
  it('writes the start line, canonical "Name: value" lines, an exact Content-Length, CRLF and the body', () => {
    const text = serializeMessage(invite).toString('utf8');
    assert.equal(
      text,
      [
        'INVITE sip:bob@biloxi.example.com SIP/2.0',
        'Via: SIP/2.0/UDP client.atlanta.example.com:5060;branch=z9hG4bKnashds8',
        'Max-Forwards: 70',
        'To: Bob <sip:bob@biloxi.example.com>',
        'From: "Alice" <sip:alice@atlanta.example.com>;tag=1928301774',
        'Call-ID: a84b4c76e66710',
        'CSeq: 314159 INVITE',
        'Contact: <sip:alice@client.atlanta.example.com>',
        'Content-Type: application/sdp',
        'Content-Length: 70',
        '',
        'v=0\r\no=alice 2890844526 2890844526 IN IP4 client.atlanta.example.com\r\n',
      ].join('\r\n'),
    );
  });

  it('replaces a stale Content-Length in place and drops duplicates', () => {
    const stale = invite.withHeaders((h) => h.with('Content-Length', '9999').append('l', '1'));
    const lines = serializeMessage(stale).toString('utf8').split('\r\n');
    assert.deepEqual(lines.filter((l) => l.startsWith('Content-Length')), ['Content-Length: 70']);
    assert.equal(lines.indexOf('Content-Length: 70'), 9);
  });

  it('counts Content-Length in octets, not characters', () => {
    const message = SipResponse.create({ status: 200, headers: [['Content-Type', 'text/plain']], body: 'zażółć' });
    assert.match(serializeMessage(message).toString('utf8'), /Content-Length: 10\r\n\r\nzażółć$/);
  });

  it('writes Content-Length: 0 for a message without body', () => {
    const text = serializeMessage(SipResponse.create({ status: 100 })).toString('utf8');
    assert.equal(text, 'SIP/2.0 100 Trying\r\nContent-Length: 0\r\n\r\n');
  });

  it('round trip: parse(serialize(m)) equals m', () => {
    const result = parseMessage(serializeMessage(invite));
    assert.ok(result.ok && result.message instanceof SipRequest);
    const back = result.message;
    assert.equal(back.method, invite.method);
    assert.ok(back.uri.equals(invite.uri));
    const lines = (m: SipRequest): string[][] =>
      m.headers
        .fields()
        .filter((f) => canonicalHeaderName(f.name) !== 'Content-Length')
        .map((f) => [canonicalHeaderName(f.name), f.value]);
    assert.deepEqual(lines(back), lines(invite));
    assert.deepEqual(Buffer.from(back.body), Buffer.from(invite.body));
    assert.deepEqual(serializeMessage(back), serializeMessage(invite));
  });

  it('toString() gives the wire form as text', () => {
    assert.ok(invite.toString().startsWith('INVITE sip:bob@biloxi.example.com SIP/2.0\r\nVia: '));
  });
});
