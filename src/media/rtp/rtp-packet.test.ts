import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RtpPacket, isRtpVersion2, readRtpPayloadType, readRtpSsrc } from './rtp-packet.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../../test/fixtures/rtp/${name}`, import.meta.url));

function parseOk(name: string): RtpPacket {
  const result = RtpPacket.parse(fixture(name));
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.value;
}

describe('RtpPacket (RFC 3550 §5.1)', () => {
  it('parses a PCMU packet: marker, payload type, sequence number, timestamp, SSRC, payload', () => {
    const p = parseOk('rtp-pcmu.bin');
    assert.equal(p.version, 2);
    assert.equal(p.marker, true);
    assert.equal(p.payloadType, 0);
    assert.equal(p.sequenceNumber, 0x1234);
    assert.equal(p.timestamp, 160000);
    assert.equal(p.ssrc, 0x11223344);
    assert.deepEqual(p.csrcs, []);
    assert.equal(p.extension, undefined);
    assert.equal(p.payload.length, 160);
    assert.equal(p.payload[0], 0);
    assert.equal(p.payload[159], 159);
    assert.equal(p.padding.length, 0);
    assert.equal(p.headerSize, 12);
  });

  it('parses CSRCs and a header extension (§5.3.1) with the highest sequence number and timestamp', () => {
    const p = parseOk('rtp-csrc-extension.bin');
    assert.equal(p.marker, false);
    assert.equal(p.payloadType, 8);
    assert.equal(p.sequenceNumber, 0xffff);
    assert.equal(p.timestamp, 0xfffffff0);
    assert.equal(p.ssrc, 0xcafebabe);
    assert.deepEqual(p.csrcs, [0xaaaaaaaa, 0xbbbbbbbb]);
    assert.equal(p.extension?.profile, 0xbede);
    assert.deepEqual([...(p.extension?.data ?? [])], [0x10, 0xab, 0, 0]);
    assert.deepEqual([...p.payload], [0xd5, 0xd5, 0xd5, 0xd5]);
    assert.equal(p.headerSize, 28);
  });

  it('separates padding from the payload: the last octet counts the padding including itself', () => {
    const p = parseOk('rtp-padding.bin');
    assert.deepEqual([...p.payload], [0x7f, 0x7f, 0x7f]);
    assert.deepEqual([...p.padding], [0, 0, 0, 0, 5]);
  });

  it('parses a telephone-event packet (PT 101) with the marker on the first packet of the event', () => {
    const p = parseOk('rtp-telephone-event.bin');
    assert.equal(p.payloadType, 101);
    assert.equal(p.marker, true);
    assert.deepEqual([...p.payload], [0x05, 0x0a, 0x00, 0xa0]);
  });

  for (const name of ['rtp-pcmu.bin', 'rtp-csrc-extension.bin', 'rtp-padding.bin', 'rtp-telephone-event.bin']) {
    it(`serialize(parse(x)) gives back x octet for octet: ${name}`, () => {
      assert.deepEqual(parseOk(name).serialize(), fixture(name));
    });
  }

  const invalid: [string, RegExp][] = [
    ['rtp-truncated-header.bin', /truncated: 11 octets/],
    ['rtp-version-1.bin', /version 1/],
    ['rtp-truncated-csrc.bin', /CSRC count 3/],
    ['rtp-truncated-extension.bin', /extension of 4 words/],
    ['rtp-padding-overflow.bin', /padding count 200/],
    ['rtp-padding-zero.bin', /padding count is 0/],
  ];
  for (const [name, reason] of invalid) {
    it(`rejects ${name} with a reason naming the defect`, () => {
      const result = RtpPacket.parse(fixture(name));
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.error, reason);
    });
  }

  it('parse keeps views into the input (no copy of the payload)', () => {
    const bytes = fixture('rtp-pcmu.bin');
    const p = parseOk('rtp-pcmu.bin');
    const again = RtpPacket.parse(bytes);
    assert.ok(again.ok);
    assert.equal(again.value.payload.buffer, bytes.buffer);
    assert.equal(p.payload.byteLength, 160);
  });

  it('accepts a plain Uint8Array', () => {
    const result = RtpPacket.parse(new Uint8Array(fixture('rtp-pcmu.bin')));
    assert.ok(result.ok);
    assert.equal(result.value.sequenceNumber, 0x1234);
  });

  it('create() builds a packet that serialises to the fixture', () => {
    const p = RtpPacket.create({
      payloadType: 101,
      marker: true,
      sequenceNumber: 16,
      timestamp: 8000,
      ssrc: 0x0badcafe,
      payload: Buffer.from([0x05, 0x0a, 0x00, 0xa0]),
    });
    assert.deepEqual(p.serialize(), fixture('rtp-telephone-event.bin'));
  });

  it('with() replaces fields and keeps the rest', () => {
    const p = parseOk('rtp-csrc-extension.bin').with({ sequenceNumber: 0 });
    const q = RtpPacket.parse(p.serialize());
    assert.ok(q.ok);
    assert.equal(q.value.sequenceNumber, 0);
    assert.deepEqual(q.value.csrcs, [0xaaaaaaaa, 0xbbbbbbbb]);
  });

  it('create() refuses out-of-range fields and inconsistent padding', () => {
    const base = { payloadType: 0, sequenceNumber: 0, timestamp: 0, ssrc: 0, payload: Buffer.alloc(0) };
    assert.throws(() => RtpPacket.create({ ...base, payloadType: 128 }), RangeError);
    assert.throws(() => RtpPacket.create({ ...base, sequenceNumber: 65536 }), RangeError);
    assert.throws(() => RtpPacket.create({ ...base, ssrc: -1 }), RangeError);
    assert.throws(() => RtpPacket.create({ ...base, csrcs: new Array<number>(16).fill(1) }), RangeError);
    assert.throws(() => RtpPacket.create({ ...base, padding: Buffer.from([0, 3]) }), RangeError);
    assert.throws(() => RtpPacket.create({ ...base, extension: { profile: 1, data: Buffer.alloc(3) } }), RangeError);
  });

  it('hot-path readers see the payload type and SSRC without parsing', () => {
    const bytes = fixture('rtp-telephone-event.bin');
    assert.equal(isRtpVersion2(bytes), true);
    assert.equal(readRtpPayloadType(bytes), 101);
    assert.equal(readRtpSsrc(bytes), 0x0badcafe);
    assert.equal(isRtpVersion2(fixture('rtp-version-1.bin')), false);
    assert.equal(isRtpVersion2(fixture('rtp-truncated-header.bin')), false);
  });
});
