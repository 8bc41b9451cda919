import { type ParseResult, parseError, parsed } from '../parse-result.js';
import { asBuffer } from './rtp-packet.js';
import { RtcpBye } from './rtcp-bye.js';
import { RtcpPacketType, rtcpPacketLength } from './rtcp-header.js';
import { RtcpRawPacket } from './rtcp-raw-packet.js';
import { RtcpReceiverReport } from './rtcp-receiver-report.js';
import { RtcpSenderReport } from './rtcp-sender-report.js';
import { RtcpSourceDescription } from './rtcp-source-description.js';

/** Any RTCP packet, discriminated by `type`. */
export type RtcpPacket = RtcpSenderReport | RtcpReceiverReport | RtcpSourceDescription | RtcpBye | RtcpRawPacket;

/** The padding bit in the first octet of each RTCP packet. */
const PADDING_BIT = 0x20;

/**
 * Parses a compound RTCP datagram (RFC 3550 §6.1) into its packets. SR, RR, SDES and BYE are
 * interpreted; other types are kept raw. `serializeRtcpCompound(parse(x))` gives back x.
 *
 * Validity checks follow RFC 3550 Appendix A.2, except that the first packet need not be SR or
 * RR: RFC 5506 allows reduced-size RTCP, and a relay must not drop it.
 */
export function parseRtcpCompound(bytes: Uint8Array): ParseResult<RtcpPacket[]> {
  const buf = asBuffer(bytes);
  if (buf.length === 0) return parseError('empty datagram');
  const packets: RtcpPacket[] = [];
  let offset = 0;
  while (offset < buf.length) {
    const length = rtcpPacketLength(buf, offset);
    if (length === undefined) return parseError(`truncated: ${buf.length - offset} octets left at offset ${offset}`);
    if (offset + length > buf.length) {
      return parseError(`truncated: packet at offset ${offset} declares ${length} octets, ${buf.length - offset} left`);
    }
    const end = offset + length;
    // RFC 3550 A.2: "The padding bit (P) should be zero for the first packet of a compound RTCP
    // packet because padding should only be applied, if it is needed, to the last packet."
    if ((buf.readUInt8(offset) & PADDING_BIT) !== 0 && end !== buf.length) {
      return parseError(`padding bit set on packet at offset ${offset}, which is not the last`);
    }
    const result = parseRtcpPacket(buf.subarray(offset, end));
    if (!result.ok) return parseError(`packet at offset ${offset}: ${result.error}`);
    packets.push(result.value);
    offset = end;
  }
  return parsed(packets);
}

/** Parses exactly one RTCP packet by its packet type. */
export function parseRtcpPacket(bytes: Buffer): ParseResult<RtcpPacket> {
  if (bytes.length < 2) return parseError('truncated: no packet type');
  switch (bytes.readUInt8(1)) {
    case RtcpPacketType.SenderReport:
      return RtcpSenderReport.parse(bytes);
    case RtcpPacketType.ReceiverReport:
      return RtcpReceiverReport.parse(bytes);
    case RtcpPacketType.SourceDescription:
      return RtcpSourceDescription.parse(bytes);
    case RtcpPacketType.Bye:
      return RtcpBye.parse(bytes);
    default:
      return RtcpRawPacket.parse(bytes);
  }
}

/** Serialises packets into one compound datagram. */
export function serializeRtcpCompound(packets: readonly RtcpPacket[]): Buffer {
  return Buffer.concat(packets.map((p) => p.serialize()));
}
