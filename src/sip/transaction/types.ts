/**
 * The seams of the transaction layer (STYLE principle 1): the transport it sends through and the
 * transaction users (TU) it reports to. Upper layers implement them; main.ts wires them.
 */
import type { SipRequest, SipResponse } from '../message/index.js';

/**
 * Where a message goes or came from: the part of the transport layer's `TransportAddress` that the
 * transaction layer needs. A `TransportAddress` satisfies it structurally.
 */
export interface TransactionAddress {
  /** Lower-case transport token: udp, tcp, tls, ws, wss. */
  readonly transport: string;
  readonly address: string;
  readonly port: number;
}

/** What a transaction sends through. The stack implements it over the transport layer. */
export interface TransactionTransport {
  /**
   * Serialises and sends one message. For responses the implementation applies RFC 3261 §18.2.2
   * (received/rport, the connection the request came on, fallbacks); the promise rejects only when
   * every attempt failed, which the transaction then treats as a transport error (§17.1.4, §17.2.4).
   */
  send(message: SipRequest | SipResponse, dest: TransactionAddress, connectionId?: string): Promise<void>;
  /** True for transports with reliable delivery (TCP, TLS, WS, WSS, SCTP): no retransmissions, zeroed D/I/J/K. */
  isReliable(transport: string): boolean;
}

/** Options of a client transaction. */
export interface ClientTransactionOptions {
  /** Send on this connection (flow) when the transport has it open (RFC 5626 flows, TCP reuse). */
  readonly connectionId?: string;
}

/** Callbacks of the TU that owns a client transaction (RFC 3261 §17.1). */
export interface ClientTransactionUser {
  /**
   * A response the transaction passes up: every provisional response, the first non-2xx final
   * response, and (INVITE, RFC 6026) every 2xx including retransmissions and other branches' 2xx.
   */
  receiveResponse(response: SipResponse): void;
  /** Timer B or F fired before a final response arrived; the TU treats it as 408 (§8.1.3.1). */
  onTimeout(): void;
  /** The transport could not send the request or the ACK (§17.1.4); the TU treats it as 503 (§8.1.3.1). */
  onTransportError(error: Error): void;
  /** The transaction entered Terminated and left the transaction table. */
  onTerminated?(): void;
}

/** Options of a server transaction. */
export interface ServerTransactionOptions {
  /** The connection (flow) the request arrived on; responses go back on it (RFC 3261 §18.2.2). */
  readonly connectionId?: string;
}

/** Where a copy of a request came from: its source address and, on a stream, its connection (flow). */
export interface RequestArrival {
  readonly source: TransactionAddress;
  readonly connectionId?: string;
}

/** Callbacks of the TU that owns a server transaction (RFC 3261 §17.2). */
export interface ServerTransactionUser {
  /** A response could not be delivered (§17.2.4 as updated by RFC 6026 §8.8); the transaction stays in its state. */
  onTransportError(error: Error): void;
  /** INVITE only: Timer H fired in Completed, the ACK never came (§17.2.1, "transaction failure"). */
  onTimeout?(): void;
  /**
   * INVITE only, RFC 6026 Accepted state: an ACK that matched this transaction (RFC 2543 peers, or
   * peers that reuse the INVITE's branch in the ACK for a 2xx). It belongs to the dialog, like a stray ACK.
   */
  receiveAck?(ack: SipRequest): void;
  /** The transaction entered Terminated and left the transaction table. */
  onTerminated?(): void;
}
