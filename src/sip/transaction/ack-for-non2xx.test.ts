import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ackForNon2xx } from './ack-for-non2xx.js';
import { makeRequest, makeResponse } from './test-kit.js';

describe('ACK for a non-2xx final response (RFC 3261 §17.1.1.3)', () => {
  const invite = makeRequest({
    uri: 'sip:bob@biloxi.example.com',
    cseq: 314159,
    headers: [
      ['Via', 'SIP/2.0/UDP proxy.example.com;branch=z9hG4bKproxy'],
      ['Route', '<sip:p1.example.com;lr>, <sip:p2.example.com;lr>'],
      ['Contact', '<sip:alice@pc33.example.com>'],
      ['Content-Type', 'application/sdp'],
    ],
  }).withBody('v=0\r\n');
  const response = makeResponse(invite, 486, 'callee-tag');
  const ack = ackForNon2xx(invite, response);

  it('has the method ACK and the Request-URI of the original request', () => {
    assert.equal(ack.method, 'ACK');
    assert.ok(ack.uri.equals(invite.uri));
  });

  it('MUST carry the Call-ID and From of the original request', () => {
    assert.equal(ack.headers.get('Call-ID'), invite.headers.get('Call-ID'));
    assert.equal(ack.headers.get('From'), invite.headers.get('From'));
  });

  it('MUST carry the To of the response being acknowledged, with its tag', () => {
    assert.equal(ack.headers.get('To'), response.headers.get('To'));
    assert.equal(ack.to()?.tag, 'callee-tag');
  });

  it('MUST contain a single Via, equal to the top Via of the original request', () => {
    assert.deepEqual(ack.headers.getAll('Via'), [invite.headers.getAll('Via')[0]]);
    assert.equal(ack.topVia()?.branch, 'z9hG4bK74bf9');
  });

  it('MUST have the CSeq number of the original request with the method ACK', () => {
    assert.deepEqual({ ...ack.cseq() }, { seq: 314159, method: 'ACK' });
  });

  it('MUST contain the Route header fields of the INVITE', () => {
    assert.deepEqual(ack.headers.getAll('Route'), ['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
  });

  it('carries Max-Forwards and no body, Contact or Content-Type', () => {
    assert.equal(ack.headers.get('Max-Forwards'), '70');
    assert.equal(ack.body.length, 0);
    assert.equal(ack.headers.has('Contact'), false);
    assert.equal(ack.headers.has('Content-Type'), false);
  });
});
