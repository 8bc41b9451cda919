/**
 * The minimal STUN server RFC 5626 §4.4.2 / §8.4 asks of a SIP UDP port: recognise a STUN Binding
 * Request multiplexed with SIP and answer with a Binding Success Response carrying
 * XOR-MAPPED-ADDRESS (RFC 5389 §15.2), so clients can detect NAT rebinding and keep the pinhole open.
 *
 * ```
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |0 0|     STUN Message Type     |         Message Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Magic Cookie                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Transaction ID (96 bits)                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ```
 */
import { isIPv4 } from 'node:net';

/** RFC 5389 §6: fixed value in every STUN message. */
export const STUN_MAGIC_COOKIE = 0x2112a442;
/** Binding Request (method 0x001, class request). */
export const STUN_BINDING_REQUEST = 0x0001;
/** Binding Success Response (method 0x001, class success). */
export const STUN_BINDING_SUCCESS = 0x0101;
/** XOR-MAPPED-ADDRESS attribute type. */
export const STUN_ATTR_XOR_MAPPED_ADDRESS = 0x0020;

const HEADER_LENGTH = 20;
const OFFSET_TYPE = 0;
const OFFSET_LENGTH = 2;
const OFFSET_COOKIE = 4;
const OFFSET_TRANSACTION_ID = 8;
const FAMILY_IPV4 = 0x01;
const FAMILY_IPV6 = 0x02;

/**
 * True when `data` looks like a STUN message: top two bits zero, length a multiple of 4 that matches
 * the datagram, magic cookie present (RFC 5389 §6, RFC 7983 §7 demultiplexing). SIP never starts so.
 */
export function isStunMessage(data: Uint8Array): boolean {
  if (data.length < HEADER_LENGTH) return false;
  const buf = Buffer.from(data.buffer, data.byteOffset, data.length);
  if ((buf.readUInt8(0) & 0xc0) !== 0) return false;
  const length = buf.readUInt16BE(OFFSET_LENGTH);
  return length % 4 === 0 && length + HEADER_LENGTH === buf.length && buf.readUInt32BE(OFFSET_COOKIE) === STUN_MAGIC_COOKIE;
}

/** The 96-bit transaction id of a Binding Request, or undefined when `data` is not one. */
export function parseStunBindingRequest(data: Uint8Array): { transactionId: Buffer } | undefined {
  if (!isStunMessage(data)) return undefined;
  const buf = Buffer.from(data.buffer, data.byteOffset, data.length);
  if (buf.readUInt16BE(OFFSET_TYPE) !== STUN_BINDING_REQUEST) return undefined;
  return { transactionId: Buffer.from(buf.subarray(OFFSET_TRANSACTION_ID, HEADER_LENGTH)) };
}

/**
 * A Binding Success Response with one XOR-MAPPED-ADDRESS: the source address and port the request
 * came from, XOR'd with the magic cookie (and, for IPv6, the transaction id) per RFC 5389 §15.2.
 */
export function stunBindingSuccess(transactionId: Uint8Array, mapped: { address: string; port: number }): Buffer {
  if (transactionId.length !== 12) throw new RangeError('STUN transaction id must be 96 bits');
  const v4 = isIPv4(mapped.address);
  const addressBytes = v4 ? ipv4Bytes(mapped.address) : ipv6Bytes(mapped.address);
  const valueLength = 4 + addressBytes.length;
  const out = Buffer.alloc(HEADER_LENGTH + 4 + valueLength);
  out.writeUInt16BE(STUN_BINDING_SUCCESS, OFFSET_TYPE);
  out.writeUInt16BE(4 + valueLength, OFFSET_LENGTH);
  out.writeUInt32BE(STUN_MAGIC_COOKIE, OFFSET_COOKIE);
  out.set(transactionId, OFFSET_TRANSACTION_ID);
  let at = HEADER_LENGTH;
  out.writeUInt16BE(STUN_ATTR_XOR_MAPPED_ADDRESS, at);
  out.writeUInt16BE(valueLength, at + 2);
  at += 4;
  out.writeUInt8(0, at);
  out.writeUInt8(v4 ? FAMILY_IPV4 : FAMILY_IPV6, at + 1);
  out.writeUInt16BE(mapped.port ^ (STUN_MAGIC_COOKIE >>> 16), at + 2);
  at += 4;
  // X-Address: the address XOR'd with cookie || transaction id, byte by byte.
  const mask = out.subarray(OFFSET_COOKIE, HEADER_LENGTH);
  for (let i = 0; i < addressBytes.length; i++) {
    out.writeUInt8((addressBytes[i] ?? 0) ^ (mask[i] ?? 0), at + i);
  }
  return out;
}

function ipv4Bytes(address: string): Uint8Array {
  return Uint8Array.from(address.split('.').map((part) => Number(part)));
}

function ipv6Bytes(address: string): Uint8Array {
  const bare = address.split('%')[0] ?? address;
  const [head = '', tail] = bare.split('::');
  const toGroups = (part: string | undefined): number[] => {
    if (!part) return [];
    const groups: number[] = [];
    for (const piece of part.split(':')) {
      if (piece.includes('.')) {
        const b = ipv4Bytes(piece);
        groups.push(((b[0] ?? 0) << 8) | (b[1] ?? 0), ((b[2] ?? 0) << 8) | (b[3] ?? 0));
      } else {
        groups.push(parseInt(piece, 16));
      }
    }
    return groups;
  };
  const left = toGroups(head);
  const right = toGroups(tail);
  const groups = tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}
