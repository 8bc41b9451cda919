import { type ParseResult, parseError, parsed } from '../parse-result.js';
import { RtcpPacketType, joinRtcpPacket, splitRtcpPacket } from './rtcp-header.js';

/*
 * RFC 3550 §6.6, BYE: Goodbye RTCP packet:
 *
 *        0                   1                   2                   3
 *        0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *       |V=2|P|    SC   |   PT=BYE=203  |             length            |
 *       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *       |                           SSRC/CSRC                           |
 *       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *       :                              ...                              :
 *       +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * (opt) |     length    |               reason for leaving            ...
 *       +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * "the string MUST be padded with null octets to the next 32-bit boundary."
 */

const SSRC_SIZE = 4;
const REASON_LENGTH_SIZE = 1;

/** An RTCP BYE packet (RFC 3550 §6.6), immutable. */
export class RtcpBye {
  readonly type = 'bye';
  readonly packetType = RtcpPacketType.Bye;
  readonly sources: readonly number[];
  /** Raw reason octets (UTF-8 text), or undefined when the packet has none. */
  readonly reason: Buffer | undefined;
  readonly padding: Buffer;

  private constructor(sources: readonly number[], reason: Buffer | undefined, padding: Buffer) {
    this.sources = sources;
    this.reason = reason;
    this.padding = padding;
  }

  /** Builds a BYE for `sources` with an optional reason. */
  static create(sources: readonly number[], reason?: string | Buffer, padding: Buffer = Buffer.alloc(0)): RtcpBye {
    const raw = typeof reason === 'string' ? Buffer.from(reason, 'utf8') : reason;
    if (raw && raw.length > 255) throw new RangeError('BYE reason longer than 255 octets');
    if (sources.length > 31) throw new RangeError('at most 31 sources in one BYE');
    return new RtcpBye(sources, raw, padding);
  }

  /** Parses one BYE packet (`bytes` is exactly the packet). */
  static parse(bytes: Buffer): ParseResult<RtcpBye> {
    const split = splitRtcpPacket(bytes);
    if (!split.ok) return split;
    const { count, packetType, body, padding } = split.value;
    if (packetType !== RtcpPacketType.Bye) return parseError(`packet type ${packetType}, expected 203`);
    const sourcesEnd = count * SSRC_SIZE;
    if (body.length < sourcesEnd) return parseError(`truncated: BYE with ${count} sources`);
    const sources: number[] = [];
    for (let i = 0; i < count; i++) sources.push(body.readUInt32BE(i * SSRC_SIZE));
    if (body.length === sourcesEnd) return parsed(new RtcpBye(sources, undefined, padding));
    const length = body.readUInt8(sourcesEnd);
    const start = sourcesEnd + REASON_LENGTH_SIZE;
    const end = (start + length + 3) & ~3;
    if (end !== body.length) return parseError(`reason of ${length} octets does not fill the packet`);
    for (let i = start + length; i < end; i++) {
      if (body[i] !== 0) return parseError('non-null octet in the reason padding');
    }
    return parsed(new RtcpBye(sources, body.subarray(start, start + length), padding));
  }

  /** The reason as text. */
  get reasonText(): string | undefined {
    return this.reason?.toString('utf8');
  }

  /** Serialises the packet; `serialize(parse(x))` gives back x octet for octet. */
  serialize(): Buffer {
    const sourcesEnd = this.sources.length * SSRC_SIZE;
    const size = this.reason ? (sourcesEnd + REASON_LENGTH_SIZE + this.reason.length + 3) & ~3 : sourcesEnd;
    const body = Buffer.alloc(size);
    this.sources.forEach((ssrc, i) => body.writeUInt32BE(ssrc, i * SSRC_SIZE));
    if (this.reason) {
      body.writeUInt8(this.reason.length, sourcesEnd);
      this.reason.copy(body, sourcesEnd + REASON_LENGTH_SIZE);
    }
    return joinRtcpPacket({ count: this.sources.length, packetType: this.packetType, body, padding: this.padding });
  }
}
