import { type ParseResult, parseError, parsed } from '../parse-result.js';

/*
 * RFC 3550 §5.1, RTP fixed header:
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * RFC 3550 §5.3.1, header extension (present when X = 1), after the CSRC list:
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      defined by profile       |           length              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        header extension                       |
 * |                             ....                              |
 *
 * Padding (P = 1): "The last octet of the padding contains a count of how many padding
 * octets should be ignored, including itself."
 */

/** Offset of the V/P/X/CC octet. */
const OFFSET_FLAGS = 0;
/** Offset of the M/PT octet. */
const OFFSET_MARKER_PT = 1;
/** Offset of the 16-bit sequence number. */
const OFFSET_SEQUENCE = 2;
/** Offset of the 32-bit timestamp. */
const OFFSET_TIMESTAMP = 4;
/** Offset of the 32-bit SSRC. */
const OFFSET_SSRC = 8;
/** Offset of the first CSRC. */
const OFFSET_CSRC = 12;
/** Size of the fixed header, without CSRCs. */
export const RTP_FIXED_HEADER_SIZE = 12;
/** Size of the extension header's profile + length words. */
const EXTENSION_HEADER_SIZE = 4;

const VERSION_SHIFT = 6;
const PADDING_BIT = 0x20;
const EXTENSION_BIT = 0x10;
const CSRC_COUNT_MASK = 0x0f;
const MARKER_BIT = 0x80;
const PAYLOAD_TYPE_MASK = 0x7f;

/** The only RTP version (RFC 3550 §5.1). */
export const RTP_VERSION = 2;

/** An RTP header extension (RFC 3550 §5.3.1): the profile-defined word and the extension data. */
export interface RtpHeaderExtension {
  /** The 16 bits "defined by profile" (0xBEDE for RFC 8285 one-byte headers). */
  readonly profile: number;
  /** Extension data; its length is a multiple of 4. */
  readonly data: Buffer;
}

/** The fields of an RTP packet, for {@link RtpPacket.create}. */
export interface RtpPacketFields {
  readonly marker?: boolean;
  readonly payloadType: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly csrcs?: readonly number[];
  readonly extension?: RtpHeaderExtension;
  readonly payload: Buffer;
  /** Raw padding octets; empty for none. The last octet must equal the length. */
  readonly padding?: Buffer;
}

/**
 * An RTP packet (RFC 3550 §5.1), immutable. `parse` keeps views into the input buffer (no copy),
 * so `payload`, `extension.data` and `padding` share memory with the bytes parsed.
 */
export class RtpPacket {
  readonly version = RTP_VERSION;
  readonly marker: boolean;
  readonly payloadType: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly csrcs: readonly number[];
  readonly extension: RtpHeaderExtension | undefined;
  readonly payload: Buffer;
  readonly padding: Buffer;

  private constructor(fields: RtpPacketFields) {
    this.marker = fields.marker ?? false;
    this.payloadType = fields.payloadType;
    this.sequenceNumber = fields.sequenceNumber;
    this.timestamp = fields.timestamp;
    this.ssrc = fields.ssrc;
    this.csrcs = fields.csrcs ?? [];
    this.extension = fields.extension;
    this.payload = fields.payload;
    this.padding = fields.padding ?? Buffer.alloc(0);
  }

  /** Builds a packet from fields, validating ranges (a bad value is a bug, so this throws). */
  static create(fields: RtpPacketFields): RtpPacket {
    checkRange('payloadType', fields.payloadType, 0x7f);
    checkRange('sequenceNumber', fields.sequenceNumber, 0xffff);
    checkRange('timestamp', fields.timestamp, 0xffffffff);
    checkRange('ssrc', fields.ssrc, 0xffffffff);
    const csrcs = fields.csrcs ?? [];
    if (csrcs.length > CSRC_COUNT_MASK) throw new RangeError(`at most 15 CSRCs, got ${csrcs.length}`);
    for (const csrc of csrcs) checkRange('csrc', csrc, 0xffffffff);
    if (fields.extension) {
      checkRange('extension.profile', fields.extension.profile, 0xffff);
      if (fields.extension.data.length % 4 !== 0) throw new RangeError('extension data must be a multiple of 4 octets');
    }
    const padding = fields.padding;
    if (padding && padding.length > 0 && padding[padding.length - 1] !== padding.length) {
      throw new RangeError('the last padding octet must equal the padding length');
    }
    return new RtpPacket(fields);
  }

