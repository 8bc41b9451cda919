import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Via } from './via.js';

function parse(text: string): Via {
  const via = Via.parse(text);
  assert.ok(via, `expected ${text} to parse`);
  return via;
}

describe('Via (RFC 3261 §20.42, RFC 3581)', () => {
  it('reads sent-protocol, sent-by and the branch', () => {
    const via = parse('SIP/2.0/UDP erlang.bell-telephone.com:5060;branch=z9hG4bK87asdks7');
    assert.equal(via.protocol, 'SIP/2.0');
    assert.equal(via.transport, 'UDP');
    assert.equal(via.host, 'erlang.bell-telephone.com');
    assert.equal(via.port, 5060);
    assert.equal(via.branch, 'z9hG4bK87asdks7');
  });

  it('reads received and a valueless rport (a request for it)', () => {
    const via = parse('SIP/2.0/UDP 192.0.2.1:5060 ;received=192.0.2.207;branch=z9hG4bK77asjd;rport');
    assert.equal(via.received, '192.0.2.207');
    assert.equal(via.rport, true);
  });

  it('reads rport with a value as a number', () => {
    assert.equal(parse('SIP/2.0/UDP 10.0.0.2;rport=40112;received=198.51.100.7').rport, 40112);
    assert.equal(parse('SIP/2.0/UDP 10.0.0.2').rport, undefined);
  });

  it('accepts LWS around "/", ":", ";" and "=" (RFC 4475 §3.1.1.1 wsinv)', () => {
    const via = parse('SIP  / 2.0  / TCP     spindle.example.com   ;   branch  =   z9hG4bK9ikj8');
    assert.equal(via.toString(), 'SIP/2.0/TCP spindle.example.com;branch=z9hG4bK9ikj8');
    assert.equal(parse('SIP/2.0/UDP host.example.com : 5070').port, 5070);
  });

  it('upper-cases unknown transport tokens and keeps them (RFC 4475 §3.1.1.10)', () => {
    assert.equal(parse('SIP/2.0/unknown t4.example.com;branch=z9hG4bKasd0f3en').transport, 'UNKNOWN');
    assert.equal(parse('SIP/2.0/sctp t2.example.com').transport, 'SCTP');
  });

  it('reads IPv6 sent-by and received (RFC 5118)', () => {
    const via = parse('SIP/2.0/TCP [2001:db8::9:1]:5070;branch=z9hG4bKas3-111;received=2001:db8::9:255');
    assert.equal(via.host, '[2001:db8::9:1]');
    assert.equal(via.port, 5070);
    assert.equal(via.received, '2001:db8::9:255');
  });

  it('accepts a branch that is only the magic cookie (RFC 4475 §3.2.1 badbranch)', () => {
    assert.equal(parse('SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK').branch, 'z9hG4bK');
  });

  describe('malformed values do not parse', () => {
    for (const [text, why] of [
      ['SIP/2.0/UDP 192.0.2.15;;', 'an empty parameter (RFC 4475 §3.1.2.1 badinv01)'],
      ['SIP/2.0 192.0.2.15', 'no transport'],
      ['SIP/2.0/UDP', 'no sent-by'],
      ['SIP/2.0/UDP192.0.2.15', 'no LWS before sent-by'],
      ['SIP/2.0/UDP 192.0.2.15:99999', 'a port out of range'],
      ['SIP/2.0/UDP host;received=not-an-address', 'received that is not an IP address'],
      ['SIP/2.0/UDP host;rport=abc', 'rport that is not a port'],
      ['SIP/2.0/UDP host;ttl=256', 'ttl over 255'],
      ['SIP/2.0/UDP host;branch="quoted"', 'a branch that is not a token'],
      ['SIP/2.0/UDP host extra', 'text after the value'],
    ]) {
      it(why as string, () => assert.equal(Via.parse(text as string), undefined));
    }
  });

  it('withParams sets received and rport as a server does (RFC 3261 §18.2.1, RFC 3581 §4)', () => {
    const via = parse('SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK1;rport');
    const stamped = via.withParams({ received: '198.51.100.7', rport: 40112 });
    assert.equal(stamped.toString(), 'SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK1;rport=40112;received=198.51.100.7');
    assert.equal(via.rport, true);
    assert.equal(stamped.withParams({ rport: undefined, alias: true }).toString(), 'SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK1;received=198.51.100.7;alias');
    assert.throws(() => via.withParams({ received: 'nonsense' }), TypeError);
  });

  it('Via.create builds a top Via for an outgoing request', () => {
    const via = Via.create({ transport: 'tls', host: 'pbx.example.com', port: 5061, params: { branch: 'z9hG4bKabc', rport: null } });
    assert.equal(via.toString(), 'SIP/2.0/TLS pbx.example.com:5061;branch=z9hG4bKabc;rport');
    assert.equal(via.sentBy, 'pbx.example.com:5061');
    assert.throws(() => Via.create({ transport: 'UDP', host: 'bad host' }), TypeError);
  });
});
