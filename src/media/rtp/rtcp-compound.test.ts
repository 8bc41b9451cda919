import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { type RtcpPacket, parseRtcpCompound, serializeRtcpCompound } from './rtcp-compound.js';
import { RtcpBye } from './rtcp-bye.js';
import { isRtcpVersion2 } from './rtcp-header.js';
import { RtcpReceiverReport } from './rtcp-receiver-report.js';
import { RtcpSenderReport } from './rtcp-sender-report.js';
import { RtcpSourceDescription, SdesItemType } from './rtcp-source-description.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../../test/fixtures/rtp/${name}`, import.meta.url));

function parseOk(name: string): RtcpPacket[] {
  const result = parseRtcpCompound(fixture(name));
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.value;
}

describe('RTCP compound packets (RFC 3550 §6)', () => {
  it('parses SR + SDES: sender info, one report block, CNAME', () => {
    const [sr, sdes, ...rest] = parseOk('rtcp-sr-sdes.bin');
    assert.equal(rest.length, 0);
    assert.ok(sr instanceof RtcpSenderReport);
    assert.equal(sr.ssrc, 0x11223344);
    assert.equal(sr.ntpSeconds, 0xe8a0b1c2);
    assert.equal(sr.ntpFraction, 0x80000000);
    assert.equal(sr.compactNtp, 0xb1c28000);
    assert.equal(sr.rtpTimestamp, 160000);
    assert.equal(sr.packetCount, 250);
    assert.equal(sr.octetCount, 40000);
    assert.deepEqual(sr.reports, [
      {
        ssrc: 0x55667788,
        fractionLost: 26,
        cumulativeLost: 258,
        highestSequence: 0x00011234,
        jitter: 32,
        lastSenderReport: 0xb1c28000,
        delaySinceLastSenderReport: 0x18000,
      },
    ]);
    assert.ok(sdes instanceof RtcpSourceDescription);
    assert.equal(sdes.cnameText, 'alice@127.0.0.1');
  });

  it('parses RR + SDES + BYE: signed cumulative loss, several SDES items, BYE reason', () => {
    const [rr, sdes, bye] = parseOk('rtcp-rr-sdes-bye.bin');
    assert.ok(rr instanceof RtcpReceiverReport);
    assert.equal(rr.ssrc, 0x55667788);
    assert.equal(rr.reports.length, 2);
    assert.equal(rr.reports[0]?.cumulativeLost, -2);
    assert.equal(rr.reports[0]?.highestSequence, 0xffff);
    assert.equal(rr.reports[1]?.fractionLost, 255);
    assert.equal(rr.reports[1]?.cumulativeLost, 0x7fffff);
    assert.ok(sdes instanceof RtcpSourceDescription);
    const items = sdes.chunks[0]?.items ?? [];
    assert.deepEqual(
      items.map((i) => [i.type, i.value.toString()]),
      [
        [SdesItemType.Cname, 'bob@host'],
        [SdesItemType.Tool, 'baresip 1.0.0'],
      ],
    );
    assert.ok(bye instanceof RtcpBye);
    assert.deepEqual(bye.sources, [0x55667788]);
    assert.equal(bye.reasonText, 'teardown');
  });

  it('keeps packet types it does not interpret (APP) as raw packets', () => {
    const [app] = parseOk('rtcp-app.bin');
    assert.equal(app?.type, 'raw');
    if (app?.type === 'raw') {
      assert.equal(app.packetType, 204);
      assert.equal(app.count, 1);
      assert.equal(app.body.subarray(4, 8).toString(), 'TEST');
    }
  });

  it('reads padding of the last packet (P bit) and keeps it', () => {
    const [bye] = parseOk('rtcp-bye-padding.bin');
    assert.ok(bye instanceof RtcpBye);
    assert.deepEqual(bye.sources, [0x11223344]);
    assert.equal(bye.reason, undefined);
    assert.deepEqual([...bye.padding], [0, 0, 0, 4]);
  });

  for (const name of ['rtcp-sr-sdes.bin', 'rtcp-rr-sdes-bye.bin', 'rtcp-app.bin', 'rtcp-bye-padding.bin']) {
    it(`serialize(parse(x)) gives back x octet for octet: ${name}`, () => {
      assert.deepEqual(serializeRtcpCompound(parseOk(name)), fixture(name));
    });
  }

  const invalid: [string, RegExp][] = [
    ['rtcp-sdes-item-truncated.bin', /item of 20 octets/],
    ['rtcp-truncated.bin', /declares 52 octets, 30 left/],
    ['rtcp-padding-not-last.bin', /padding bit set on packet at offset 0/],
    ['rtcp-rr-count-overflow.bin', /RR with 2 report blocks/],
    ['rtcp-version-1.bin', /version 1/],
  ];
  for (const [name, reason] of invalid) {
    it(`rejects ${name} with a reason naming the defect`, () => {
      const result = parseRtcpCompound(fixture(name));
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.error, reason);
    });
  }

  it('rejects an empty datagram', () => {
    assert.equal(parseRtcpCompound(Buffer.alloc(0)).ok, false);
  });

  it('builds packets from fields that serialise to the fixture', () => {
    const [sr] = parseOk('rtcp-sr-sdes.bin');
    assert.ok(sr instanceof RtcpSenderReport);
    const rebuilt = serializeRtcpCompound([
      RtcpSenderReport.create({
        ssrc: sr.ssrc,
        ntpSeconds: sr.ntpSeconds,
        ntpFraction: sr.ntpFraction,
        rtpTimestamp: sr.rtpTimestamp,
        packetCount: sr.packetCount,
        octetCount: sr.octetCount,
        reports: sr.reports,
      }),
      RtcpSourceDescription.cname(0x11223344, 'alice@127.0.0.1'),
    ]);
    assert.deepEqual(rebuilt, fixture('rtcp-sr-sdes.bin'));
  });

  it('pads SDES chunks whose items end on a 32-bit boundary with four null octets', () => {
    // ssrc(4) + item header(2) + 2 octets = 8: the end-of-items octet needs a whole new word.
    const sdes = RtcpSourceDescription.create([{ ssrc: 1, items: [{ type: 1, value: Buffer.from('ab') }] }]);
    const bytes = sdes.serialize();
    assert.equal(bytes.length, 4 + 12);
    assert.deepEqual([...bytes.subarray(12)], [0, 0, 0, 0]);
    const again = RtcpSourceDescription.parse(bytes);
    assert.ok(again.ok);
    assert.equal(again.value.cnameText, 'ab');
  });

  it('writes a BYE reason padded with nulls and reads it back', () => {
    const bytes = RtcpBye.create([1, 2], 'bye').serialize();
    assert.equal(bytes.length, 4 + 8 + 4);
    const again = RtcpBye.parse(bytes);
    assert.ok(again.ok);
    assert.deepEqual(again.value.sources, [1, 2]);
    assert.equal(again.value.reasonText, 'bye');
  });

  it('tells RTCP from RTP by version and packet type 192..223 (RFC 5761 §4)', () => {
    assert.equal(isRtcpVersion2(fixture('rtcp-sr-sdes.bin')), true);
    assert.equal(isRtcpVersion2(fixture('rtp-pcmu.bin')), false);
    assert.equal(isRtcpVersion2(fixture('rtcp-version-1.bin')), false);
  });
});
