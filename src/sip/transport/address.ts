/**
 * Pure helpers for IP addresses and `host:port` text. IPv6 literals are kept without brackets in
 * {@link TransportAddress} and bracketed only when written next to a port (RFC 3261 §25.1
 * `IPv6reference`, RFC 3986 §3.2.2).
 */
import { isIP } from 'node:net';
import type { AddressFamily, TransportAddress, TransportProtocol } from './types.js';

/** A host and an optional port, as parsed from `host[:port]` text. */
export interface HostPort {
  /** Host without brackets. */
  readonly host: string;
  readonly port: number | undefined;
}

/** `::ffff:a.b.c.d` after canonicalisation: `::ffff:HHHH:HHHH`. */
const MAPPED_V4 = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/;

/** The address family of an IP literal (brackets allowed), or undefined when it is not one. */
export function ipFamily(address: string): AddressFamily | undefined {
  const kind = isIP(stripBrackets(address));
  return kind === 4 ? 4 : kind === 6 ? 6 : undefined;
}

/** Removes the brackets of an IPv6 reference (`[::1]` → `::1`); other text is returned unchanged. */
export function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * Canonical form of an IP literal: brackets removed, IPv6 compressed and lower-cased (RFC 5952),
 * IPv4-mapped IPv6 (`::ffff:192.0.2.1`, what a dual-stack socket reports) turned into plain IPv4.
 * Returns undefined when `address` is not an IP literal.
 */
export function normalizeIp(address: string): { address: string; family: AddressFamily } | undefined {
  const bare = stripBrackets(address.trim());
  const family = ipFamily(bare);
  if (family === 4) return { address: bare, family };
  if (family !== 6) return undefined;
  const zoneAt = bare.indexOf('%');
  const zone = zoneAt >= 0 ? bare.slice(zoneAt) : '';
  const canonical = canonicalIpv6(zoneAt >= 0 ? bare.slice(0, zoneAt) : bare);
  const mapped = MAPPED_V4.exec(canonical);
  if (mapped?.[1] && mapped[2] && !zone) {
    const hi = parseInt(mapped[1], 16);
    const lo = parseInt(mapped[2], 16);
    return { address: `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`, family: 4 };
  }
  return { address: canonical + zone, family: 6 };
}

function canonicalIpv6(address: string): string {
  // WHATWG URL serialises IPv6 hosts in the RFC 5952 form (lower case, longest zero run compressed).
  try {
    return stripBrackets(new URL(`http://[${address}]/`).hostname);
  } catch {
    return address.toLowerCase();
  }
}

/** True for the "every interface" bind addresses `0.0.0.0` and `::`. */
export function isWildcard(host: string): boolean {
  const ip = normalizeIp(host);
  return ip !== undefined && (ip.address === '0.0.0.0' || ip.address === '::');
}

/** `host:port` with IPv6 literals bracketed; without a port, just the (bracketed) host. */
export function formatHostPort(host: string, port?: number): string {
  const bare = stripBrackets(host);
  const shown = bare.includes(':') ? `[${bare}]` : bare;
  return port === undefined ? shown : `${shown}:${port}`;
}

/**
 * Parses `host`, `host:port`, `[v6]`, `[v6]:port` or a bare IPv6 literal (no port then).
 * Returns undefined for empty hosts, unbalanced brackets and ports outside 0–65535.
 */
export function parseHostPort(text: string): HostPort | undefined {
  const s = text.trim();
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0) return undefined;
    const host = s.slice(1, close);
    if (ipFamily(host) !== 6) return undefined;
    const rest = s.slice(close + 1);
    if (rest === '') return { host, port: undefined };
    if (!rest.startsWith(':')) return undefined;
    const port = parsePort(rest.slice(1));
    return port === undefined ? undefined : { host, port };
  }
  if (ipFamily(s) === 6) return { host: s, port: undefined };
  const colon = s.indexOf(':');
  if (colon < 0) return s === '' || /\s/.test(s) ? undefined : { host: s, port: undefined };
  if (s.indexOf(':', colon + 1) >= 0) return undefined;
  const host = s.slice(0, colon);
  const port = parsePort(s.slice(colon + 1));
  if (host === '' || /\s/.test(host) || port === undefined) return undefined;
  return { host, port };
}

/** A decimal port 0–65535, or undefined. */
export function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port <= 65535 ? port : undefined;
}

/**
 * Builds a {@link TransportAddress} from an IP literal as a socket reports it (dual-stack mapped
 * addresses become IPv4). Returns undefined when `address` is not an IP literal or `port` is invalid.
 */
export function transportAddress(
  transport: TransportProtocol,
  address: string | undefined,
  port: number | undefined,
): TransportAddress | undefined {
  if (address === undefined || port === undefined) return undefined;
  if (!Number.isInteger(port) || port < 0 || port > 65535) return undefined;
  const ip = normalizeIp(address);
  return ip ? { transport, address: ip.address, port, family: ip.family } : undefined;
}

/** A map key that identifies a remote endpoint per transport: `tcp|::1|5060`. */
export function addressKey(addr: Pick<TransportAddress, 'transport' | 'address' | 'port'>): string {
  return `${addr.transport}|${addr.address}|${addr.port}`;
}

/** Human-readable form for logs: `tcp:[::1]:5060`. */
export function formatTransportAddress(addr: Pick<TransportAddress, 'transport' | 'address' | 'port'>): string {
  return `${addr.transport}:${formatHostPort(addr.address, addr.port)}`;
}

/** One entry of `os.networkInterfaces()`, reduced to what {@link pickInterfaceAddress} reads. */
export interface InterfaceAddress {
  readonly address: string;
  readonly family: string | number;
  readonly internal: boolean;
}

/**
 * The address to advertise for a wildcard bind: the first external, non-link-local interface address
 * of `family`, else the loopback address. Takes the interface table as an argument to stay pure.
 */
export function pickInterfaceAddress(
  interfaces: Readonly<Record<string, readonly InterfaceAddress[] | undefined>>,
  family: AddressFamily,
): string {
  for (const list of Object.values(interfaces)) {
    for (const entry of list ?? []) {
      const entryFamily = entry.family === 'IPv4' || entry.family === 4 ? 4 : 6;
      if (entry.internal || entryFamily !== family) continue;
      if (family === 6 && /^fe[89ab]/i.test(entry.address)) continue;
      return entry.address;
    }
  }
  return family === 4 ? '127.0.0.1' : '::1';
}
