import { type ParseResult, parsed } from '../parse-result.js';
import { joinRtcpPacket, splitRtcpPacket } from './rtcp-header.js';

/**
 * An RTCP packet of a type this module does not interpret (APP, RTPFB/PSFB feedback, XR …), kept
 * as header fields plus raw body so that a relay or a compound round trip loses nothing.
 */
export class RtcpRawPacket {
  readonly type = 'raw';
  readonly count: number;
  readonly packetType: number;
  readonly body: Buffer;
  readonly padding: Buffer;

  private constructor(count: number, packetType: number, body: Buffer, padding: Buffer) {
    this.count = count;
    this.packetType = packetType;
    this.body = body;
    this.padding = padding;
  }

  /** Builds a raw packet from its parts. */
  static create(fields: { count: number; packetType: number; body: Buffer; padding?: Buffer }): RtcpRawPacket {
    return new RtcpRawPacket(fields.count, fields.packetType, fields.body, fields.padding ?? Buffer.alloc(0));
  }

  /** Parses any RTCP packet (`bytes` is exactly the packet) without interpreting its body. */
  static parse(bytes: Buffer): ParseResult<RtcpRawPacket> {
    const split = splitRtcpPacket(bytes);
    if (!split.ok) return split;
    const { count, packetType, body, padding } = split.value;
    return parsed(new RtcpRawPacket(count, packetType, body, padding));
  }

  /** Serialises the packet; `serialize(parse(x))` gives back x octet for octet. */
  serialize(): Buffer {
    return joinRtcpPacket({ count: this.count, packetType: this.packetType, body: this.body, padding: this.padding });
  }
}
