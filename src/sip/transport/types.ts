/**
 * The public shapes of the transport layer: addresses, inbound packets, listen configuration and
 * connection information. The transport layer moves bytes between sockets and the SIP layers above;
 * it does not parse SIP (the message module frames and parses, the layer above applies rport/received).
 */

/** A SIP transport protocol (RFC 3261 §18, RFC 7118 for WebSocket). */
export type TransportProtocol = 'udp' | 'tcp' | 'tls' | 'ws' | 'wss';

/** Every transport protocol, in a stable order. */
export const TRANSPORT_PROTOCOLS: readonly TransportProtocol[] = ['udp', 'tcp', 'tls', 'ws', 'wss'];

/** IP address family. */
export type AddressFamily = 4 | 6;

/**
 * One end of a SIP hop: protocol, IP literal (IPv6 without brackets) and port. The only exception is
 * {@link TransportLayer.localAddress}, whose `address` is the configured `advertise` host, which may
 * be a DNS name.
 */
export interface TransportAddress {
  readonly transport: TransportProtocol;
  /** IP literal; IPv6 in canonical compressed form, without brackets. */
  readonly address: string;
  readonly port: number;
  readonly family: AddressFamily;
}

/** One SIP message (or one UDP datagram) handed to the layer above. */
export interface InboundPacket {
  /** The bytes of exactly one message (stream transports are already framed). */
  readonly data: Buffer;
  /** Where it came from: the address to answer to per RFC 3581 / RFC 3261 §18.2.2. */
  readonly source: TransportAddress;
  /** The local address it arrived on. */
  readonly local: TransportAddress;
  /** The connection (flow) it arrived on; undefined for UDP. */
  readonly connectionId?: string;
}

/**
 * A message refused before delivery: too large (a header section over the limit of its source),
 * or unframeable on a stream. `data` holds the whole lines of its header section that were read,
 * so the layer above can answer `status` when they hold a request (start line and top Via).
 * On a stream the connection ends after the answer.
 */
export interface RefusedMessage extends InboundPacket {
  /** The response code that fits (400 unframeable, 513 too large). */
  readonly status: number;
  /** The reason phrase naming the problem. */
  readonly reason: string;
}

/** A plain listening address. */
export interface ListenAddress {
  /** Bind address: an IP literal, `0.0.0.0` or `::` for every interface of that family. */
  readonly host: string;
  /** Port; 0 picks an ephemeral port (tests). */
  readonly port: number;
  /** Address or host name to advertise in Via/Contact/Record-Route instead of the bound one (NAT, DNS name). */
  readonly advertise?: string;
  /**
   * When true, an address the host does not have (no IPv6 on this machine: EAFNOSUPPORT,
   * EADDRNOTAVAIL) is skipped with a warning instead of failing `listen()`.
   */
  readonly optional?: boolean;
}

/** PEM-encoded certificate chain and private key. */
export interface TlsCredentials {
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
}

/** A listening address for TLS or secure WebSocket. */
export interface TlsListenAddress extends ListenAddress, TlsCredentials {}

/** What {@link TransportLayer.listen} binds. */
export interface ListenConfig {
  readonly udp?: readonly ListenAddress[];
  readonly tcp?: readonly ListenAddress[];
  readonly tls?: readonly TlsListenAddress[];
  readonly ws?: readonly ListenAddress[];
  readonly wss?: readonly TlsListenAddress[];
}

/** An address the layer is bound to, with what it advertises. */
export interface BoundAddress extends TransportAddress {
  /** The host to advertise (the configured `advertise`, else the bound address). */
  readonly advertise: string | undefined;
}

/** A snapshot of one stream connection (TCP, TLS, WS, WSS), for the registrar and the panel. */
export interface ConnectionInfo {
  readonly id: string;
  readonly transport: TransportProtocol;
  readonly remote: TransportAddress;
  readonly local: TransportAddress;
  /** True when we opened it (server-initiated), false when the peer connected to us. */
  readonly outbound: boolean;
  /** Clock time it was established. */
  readonly createdAt: number;
  /** Clock time of the last byte received or sent. */
  readonly lastActivity: number;
  /** True while at least one registration keeps the flow (it is then never closed for idleness). */
  readonly bound: boolean;
}

/** Options of {@link TransportLayer.send}. */
export interface SendOptions {
  /** Send on this connection (flow) when it is still open (RFC 3261 §18.2.2, RFC 5626 §5.3). */
  readonly connectionId?: string;
  /**
   * With `connectionId`: fail with TransportError instead of falling back to another connection when
   * the flow is gone (RFC 5626 §5.3: a request for a dead flow gets 430, it is not rerouted).
   */
  readonly strictFlow?: boolean;
  /** UDP only: send from the socket bound to this local address (the one the request arrived on). */
  readonly local?: TransportAddress;
}