  /** Parses one RTP packet; the result names the problem when the bytes are not valid RTP. */
  static parse(bytes: Uint8Array): ParseResult<RtpPacket> {
    const buf = asBuffer(bytes);
    if (buf.length < RTP_FIXED_HEADER_SIZE) return parseError(`truncated: ${buf.length} octets, header needs 12`);
    const flags = buf.readUInt8(OFFSET_FLAGS);
    // RFC 3550 Appendix A.1: "RTP version field must equal 2."
    const version = flags >> VERSION_SHIFT;
    if (version !== RTP_VERSION) return parseError(`version ${version}, expected 2`);
    const csrcCount = flags & CSRC_COUNT_MASK;
    let offset = OFFSET_CSRC + csrcCount * 4;
    if (buf.length < offset) return parseError(`truncated: CSRC count ${csrcCount} needs ${offset} octets`);
    const csrcs: number[] = [];
    for (let i = 0; i < csrcCount; i++) csrcs.push(buf.readUInt32BE(OFFSET_CSRC + i * 4));

    let extension: RtpHeaderExtension | undefined;
    if (flags & EXTENSION_BIT) {
      if (buf.length < offset + EXTENSION_HEADER_SIZE) return parseError('truncated: extension header');
      const profile = buf.readUInt16BE(offset);
      const words = buf.readUInt16BE(offset + 2);
      const start = offset + EXTENSION_HEADER_SIZE;
      const end = start + words * 4;
      if (buf.length < end) return parseError(`truncated: extension of ${words} words`);
      extension = { profile, data: buf.subarray(start, end) };
      offset = end;
    }

    let paddingLength = 0;
    if (flags & PADDING_BIT) {
      // RFC 3550 Appendix A.1: "If the P bit is set, then the last octet of the packet must
      // contain a valid octet count, in particular, less than the total packet length minus the header size."
      paddingLength = buf.readUInt8(buf.length - 1);
      if (paddingLength === 0) return parseError('padding bit set but padding count is 0');
      if (paddingLength > buf.length - offset) return parseError(`padding count ${paddingLength} exceeds the payload`);
    }
    const payloadEnd = buf.length - paddingLength;
    const markerPt = buf.readUInt8(OFFSET_MARKER_PT);
    return parsed(
      new RtpPacket({
        marker: (markerPt & MARKER_BIT) !== 0,
        payloadType: markerPt & PAYLOAD_TYPE_MASK,
        sequenceNumber: buf.readUInt16BE(OFFSET_SEQUENCE),
        timestamp: buf.readUInt32BE(OFFSET_TIMESTAMP),
        ssrc: buf.readUInt32BE(OFFSET_SSRC),
        csrcs,
        extension,
        payload: buf.subarray(offset, payloadEnd),
        padding: buf.subarray(payloadEnd),
      }),
    );
  }

  /** Size of the header (fixed part, CSRCs and extension) in octets. */
  get headerSize(): number {
    return OFFSET_CSRC + this.csrcs.length * 4 + (this.extension ? EXTENSION_HEADER_SIZE + this.extension.data.length : 0);
  }

  /** Serialises the packet; `serialize(parse(x))` gives back x octet for octet. */
  serialize(): Buffer {
    const headerSize = this.headerSize;
    const buf = Buffer.allocUnsafe(headerSize + this.payload.length + this.padding.length);
    buf.writeUInt8(
      (RTP_VERSION << VERSION_SHIFT) |
        (this.padding.length > 0 ? PADDING_BIT : 0) |
        (this.extension ? EXTENSION_BIT : 0) |
        this.csrcs.length,
      OFFSET_FLAGS,
    );
    buf.writeUInt8((this.marker ? MARKER_BIT : 0) | this.payloadType, OFFSET_MARKER_PT);
    buf.writeUInt16BE(this.sequenceNumber, OFFSET_SEQUENCE);
    buf.writeUInt32BE(this.timestamp, OFFSET_TIMESTAMP);
    buf.writeUInt32BE(this.ssrc, OFFSET_SSRC);
    let offset = OFFSET_CSRC;
    for (const csrc of this.csrcs) {
      buf.writeUInt32BE(csrc, offset);
      offset += 4;
    }
    if (this.extension) {
      buf.writeUInt16BE(this.extension.profile, offset);
      buf.writeUInt16BE(this.extension.data.length / 4, offset + 2);
      offset += EXTENSION_HEADER_SIZE;
      offset += this.extension.data.copy(buf, offset);
    }
    offset += this.payload.copy(buf, offset);
    this.padding.copy(buf, offset);
    return buf;
  }

  /** A copy with some fields replaced (e.g. a new sequence number when re-originating a stream). */
  with(fields: Partial<RtpPacketFields>): RtpPacket {
    return RtpPacket.create({ ...this.fields(), ...fields });
  }

  /** The packet's fields as a plain object. */
  fields(): RtpPacketFields {
    return {
      marker: this.marker,
      payloadType: this.payloadType,
      sequenceNumber: this.sequenceNumber,
      timestamp: this.timestamp,
      ssrc: this.ssrc,
      csrcs: this.csrcs,
      extension: this.extension,
      payload: this.payload,
      padding: this.padding,
    };
  }
}

/**
 * Hot-path check: whether a datagram can be an RTP version 2 packet (long enough for the fixed
 * header, version 2). Reads one octet; allocates nothing.
 */
export function isRtpVersion2(bytes: Buffer): boolean {
  return bytes.length >= RTP_FIXED_HEADER_SIZE && bytes.readUInt8(OFFSET_FLAGS) >> VERSION_SHIFT === RTP_VERSION;
}

/** Hot-path read of the payload type; call {@link isRtpVersion2} first. */
export function readRtpPayloadType(bytes: Buffer): number {
  return bytes.readUInt8(OFFSET_MARKER_PT) & PAYLOAD_TYPE_MASK;
}

/** Hot-path read of the SSRC; call {@link isRtpVersion2} first. */
export function readRtpSsrc(bytes: Buffer): number {
  return bytes.readUInt32BE(OFFSET_SSRC);
}

function checkRange(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new RangeError(`${name} ${value} out of range 0..${max}`);
}

/** A Buffer view over `bytes` without copying. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
