/** Why a send or listen failed. */
export type TransportErrorCode =
  /** No connection to reuse and the transport cannot open one (WS/WSS), or the given flow is gone. */
  | 'NO_CONNECTION'
  /** Opening a TCP/TLS connection failed or timed out. */
  | 'CONNECT_FAILED'
  /** Writing to the socket failed, or the connection closed while writing. */
  | 'SEND_FAILED'
  /** No listening socket fits the destination (e.g. no UDP socket of that address family). */
  | 'NO_SOCKET'
  /** The destination is not usable (not an IP literal, bad port, message too large). */
  | 'BAD_DESTINATION'
  /** Binding a listening address failed. */
  | 'LISTEN_FAILED';

/**
 * A catchable transport failure (RFC 3261 §18.4: the transport layer reports errors to the
 * transaction layer, which treats them per §8.1.3.1 / §17.1.4 as a 503).
 */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  /** Machine-readable reason. */
  readonly code: TransportErrorCode;

  constructor(code: TransportErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
