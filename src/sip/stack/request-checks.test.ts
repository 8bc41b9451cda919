import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage, SipRequest } from '../message/index.js';
import { checkRequest, type StackCapabilities } from './request-checks.js';
import { applyReceived } from './via-received.js';

const CAPS: StackCapabilities = { allowed: ['OPTIONS', 'REGISTER'], supported: ['path', 'outbound'], local: ['REGISTER', 'OPTIONS'] };

function req(first: string, extra: string[] = [], cseqMethod?: string, via = 'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKx'): SipRequest {
  const method = first.split(' ')[0] ?? '';
  const text = [first, `Via: ${via}`, 'From: <sip:a@b>;tag=1', 'To: <sip:c@d>', 'Call-ID: x', `CSeq: 1 ${cseqMethod ?? method}`, ...extra, 'Content-Length: 0', '', ''].join('\r\n');
  const parsed = parseMessage(Buffer.from(text));
  assert.ok(parsed.ok && parsed.message instanceof SipRequest, 'must parse');
  return parsed.message;
}

describe('checkRequest (RFC 3261 §8.2, §16.3)', () => {
  it('lets an allowed request with nothing unusual through', () => {
    assert.equal(checkRequest(req('OPTIONS sip:d SIP/2.0'), CAPS), undefined);
  });
  for (const [method, status] of [['INVITE', 405], ['MESSAGE', 405], ['NEWMETHOD', 501]] as const) {
    it(`${method} without a handler gets ${status} with Allow`, () => {
      const r = checkRequest(req(`${method} sip:d SIP/2.0`), CAPS);
      assert.equal(r?.status, status);
      assert.deepEqual(r?.headers, [['Allow', 'OPTIONS, REGISTER']]);
    });
  }
  it('a Request-URI scheme it does not understand gets 416 (§8.2.2.1)', () => {
    assert.equal(checkRequest(req('OPTIONS nobody:x SIP/2.0'), CAPS)?.status, 416);
  });
  it('unknown option tags in Require get 420 listing them in Unsupported (§8.2.2.3)', () => {
    const r = checkRequest(req('REGISTER sip:d SIP/2.0', ['Require: path, nothingweknow']), CAPS);
    assert.equal(r?.status, 420);
    assert.deepEqual(r?.headers, [['Unsupported', 'nothingweknow']]);
  });
  it('Max-Forwards 0: REGISTER/OPTIONS to the server are processed, a request to forward gets 483', () => {
    assert.equal(checkRequest(req('REGISTER sip:d SIP/2.0', ['Max-Forwards: 0']), CAPS), undefined);
    const withInvite = { ...CAPS, allowed: [...CAPS.allowed, 'INVITE'] };
    assert.equal(checkRequest(req('INVITE sip:d SIP/2.0', ['Max-Forwards: 0']), withInvite)?.status, 483);
  });
  it('a CSeq method that differs from the Request-Line method is refused with 400 (already by the parser)', () => {
    const text = ['OPTIONS sip:d SIP/2.0', 'Via: SIP/2.0/UDP h;branch=z9hG4bKx', 'From: <sip:a@b>;tag=1', 'To: <sip:c@d>', 'Call-ID: x', 'CSeq: 1 INVITE', 'Content-Length: 0', '', ''].join('\r\n');
    const parsed = parseMessage(Buffer.from(text));
    assert.ok(!parsed.ok);
    assert.equal(parsed.error.status, 400);
  });
  it('never rejects an ACK', () => {
    assert.equal(checkRequest(req('ACK sip:d SIP/2.0'), CAPS), undefined);
  });
});

describe('applyReceived (RFC 3581, RFC 3261 §18.2.1)', () => {
  const source = { transport: 'udp', address: '127.0.0.1', port: 40000, family: 4 } as const;
  it('fills rport and adds received when the top Via asks with an empty rport', () => {
    const out = applyReceived(req('OPTIONS sip:d SIP/2.0', [], undefined, 'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKx;rport'), source);
    assert.equal(out.topVia()?.rport, 40000);
    assert.equal(out.topVia()?.received, '127.0.0.1');
  });
  it('adds received when the sent-by host differs, without rport', () => {
    const out = applyReceived(req('OPTIONS sip:d SIP/2.0'), source);
    assert.equal(out.topVia()?.received, '127.0.0.1');
    assert.equal(out.topVia()?.rport, undefined);
  });
  it('leaves the request alone when the host matches and no rport is asked for', () => {
    const r = req('OPTIONS sip:d SIP/2.0', [], undefined, 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKx');
    assert.equal(applyReceived(r, source), r);
  });
  it('keeps the other Via values in order', () => {
    const r = req('OPTIONS sip:d SIP/2.0', ['Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKy'], undefined, 'SIP/2.0/UDP h1;branch=z9hG4bKx;rport');
    const vias = applyReceived(r, source).via();
    assert.deepEqual(vias.map((v) => v.host), ['h1', '10.0.0.1']);
  });
});
