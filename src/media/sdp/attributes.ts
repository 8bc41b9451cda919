import type { Attribute, Connection, MediaDescription, SessionDescription } from './session-description.js';

/** Stream direction attributes (RFC 4566 §6, RFC 3264 §5.1). */
export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

const DIRECTIONS: ReadonlySet<string> = new Set<Direction>(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

/** The value of the first attribute called `name`, '' for a property attribute, undefined if absent. */
export function attributeValue(attributes: readonly Attribute[], name: string): string | undefined {
  const found = attributes.find((a) => a.name === name);
  return found ? (found.value ?? '') : undefined;
}

/** The values of every attribute called `name` (property attributes give ''). */
export function attributeValues(attributes: readonly Attribute[], name: string): string[] {
  return attributes.filter((a) => a.name === name).map((a) => a.value ?? '');
}

/**
 * The direction of a stream. RFC 3264 §5.1: a direction attribute at media level wins; otherwise
 * the session-level one applies; "If none of the attributes ... are present, the default is sendrecv".
 */
export function mediaDirection(media: MediaDescription, session: SessionDescription): Direction {
  return findDirection(media.attributes) ?? findDirection(session.attributes) ?? 'sendrecv';
}

function findDirection(attributes: readonly Attribute[]): Direction | undefined {
  const found = attributes.find((a) => a.value === undefined && DIRECTIONS.has(a.name));
  return found?.name as Direction | undefined;
}

/** Whether the attribute is one of the four direction attributes. */
export function isDirectionAttribute(a: Attribute): boolean {
  return a.value === undefined && DIRECTIONS.has(a.name);
}

/** a=rtpmap (RFC 4566 §6): `<payload type> <encoding name>/<clock rate>[/<encoding parameters>]`. */
export interface Rtpmap {
  readonly payloadType: number;
  readonly encodingName: string;
  readonly clockRate: number;
  /** Encoding parameters; for audio, the number of channels. */
  readonly parameters: string | undefined;
}

/** Parses an rtpmap value. */
export function parseRtpmap(value: string): Rtpmap | undefined {
  const m = /^(\d{1,3}) ([^/\s]+)\/(\d+)(?:\/(\S+))?$/.exec(value);
  if (!m) return undefined;
  const payloadType = Number(m[1]);
  if (payloadType > 127) return undefined;
  return { payloadType, encodingName: m[2] ?? '', clockRate: Number(m[3]), parameters: m[4] };
}

/** a=fmtp (RFC 4566 §6): `<format> <format specific parameters>`. */
export function parseFmtp(value: string): { format: string; parameters: string } | undefined {
  const m = /^(\S+) (.*)$/.exec(value);
  return m ? { format: m[1] ?? '', parameters: m[2] ?? '' } : undefined;
}

/** a=rtcp (RFC 3605 §2.1): `<port> [<nettype> <addrtype> <connection-address>]`. */
export function parseRtcpAttribute(value: string): { port: number; connection: Connection | undefined } | undefined {
  const m = /^(\d{1,5})(?: (\S+) (\S+) (\S+))?$/.exec(value);
  if (!m) return undefined;
  const port = Number(m[1]);
  if (port > 65535) return undefined;
  const connection = m[2] === undefined ? undefined : { netType: m[2], addrType: m[3] ?? '', address: m[4] ?? '' };
  return { port, connection };
}

/** a=ptime (RFC 4566 §6), in milliseconds. */
export function mediaPtime(media: MediaDescription): number | undefined {
  const value = attributeValue(media.attributes, 'ptime');
  return value !== undefined && /^\d+(\.\d+)?$/.test(value) ? Number(value) : undefined;
}

/** a=crypto (RFC 4568 §9.1): `<tag> <crypto-suite> <key-params> [<session-params>]`. */
export interface CryptoAttribute {
  readonly tag: number;
  readonly suite: string;
  readonly keyParams: string;
  readonly sessionParams: readonly string[];
}

/** Parses a crypto value. */
export function parseCrypto(value: string): CryptoAttribute | undefined {
  const [tag = '', suite, keyParams, ...sessionParams] = value.split(' ');
  if (!/^\d{1,9}$/.test(tag) || !suite || !keyParams) return undefined;
  return { tag: Number(tag), suite, keyParams, sessionParams };
}

/** a=fingerprint (RFC 8122 §5): `<hash-func> <fingerprint>`. */
export function parseFingerprint(value: string): { hashFunction: string; fingerprint: string } | undefined {
  const m = /^(\S+) ([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})+)$/.exec(value);
  return m ? { hashFunction: (m[1] ?? '').toLowerCase(), fingerprint: (m[2] ?? '').toUpperCase() } : undefined;
}

/** a=setup roles (RFC 4145 §4). */
export type SetupRole = 'active' | 'passive' | 'actpass' | 'holdconn';

/** Parses a setup value. */
export function parseSetup(value: string): SetupRole | undefined {
  return value === 'active' || value === 'passive' || value === 'actpass' || value === 'holdconn' ? value : undefined;
}
