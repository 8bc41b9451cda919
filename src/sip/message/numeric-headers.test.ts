import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseContentLength, parseDeltaSeconds, parseMaxForwards } from './numeric-headers.js';
import { MAX_CSEQ, parseCSeq } from './cseq.js';
import { parseMediaType } from './media-type.js';

describe('integer-valued headers', () => {
  it('CSeq is a sequence number and a method; leading zeros and LWS are allowed', () => {
    assert.deepEqual(parseCSeq('4711 INVITE'), { seq: 4711, method: 'INVITE' });
    assert.deepEqual(parseCSeq('  0009   INVITE '), { seq: 9, method: 'INVITE' });
    assert.deepEqual(parseCSeq(`${MAX_CSEQ} ACK`), { seq: MAX_CSEQ, method: 'ACK' });
  });

  it('the CSeq number MUST be less than 2**31 (RFC 3261 §8.1.1.5, RFC 4475 §3.1.2.4)', () => {
    assert.equal(parseCSeq('2147483648 INVITE'), undefined);
    assert.equal(parseCSeq('36893488147419103232 REGISTER'), undefined);
  });

  for (const text of ['INVITE', '1', '1INVITE', '-1 INVITE', '1 INVITE extra', '']) {
    it(`CSeq ${JSON.stringify(text)} is malformed`, () => assert.equal(parseCSeq(text), undefined));
  }

  it('Content-Length is 1*DIGIT; a negative one is malformed (RFC 4475 §3.1.2.3)', () => {
    assert.equal(parseContentLength(' 150 '), 150);
    assert.equal(parseContentLength('0'), 0);
    assert.equal(parseContentLength('-999'), undefined);
    assert.equal(parseContentLength('12a'), undefined);
    assert.equal(parseContentLength(''), undefined);
    assert.ok((parseContentLength('99999999999999999999') ?? 0) > 2 ** 32 - 1);
  });

  it('Max-Forwards is an integer in 0–255 (RFC 3261 §8.1.1.6)', () => {
    assert.equal(parseMaxForwards('0068'), 68);
    assert.equal(parseMaxForwards('0'), 0);
    assert.equal(parseMaxForwards('255'), 255);
    assert.equal(parseMaxForwards('256'), undefined);
    assert.equal(parseMaxForwards('seventy'), undefined);
  });

  it('expiry values larger than 2**32-1 are treated as 2**32-1 and malformed ones as 3600 (RFC 3261 §10.2.1.1)', () => {
    assert.equal(parseDeltaSeconds('3600'), 3600);
    assert.equal(parseDeltaSeconds('10000000000000000000000000000000000000000'), 2 ** 32 - 1);
    assert.equal(parseDeltaSeconds('Thu, 01 Dec 1994 16:00:00 GMT'), 3600);
  });

  it('a media type is lower-cased type/subtype with parameters', () => {
    const parsed = parseMediaType('multipart/MIXED;boundary=7a9cbec02ceef655');
    assert.equal(parsed?.mediaType, 'multipart/mixed');
    assert.equal(parsed?.params.get('boundary'), '7a9cbec02ceef655');
    assert.equal(parseMediaType('application'), undefined);
    assert.equal(parseMediaType('application/sdp extra'), undefined);
  });
});
