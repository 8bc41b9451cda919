import { type ParseResult, parseError, parsed } from '../parse-result.js';
import { RtcpPacketType, joinRtcpPacket, splitRtcpPacket } from './rtcp-header.js';

/*
 * RFC 3550 §6.5, SDES: Source Description RTCP packet:
 *
 *         0                   1                   2                   3
 *         0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *        +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * header |V=2|P|    SC   |  PT=SDES=202  |             length            |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * chunk  |                          SSRC/CSRC_1                          |
 *   1    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *        |                           SDES items                          |
 *        |                              ...                              |
 *        +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *
 * Each item:
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    type       |     length    | text ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * "The list of items in each chunk MUST be terminated by one or more null octets ... additional
 * null octets MUST be included if needed to pad until the next 32-bit boundary."
 */

const CHUNK_SSRC_SIZE = 4;
const ITEM_HEADER_SIZE = 2;
const END_OF_ITEMS = 0;

/** SDES item types (RFC 3550 §6.5). */
export const SdesItemType = {
  Cname: 1,
  Name: 2,
  Email: 3,
  Phone: 4,
  Location: 5,
  Tool: 6,
  Note: 7,
  Private: 8,
} as const;

/** One SDES item: type and raw value octets (UTF-8 text for every standard type). */
export interface SdesItem {
  readonly type: number;
  readonly value: Buffer;
}

/** One SDES chunk: a source and its items. */
export interface SdesChunk {
  readonly ssrc: number;
  readonly items: readonly SdesItem[];
}

/** An RTCP Source Description packet (RFC 3550 §6.5), immutable. */
export class RtcpSourceDescription {
  readonly type = 'sdes';
  readonly packetType = RtcpPacketType.SourceDescription;
  readonly chunks: readonly SdesChunk[];
  readonly padding: Buffer;

  private constructor(chunks: readonly SdesChunk[], padding: Buffer) {
    this.chunks = chunks;
    this.padding = padding;
  }

  /** Builds an SDES packet from chunks. */
  static create(chunks: readonly SdesChunk[], padding: Buffer = Buffer.alloc(0)): RtcpSourceDescription {
    for (const chunk of chunks) {
      for (const item of chunk.items) {
        if (item.type === END_OF_ITEMS || item.type > 255) throw new RangeError(`SDES item type ${item.type}`);
        if (item.value.length > 255) throw new RangeError('SDES item value longer than 255 octets');
      }
    }
    return new RtcpSourceDescription(chunks, padding);
  }

  /** A CNAME-only chunk, the usual content of a compound packet's SDES. */
  static cname(ssrc: number, cname: string): RtcpSourceDescription {
    return RtcpSourceDescription.create([{ ssrc, items: [{ type: SdesItemType.Cname, value: Buffer.from(cname, 'utf8') }] }]);
  }

  /** Parses one SDES packet (`bytes` is exactly the packet). */
  static parse(bytes: Buffer): ParseResult<RtcpSourceDescription> {
    const split = splitRtcpPacket(bytes);
    if (!split.ok) return split;
    const { count, packetType, body, padding } = split.value;
    if (packetType !== RtcpPacketType.SourceDescription) return parseError(`packet type ${packetType}, expected 202`);
    const chunks: SdesChunk[] = [];
    let offset = 0;
    for (let c = 0; c < count; c++) {
      if (body.length < offset + CHUNK_SSRC_SIZE) return parseError(`truncated: chunk ${c + 1} of ${count}`);
      const ssrc = body.readUInt32BE(offset);
      offset += CHUNK_SSRC_SIZE;
      const items: SdesItem[] = [];
      for (;;) {
        if (offset >= body.length) return parseError(`truncated: chunk ${c + 1} has no end of items`);
        const type = body.readUInt8(offset);
        if (type === END_OF_ITEMS) break;
        if (body.length < offset + ITEM_HEADER_SIZE) return parseError(`truncated: item header in chunk ${c + 1}`);
        const length = body.readUInt8(offset + 1);
        const start = offset + ITEM_HEADER_SIZE;
        if (body.length < start + length) return parseError(`truncated: item of ${length} octets in chunk ${c + 1}`);
        items.push({ type, value: body.subarray(start, start + length) });
        offset = start + length;
      }
      // The null item, then nulls up to the next 32-bit boundary.
      const next = (offset + 4) & ~3;
      if (next > body.length) return parseError(`truncated: padding of chunk ${c + 1}`);
      for (let i = offset; i < next; i++) {
        if (body[i] !== 0) return parseError(`non-null octet in the end-of-items padding of chunk ${c + 1}`);
      }
      offset = next;
      chunks.push({ ssrc, items });
    }
    if (offset !== body.length) return parseError(`${body.length - offset} octets after the last of ${count} chunks`);
    return parsed(new RtcpSourceDescription(chunks, padding));
  }

  /** The CNAME of the first chunk that has one, as text. */
  get cnameText(): string | undefined {
    for (const chunk of this.chunks) {
      const item = chunk.items.find((i) => i.type === SdesItemType.Cname);
      if (item) return item.value.toString('utf8');
    }
    return undefined;
  }

  /** Serialises the packet; `serialize(parse(x))` gives back x octet for octet. */
  serialize(): Buffer {
    let size = 0;
    for (const chunk of this.chunks) {
      let chunkSize = CHUNK_SSRC_SIZE;
      for (const item of chunk.items) chunkSize += ITEM_HEADER_SIZE + item.value.length;
      size += (chunkSize + 4) & ~3;
    }
    const body = Buffer.alloc(size);
    let offset = 0;
    for (const chunk of this.chunks) {
      body.writeUInt32BE(chunk.ssrc, offset);
      offset += CHUNK_SSRC_SIZE;
      for (const item of chunk.items) {
        body.writeUInt8(item.type, offset);
        body.writeUInt8(item.value.length, offset + 1);
        offset += ITEM_HEADER_SIZE + item.value.copy(body, offset + ITEM_HEADER_SIZE);
      }
      offset = (offset + 4) & ~3;
    }
    return joinRtcpPacket({ count: this.chunks.length, packetType: this.packetType, body, padding: this.padding });
  }
}
