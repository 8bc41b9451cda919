import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SourceLatch } from './source-latch.js';

const SDP = { address: '192.168.1.10', port: 10400 };
const NAT = { address: '203.0.113.7', port: 41002 };
const NAT2 = { address: '203.0.113.7', port: 52000 };
const ATTACKER = { address: '198.51.100.66', port: 5004 };
const SSRC = 0x11223344;

function latched(): SourceLatch {
  const latch = new SourceLatch(2000);
  latch.reset(SDP);
  assert.equal(latch.check(NAT.address, NAT.port, true, SSRC, 0), 'latched');
  return latch;
}

describe('SourceLatch: symmetric RTP latching rules', () => {
  it('sends to the SDP address until a packet arrives', () => {
    const latch = new SourceLatch();
    latch.reset(SDP);
    assert.deepEqual(latch.destination, SDP);
    assert.equal(latch.isLatched, false);
  });

  it('latches onto the source of the first acceptable packet (a device behind NAT)', () => {
    const latch = latched();
    assert.deepEqual(latch.destination, NAT);
    assert.equal(latch.isLatched, true);
  });

  it('does not latch onto a packet the caller found unacceptable (not RTP, wrong payload type)', () => {
    const latch = new SourceLatch();
    latch.reset(SDP);
    assert.equal(latch.check(ATTACKER.address, ATTACKER.port, false, 0, 0), 'drop');
    assert.equal(latch.isLatched, false);
  });

  it('forwards packets from the latched source even when its SSRC changes', () => {
    const latch = latched();
    assert.equal(latch.check(NAT.address, NAT.port, true, 0x999, 10), 'forward');
  });

  it('drops a foreign source with another SSRC, however long the latched source is silent', () => {
    const latch = latched();
    assert.equal(latch.check(ATTACKER.address, ATTACKER.port, true, 0xdead, 100), 'drop');
    assert.equal(latch.check(ATTACKER.address, ATTACKER.port, true, 0xdead, 60_000), 'drop');
    assert.deepEqual(latch.destination, NAT);
  });

  it('drops a foreign source with the latched SSRC while the latched source is alive', () => {
    const latch = latched();
    latch.check(NAT.address, NAT.port, true, SSRC, 1000);
    assert.equal(latch.check(NAT2.address, NAT2.port, true, SSRC, 2999), 'drop');
  });

  it('relatches on NAT rebinding: the latched SSRC from a new port after 2 s of silence', () => {
    const latch = latched();
    latch.check(NAT.address, NAT.port, true, SSRC, 1000);
    assert.equal(latch.check(NAT2.address, NAT2.port, true, SSRC, 3000), 'relatched');
    assert.deepEqual(latch.destination, NAT2);
    assert.equal(latch.check(NAT.address, NAT.port, true, SSRC, 3001), 'drop');
  });

  it('lets the exact SDP address take over from whatever latched first', () => {
    const latch = new SourceLatch();
    latch.reset(SDP);
    assert.equal(latch.check(ATTACKER.address, ATTACKER.port, true, 0xdead, 0), 'latched');
    assert.equal(latch.check(SDP.address, SDP.port, true, SSRC, 1), 'relatched');
    assert.deepEqual(latch.destination, SDP);
    assert.equal(latch.check(ATTACKER.address, ATTACKER.port, true, 0xdead, 5000), 'drop');
  });

  it('unlatches on a new SDP: the next packet latches afresh', () => {
    const latch = latched();
    latch.reset({ address: '10.0.0.9', port: 6000 });
    assert.equal(latch.isLatched, false);
    assert.deepEqual(latch.destination, { address: '10.0.0.9', port: 6000 });
    assert.equal(latch.check(ATTACKER.address, ATTACKER.port, true, 1, 0), 'latched');
  });

  it('has no destination when the SDP gives none (c=0.0.0.0 hold) and nothing has arrived', () => {
    const latch = new SourceLatch();
    latch.reset(undefined);
    assert.equal(latch.destination, undefined);
  });
});
