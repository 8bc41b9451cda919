import { InvalidStateError } from '../../lib/index.js';
import type { SipRequest, SipResponse } from '../message/index.js';
import { Transaction, type TransactionContext, type TransactionKind } from './transaction.js';
import type { RequestArrival, ServerTransactionOptions, ServerTransactionUser, TransactionAddress } from './types.js';

/**
 * States of the non-INVITE server transaction, RFC 3261 Figure 8. The figure's "Trnsprt Err / Inform
 * TU → Terminated" edges are replaced by self-loops: RFC 6026 §8.8 rewrote §17.2.4 for every server
 * transaction ("SHOULD inform the TU ... and MUST remain in the current state"), so a retransmitted
 * request keeps matching instead of reaching the TU as a new one.
 *
 * ```
 *                                   |Request received
 *                                   |pass to TU
 *                                   V
 *                             +-----------+
 *                             |           |
 *                             | Trying    |-------------+
 *                             |           |             |
 *                             +-----------+             |200-699 from TU
 *                                   |                   |send response
 *                                   |1xx from TU        |
 *                                   |send response      |
 *                                   |                   |
 *                Request            V      1xx from TU  |
 *                send response+-----------+send response|
 *                    +--------|           |--------+    |
 *                    |        | Proceeding|        |    |
 *                    +------->|           |<-------+    |
 *        Trnsprt Err +--------|           |             |
 *        Inform TU   +------->+-----------+             |
 *                                   |                   |
 *                                   |200-699 from TU    |
 *                                   |send response      |
 *                Request            V                   |
 *                send response+-----------+             |
 *                    +--------|           |             |
 *                    |        | Completed |<------------+
 *                    +------->|           |
 *        Trnsprt Err +--------|           |
 *        Inform TU   +------->+-----------+
 *                                   |
 *                                   |Timer J fires
 *                                   |-
 *                                   V
 *                             +-----------+
 *                             |           |
 *                             | Terminated|
 *                             |           |
 *                             +-----------+
 * ```
 */
export enum NonInviteServerState {
  Trying = 'Trying',
  Proceeding = 'Proceeding',
  Completed = 'Completed',
  Terminated = 'Terminated',
}

const S = NonInviteServerState;

/** Allowed transitions: the edges of the figure above. */
const TRANSITIONS: Readonly<Record<NonInviteServerState, readonly NonInviteServerState[]>> = {
  [S.Trying]: [S.Proceeding, S.Completed],
  [S.Proceeding]: [S.Completed],
  [S.Completed]: [S.Terminated],
  [S.Terminated]: [],
};

/** The non-INVITE server transaction (RFC 3261 §17.2.2). The TU answers through {@link respond}. */
export class NonInviteServerTransaction extends Transaction<NonInviteServerState> {
  #source: TransactionAddress;
  #connectionId: string | undefined;
  readonly #user: ServerTransactionUser;
  #state: NonInviteServerState = S.Trying;
  #lastProvisional: SipResponse | undefined;
  #finalResponse: SipResponse | undefined;

  constructor(
    request: SipRequest,
    source: TransactionAddress,
    user: ServerTransactionUser,
    context: TransactionContext,
    options: ServerTransactionOptions = {},
  ) {
    if (request.method === 'INVITE' || request.method === 'ACK') {
      throw new TypeError(`a non-INVITE server transaction cannot serve ${request.method}`);
    }
    super('nist', request, source.transport, context);
    this.#source = source;
    this.#connectionId = options.connectionId;
    this.#user = user;
  }

  /**
   * Where responses go: the source of the request, or of its latest retransmission when that came
   * by another flow (RFC 3261 §18.2.2, RFC 3581).
   */
  get source(): TransactionAddress {
    return this.#source;
  }

  /** The connection (flow) responses go back on, if any: the one the request (or its latest copy) arrived on. */
  get connectionId(): string | undefined {
    return this.#connectionId;
  }

  get kind(): TransactionKind {
    return 'nist';
  }

  get state(): NonInviteServerState {
    return this.#state;
  }

  get closed(): boolean {
    return this.#state === S.Terminated;
  }

  /** The final response sent, once there is one. */
  get finalResponse(): SipResponse | undefined {
    return this.#finalResponse;
  }

