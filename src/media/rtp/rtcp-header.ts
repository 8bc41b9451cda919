import { type ParseResult, parseError, parsed } from '../parse-result.js';
import { RTP_VERSION } from './rtp-packet.js';

/*
 * RFC 3550 §6.4.1, the header common to every RTCP packet:
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  RC/SC  |      PT       |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * "length: 16 bits. The length of this RTCP packet in 32-bit words minus one, including the
 * header and any padding." When P is set, "the last octet of the padding is a count of how many
 * padding octets should be ignored, including itself (it will be a multiple of four)".
 */

/** Offset of the V/P/count octet. */
const OFFSET_FLAGS = 0;
/** Offset of the packet type octet. */
const OFFSET_PACKET_TYPE = 1;
/** Offset of the 16-bit length (words − 1). */
const OFFSET_LENGTH = 2;
/** Size of the common header in octets. */
export const RTCP_HEADER_SIZE = 4;

const VERSION_SHIFT = 6;
const PADDING_BIT = 0x20;
const COUNT_MASK = 0x1f;

/** RTCP packet types (RFC 3550 §12.1, RFC 4585 §6.1, RFC 3611). */
export const RtcpPacketType = {
  SenderReport: 200,
  ReceiverReport: 201,
  SourceDescription: 202,
  Bye: 203,
  App: 204,
  TransportFeedback: 205,
  PayloadFeedback: 206,
  ExtendedReport: 207,
} as const;

/** One RTCP packet split into its header fields, its body (after the header) and its padding. */
export interface RtcpPacketParts {
  /** RC (report count), SC (source count) or FMT, 0..31. */
  readonly count: number;
  readonly packetType: number;
  /** Octets after the 4-octet header, without padding. */
  readonly body: Buffer;
  /** Raw padding octets, empty when P = 0. */
  readonly padding: Buffer;
}

/** Hot-path check: whether the datagram starts like RTCP (version 2, packet type 192..223 per RFC 5761 §4). */
export function isRtcpVersion2(bytes: Buffer): boolean {
  if (bytes.length < RTCP_HEADER_SIZE) return false;
  const pt = bytes.readUInt8(OFFSET_PACKET_TYPE);
  return bytes.readUInt8(OFFSET_FLAGS) >> VERSION_SHIFT === RTP_VERSION && pt >= 192 && pt <= 223;
}

/** Length in octets of the RTCP packet starting at `offset` (from its length field), or undefined if truncated. */
export function rtcpPacketLength(bytes: Buffer, offset: number): number | undefined {
  if (bytes.length - offset < RTCP_HEADER_SIZE) return undefined;
  return (bytes.readUInt16BE(offset + OFFSET_LENGTH) + 1) * 4;
}

/** Splits exactly one RTCP packet (`bytes` is the whole packet) into header fields, body and padding. */
export function splitRtcpPacket(bytes: Buffer): ParseResult<RtcpPacketParts> {
  if (bytes.length < RTCP_HEADER_SIZE) return parseError(`truncated: ${bytes.length} octets, header needs 4`);
  const flags = bytes.readUInt8(OFFSET_FLAGS);
  const version = flags >> VERSION_SHIFT;
  // RFC 3550 Appendix A.2: "RTP version field must equal 2."
  if (version !== RTP_VERSION) return parseError(`version ${version}, expected 2`);
  const length = rtcpPacketLength(bytes, 0);
  if (length !== bytes.length) return parseError(`length field says ${length} octets, packet has ${bytes.length}`);
  let paddingLength = 0;
  if (flags & PADDING_BIT) {
    paddingLength = bytes.readUInt8(bytes.length - 1);
    if (paddingLength === 0 || paddingLength > bytes.length - RTCP_HEADER_SIZE) {
      return parseError(`invalid padding count ${paddingLength}`);
    }
  }
  return parsed({
    count: flags & COUNT_MASK,
    packetType: bytes.readUInt8(OFFSET_PACKET_TYPE),
    body: bytes.subarray(RTCP_HEADER_SIZE, bytes.length - paddingLength),
    padding: bytes.subarray(bytes.length - paddingLength),
  });
}

/** Assembles one RTCP packet from its parts; the body plus padding must be a multiple of 4 octets. */
export function joinRtcpPacket(parts: RtcpPacketParts): Buffer {
  const size = RTCP_HEADER_SIZE + parts.body.length + parts.padding.length;
  if (size % 4 !== 0) throw new RangeError(`RTCP packet of ${size} octets is not a multiple of 4`);
  if (parts.count > COUNT_MASK) throw new RangeError(`RTCP count ${parts.count} exceeds 31`);
  const buf = Buffer.allocUnsafe(size);
  buf.writeUInt8((RTP_VERSION << VERSION_SHIFT) | (parts.padding.length > 0 ? PADDING_BIT : 0) | parts.count, OFFSET_FLAGS);
  buf.writeUInt8(parts.packetType, OFFSET_PACKET_TYPE);
  buf.writeUInt16BE(size / 4 - 1, OFFSET_LENGTH);
  parts.body.copy(buf, RTCP_HEADER_SIZE);
  parts.padding.copy(buf, RTCP_HEADER_SIZE + parts.body.length);
  return buf;
}
