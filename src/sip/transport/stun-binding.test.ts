import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isStunMessage, parseStunBindingRequest, stunBindingSuccess, STUN_BINDING_SUCCESS } from './stun-binding.js';

/** Transaction id of the RFC 5769 §2.2/§2.3 sample responses. */
const TID = Buffer.from('b7e7a701bc34d686fa87dfae', 'hex');

function bindingRequest(tid: Buffer): Buffer {
  const out = Buffer.alloc(20);
  out.writeUInt16BE(0x0001, 0);
  out.writeUInt16BE(0, 2);
  out.writeUInt32BE(0x2112a442, 4);
  tid.copy(out, 8);
  return out;
}

describe('STUN binding on the SIP UDP port (RFC 5626 §4.4.2)', () => {
  it('recognises a Binding Request and returns its transaction id', () => {
    const parsed = parseStunBindingRequest(bindingRequest(TID));
    assert.ok(parsed);
    assert.deepEqual(parsed.transactionId, TID);
  });

  it('does not take SIP, CRLF keep-alives or truncated/wrong-cookie STUN for a Binding Request', () => {
    assert.equal(isStunMessage(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\n\r\n')), false);
    assert.equal(isStunMessage(Buffer.from('\r\n\r\n')), false);
    assert.equal(isStunMessage(bindingRequest(TID).subarray(0, 19)), false);
    const badCookie = bindingRequest(TID);
    badCookie.writeUInt32BE(0x2112a443, 4);
    assert.equal(isStunMessage(badCookie), false);
    const badLength = Buffer.concat([bindingRequest(TID), Buffer.alloc(4)]);
    assert.equal(isStunMessage(badLength), false);
    const response = stunBindingSuccess(TID, { address: '192.0.2.1', port: 32853 });
    assert.equal(isStunMessage(response), true);
    assert.equal(parseStunBindingRequest(response), undefined);
  });

  it('answers with XOR-MAPPED-ADDRESS for IPv4 exactly as the RFC 5769 §2.2 sample', () => {
    const out = stunBindingSuccess(TID, { address: '192.0.2.1', port: 32853 });
    assert.equal(out.readUInt16BE(0), STUN_BINDING_SUCCESS);
    assert.equal(out.readUInt16BE(2), 12);
    assert.equal(out.readUInt32BE(4), 0x2112a442);
    assert.deepEqual(out.subarray(8, 20), TID);
    assert.equal(out.subarray(20).toString('hex'), '002000080001a147e112a643');
  });

  it('answers with XOR-MAPPED-ADDRESS for IPv6 exactly as the RFC 5769 §2.3 sample', () => {
    const out = stunBindingSuccess(TID, { address: '2001:db8:1234:5678:11:2233:4455:6677', port: 32853 });
    assert.equal(out.readUInt16BE(2), 24);
    assert.equal(out.subarray(20).toString('hex'), '002000140002a147' + '0113a9faa5d3f179bc25f4b5bed2b9d9');
  });

  it('expands compressed IPv6 before XOR-ing', () => {
    const out = stunBindingSuccess(TID, { address: '::1', port: 5060 });
    const mask = Buffer.concat([Buffer.from('2112a442', 'hex'), TID]);
    const xaddr = out.subarray(28, 44);
    const addr = Buffer.from(xaddr.map((b, i) => b ^ (mask[i] ?? 0)));
    assert.equal(addr.toString('hex'), '00000000000000000000000000000001');
  });
});
