import type { TransportProtocol } from './types.js';

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

/** The listening address a LISTEN_FAILED error is about. */
export interface FailedListener {
  readonly protocol: TransportProtocol;
  readonly host: string;
  readonly port: number;
}

/**
 * A catchable transport failure (RFC 3261 §18.4: the transport layer reports errors to the
 * transaction layer, which treats them per §8.1.3.1 / §17.1.4 as a 503).
 */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  /** Machine-readable reason. */
  readonly code: TransportErrorCode;
  /** LISTEN_FAILED: the listener that could not be bound, so the caller can name the setting behind it. */
  readonly listener: FailedListener | undefined;

  constructor(code: TransportErrorCode, message: string, options?: { cause?: unknown; listener?: FailedListener }) {
    super(message, options);
    this.code = code;
    this.listener = options?.listener;
  }
}
