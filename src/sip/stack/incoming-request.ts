import type { SipRequest, SipResponse } from '../message/index.js';
import type { TransportAddress } from '../transport/index.js';

/** Options of {@link IncomingRequest.reply}. */
export interface ReplyOptions {
  /** Reason phrase; default from the status table. */
  readonly reason?: string;
  /** Extra header fields, in order. */
  readonly headers?: readonly (readonly [string, string])[];
  readonly body?: Uint8Array;
  readonly contentType?: string;
}

/**
 * A new request handed to a TU handler (like a drachtio `req`/`res` pair in one typed object). The
 * server transaction is already created; responses sent here go through it, so retransmissions of
 * the request are answered with the last response (RFC 3261 §17.2).
 */
export interface IncomingRequest {
  /** The request, with `received`/`rport` already set on its top Via (RFC 3581). */
  readonly request: SipRequest;
  /** Where the request came from: responses go there (RFC 3581 §4, INTEROP). */
  readonly source: TransportAddress;
  /** The local address it arrived on. */
  readonly local: TransportAddress;
  /** The flow it came over (stream transports), undefined for UDP. */
  readonly connectionId: string | undefined;
  /** Builds a response to the request (§8.2.6: Via, From, To + tag, Call-ID, CSeq copied) and sends it. */
  reply(status: number, options?: ReplyOptions): Promise<void>;
  /** Sends a response built by the caller through the server transaction. */
  send(response: SipResponse): Promise<void>;
  /**
   * INVITE only: `listener` runs after a CANCEL for this INVITE was answered 200 and the INVITE 487
   * (RFC 3261 §9.2), so that the TU stops what the INVITE started (forks, timers).
   */
  onCancel(listener: () => void): void;
}

/** A TU handler for one method; it must answer (a thrown {@link SipError} becomes its response, any other failure 500). */
export type RequestHandler = (request: IncomingRequest) => void | Promise<void>;
