import { type ParseResult, parseError, parsed } from '../parse-result.js';
import { RtcpPacketType, joinRtcpPacket, splitRtcpPacket } from './rtcp-header.js';
import { REPORT_BLOCK_SIZE, type RtcpReportBlock, readReportBlock, writeReportBlock } from './rtcp-report-block.js';

/*
 * RFC 3550 §6.4.1, SR: Sender Report RTCP packet:
 *
 *         0                   1                   2                   3
 *         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * header |V=2|P|    RC   |   PT=SR=200   |             length            |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                         SSRC of sender                        |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * sender |              NTP timestamp, most significant word             |
 * info   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |             NTP timestamp, least significant word             |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                         RTP timestamp                         |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                     sender's packet count                     |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                      sender's octet count                     |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * report |                  report blocks (24 octets each)               |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *        |                  profile-specific extensions                  |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Offsets below are relative to the body (after the 4-octet common header).
 */

const OFFSET_SSRC = 0;
const OFFSET_NTP_MSW = 4;
const OFFSET_NTP_LSW = 8;
const OFFSET_RTP_TIMESTAMP = 12;
const OFFSET_PACKET_COUNT = 16;
const OFFSET_OCTET_COUNT = 20;
const OFFSET_REPORT_BLOCKS = 24;

/** Fields of an SR, for {@link RtcpSenderReport.create}. */
export interface RtcpSenderReportFields {
  readonly ssrc: number;
  /** NTP timestamp, seconds since 1900 (most significant word). */
  readonly ntpSeconds: number;
  /** NTP timestamp, fraction of a second /2^32 (least significant word). */
  readonly ntpFraction: number;
  readonly rtpTimestamp: number;
  readonly packetCount: number;
  readonly octetCount: number;
  readonly reports?: readonly RtcpReportBlock[];
  /** Profile-specific extension octets after the report blocks. */
  readonly extension?: Buffer;
  readonly padding?: Buffer;
}

/** An RTCP Sender Report (RFC 3550 §6.4.1), immutable. */
export class RtcpSenderReport {
  readonly type = 'sr';
  readonly packetType = RtcpPacketType.SenderReport;
  readonly ssrc: number;
  readonly ntpSeconds: number;
  readonly ntpFraction: number;
  readonly rtpTimestamp: number;
  readonly packetCount: number;
  readonly octetCount: number;
  readonly reports: readonly RtcpReportBlock[];
  readonly extension: Buffer;
  readonly padding: Buffer;

  private constructor(fields: RtcpSenderReportFields) {
    this.ssrc = fields.ssrc;
    this.ntpSeconds = fields.ntpSeconds;
    this.ntpFraction = fields.ntpFraction;
    this.rtpTimestamp = fields.rtpTimestamp;
    this.packetCount = fields.packetCount;
    this.octetCount = fields.octetCount;
    this.reports = fields.reports ?? [];
    this.extension = fields.extension ?? Buffer.alloc(0);
    this.padding = fields.padding ?? Buffer.alloc(0);
  }

  /** Builds an SR from fields. */
  static create(fields: RtcpSenderReportFields): RtcpSenderReport {
    return new RtcpSenderReport(fields);
  }

  /** Parses one SR packet (`bytes` is exactly the packet). */
  static parse(bytes: Buffer): ParseResult<RtcpSenderReport> {
    const split = splitRtcpPacket(bytes);
    if (!split.ok) return split;
    const { count, packetType, body, padding } = split.value;
    if (packetType !== RtcpPacketType.SenderReport) return parseError(`packet type ${packetType}, expected 200`);
    const blocksEnd = OFFSET_REPORT_BLOCKS + count * REPORT_BLOCK_SIZE;
    if (body.length < blocksEnd) return parseError(`truncated: SR with ${count} report blocks needs ${blocksEnd + 4} octets`);
    const reports: RtcpReportBlock[] = [];
    for (let i = 0; i < count; i++) reports.push(readReportBlock(body, OFFSET_REPORT_BLOCKS + i * REPORT_BLOCK_SIZE));
    return parsed(
      new RtcpSenderReport({
        ssrc: body.readUInt32BE(OFFSET_SSRC),
        ntpSeconds: body.readUInt32BE(OFFSET_NTP_MSW),
        ntpFraction: body.readUInt32BE(OFFSET_NTP_LSW),
        rtpTimestamp: body.readUInt32BE(OFFSET_RTP_TIMESTAMP),
        packetCount: body.readUInt32BE(OFFSET_PACKET_COUNT),
        octetCount: body.readUInt32BE(OFFSET_OCTET_COUNT),
        reports,
        extension: body.subarray(blocksEnd),
        padding,
      }),
    );
  }

  /** The middle 32 bits of the NTP timestamp, as receivers echo it in LSR (RFC 3550 §6.4.1). */
  get compactNtp(): number {
    return (((this.ntpSeconds & 0xffff) << 16) | (this.ntpFraction >>> 16)) >>> 0;
  }

  /** Serialises the packet; `serialize(parse(x))` gives back x octet for octet. */
  serialize(): Buffer {
    const body = Buffer.allocUnsafe(OFFSET_REPORT_BLOCKS + this.reports.length * REPORT_BLOCK_SIZE + this.extension.length);
    body.writeUInt32BE(this.ssrc, OFFSET_SSRC);
    body.writeUInt32BE(this.ntpSeconds, OFFSET_NTP_MSW);
    body.writeUInt32BE(this.ntpFraction, OFFSET_NTP_LSW);
    body.writeUInt32BE(this.rtpTimestamp, OFFSET_RTP_TIMESTAMP);
    body.writeUInt32BE(this.packetCount, OFFSET_PACKET_COUNT);
    body.writeUInt32BE(this.octetCount, OFFSET_OCTET_COUNT);
    this.reports.forEach((block, i) => writeReportBlock(block, body, OFFSET_REPORT_BLOCKS + i * REPORT_BLOCK_SIZE));
    this.extension.copy(body, OFFSET_REPORT_BLOCKS + this.reports.length * REPORT_BLOCK_SIZE);
    return joinRtcpPacket({ count: this.reports.length, packetType: this.packetType, body, padding: this.padding });
  }
}