  /**
   * Sends a response from the TU. In Completed further responses are discarded (§17.2.2); after
   * Terminated this throws InvalidStateError.
   */
  respond(response: SipResponse): void {
    const status = response.status;
    if (!Number.isInteger(status) || status < 100 || status > 699) throw new RangeError(`invalid status code ${status}`);
    switch (this.#state) {
      case S.Trying:
      case S.Proceeding:
        if (status < 200) {
          // §17.2.2: while in the "Trying" state, if the TU passes a provisional response to the server
          // transaction, the server transaction MUST enter the "Proceeding" state. The response MUST be
          // passed to the transport layer for transmission. Any further provisional responses that are
          // received from the TU while in the "Proceeding" state MUST be passed to the transport layer.
          this.#lastProvisional = response;
          this.send(response, this.source, this.connectionId);
          if (this.#state === S.Trying) this.#transition(S.Proceeding);
        } else {
          // §17.2.2: if the TU passes a final response (status codes 200-699) to the server while in the
          // "Trying" or "Proceeding" state, the transaction MUST enter the "Completed" state, and the
          // response MUST be passed to the transport layer for transmission. Timer J: 64*T1 for
          // unreliable transports, zero seconds for reliable transports.
          this.#finalResponse = response;
          this.send(response, this.source, this.connectionId);
          this.#transition(S.Completed);
          this.startWaitTimer('J', this.timers.J, () => this.#timerJ());
        }
        return;
      case S.Completed:
        // §17.2.2: any other final responses passed by the TU to the server transaction MUST be
        // discarded while in the "Completed" state.
        this.logger.debug({ status }, 'response after the final response discarded');
        return;
      case S.Terminated:
        throw new InvalidStateError(`non-INVITE server transaction: cannot send ${status} after Terminated`);
    }
  }

  /**
   * Handles a retransmission of the request that matched this transaction (§17.2.3); `arrival` is
   * where that copy came from (responses follow a copy that came by another flow).
   */
  receiveRequest(request: SipRequest, arrival?: RequestArrival): void {
    if (arrival) this.#follow(arrival);
    switch (this.#state) {
      case S.Trying:
        // §17.2.2: once in the "Trying" state, any further request retransmissions are discarded.
        return;
      case S.Proceeding:
        // §17.2.2: if a retransmission of the request is received while in the "Proceeding" state, the
        // most recently sent provisional response MUST be passed to the transport layer for retransmission.
        if (this.#lastProvisional) this.send(this.#lastProvisional, this.source, this.connectionId);
        return;
      case S.Completed:
        // §17.2.2: while in the "Completed" state, the server transaction MUST pass the final response
        // to the transport layer for retransmission whenever a retransmission of the request is received.
        if (this.#finalResponse) this.send(this.#finalResponse, this.source, this.connectionId);
        return;
      case S.Terminated:
        this.logger.debug({ method: request.method }, 'request after Terminated dropped');
        return;
    }
  }

  /**
   * RFC 3261 §18.2.2: the response goes back on the connection the request came in on. A copy that
   * came by another flow (the client reconnected, or moved from UDP to TCP) shows where the client
   * listens now, so this and later responses go there.
   */
  #follow(arrival: RequestArrival): void {
    this.#source = arrival.source;
    this.#connectionId = arrival.connectionId;
  }

  /** Ends the transaction at once (shutdown). Idempotent. */
  close(): void {
    if (this.#state !== S.Terminated) this.#transition(S.Terminated, true);
  }

  protected transportFailed(error: Error): void {
    if (this.#state === S.Terminated) return;
    // §17.2.4 as updated by RFC 6026 §8.8: the server transaction SHOULD inform the TU that a failure
    // has occurred, and MUST remain in the current state.
    this.logger.warn({ err: error, state: this.#state }, 'transport error');
    this.callUser('onTransportError', () => this.#user.onTransportError(error));
  }

  #timerJ(): void {
    // §17.2.2: when timer J fires, the server transaction MUST transition to the "Terminated" state.
    if (this.#state === S.Completed) this.#transition(S.Terminated);
  }

  /** The only writer of the state. `forced` allows close() from any state. */
  #transition(to: NonInviteServerState, forced = false): void {
    const from = this.#state;
    if (!forced && !TRANSITIONS[from].includes(to)) {
      throw new InvalidStateError(`non-INVITE server transaction: no transition ${from} → ${to}`);
    }
    this.#state = to;
    // §17.2.2: the server transaction MUST be destroyed the instant it enters the "Terminated" state.
    if (to === S.Terminated) this.stopAllTimers();
    this.announce(from, to, to === S.Terminated);
    if (to === S.Terminated) this.callUser('onTerminated', () => this.#user.onTerminated?.());
  }
}
