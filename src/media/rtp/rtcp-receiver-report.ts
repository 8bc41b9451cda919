import { type ParseResult, parseError, parsed } from '../parse-result.js';
import { RtcpPacketType, joinRtcpPacket, splitRtcpPacket } from './rtcp-header.js';
import { REPORT_BLOCK_SIZE, type RtcpReportBlock, readReportBlock, writeReportBlock } from './rtcp-report-block.js';

/*
 * RFC 3550 §6.4.2, RR: Receiver Report RTCP packet:
 *
 *         0                   1                   2                   3
 *         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * header |V=2|P|    RC   |   PT=RR=201   |             length            |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                     SSRC of packet sender                     |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * report |                  report blocks (24 octets each)               |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *        |                  profile-specific extensions                  |
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * Offsets below are relative to the body (after the 4-octet common header).
 */

const OFFSET_SSRC = 0;
const OFFSET_REPORT_BLOCKS = 4;

/** Fields of an RR, for {@link RtcpReceiverReport.create}. */
export interface RtcpReceiverReportFields {
  readonly ssrc: number;
  readonly reports?: readonly RtcpReportBlock[];
  readonly extension?: Buffer;
  readonly padding?: Buffer;
}

/** An RTCP Receiver Report (RFC 3550 §6.4.2), immutable. */
export class RtcpReceiverReport {
  readonly type = 'rr';
  readonly packetType = RtcpPacketType.ReceiverReport;
  readonly ssrc: number;
  readonly reports: readonly RtcpReportBlock[];
  readonly extension: Buffer;
  readonly padding: Buffer;

  private constructor(fields: RtcpReceiverReportFields) {
    this.ssrc = fields.ssrc;
    this.reports = fields.reports ?? [];
    this.extension = fields.extension ?? Buffer.alloc(0);
    this.padding = fields.padding ?? Buffer.alloc(0);
  }

  /** Builds an RR from fields. */
  static create(fields: RtcpReceiverReportFields): RtcpReceiverReport {
    return new RtcpReceiverReport(fields);
  }

  /** Parses one RR packet (`bytes` is exactly the packet). */
  static parse(bytes: Buffer): ParseResult<RtcpReceiverReport> {
    const split = splitRtcpPacket(bytes);
    if (!split.ok) return split;
    const { count, packetType, body, padding } = split.value;
    if (packetType !== RtcpPacketType.ReceiverReport) return parseError(`packet type ${packetType}, expected 201`);
    const blocksEnd = OFFSET_REPORT_BLOCKS + count * REPORT_BLOCK_SIZE;
    if (body.length < blocksEnd) return parseError(`truncated: RR with ${count} report blocks needs ${blocksEnd + 4} octets`);
    const reports: RtcpReportBlock[] = [];
    for (let i = 0; i < count; i++) reports.push(readReportBlock(body, OFFSET_REPORT_BLOCKS + i * REPORT_BLOCK_SIZE));
    return parsed(
      new RtcpReceiverReport({ ssrc: body.readUInt32BE(OFFSET_SSRC), reports, extension: body.subarray(blocksEnd), padding }),
    );
  }

  /** Serialises the packet; `serialize(parse(x))` gives back x octet for octet. */
  serialize(): Buffer {
    const body = Buffer.allocUnsafe(OFFSET_REPORT_BLOCKS + this.reports.length * REPORT_BLOCK_SIZE + this.extension.length);
    body.writeUInt32BE(this.ssrc, OFFSET_SSRC);
    this.reports.forEach((block, i) => writeReportBlock(block, body, OFFSET_REPORT_BLOCKS + i * REPORT_BLOCK_SIZE));
    this.extension.copy(body, OFFSET_REPORT_BLOCKS + this.reports.length * REPORT_BLOCK_SIZE);
    return joinRtcpPacket({ count: this.reports.length, packetType: this.packetType, body, padding: this.padding });
  }
}
