import { InvalidStateError } from '../../lib/index.js';
import { createResponse, type SipRequest, type SipResponse } from '../message/index.js';
import { Transaction, type TransactionContext, type TransactionKind } from './transaction.js';
import type { RequestArrival, ServerTransactionOptions, ServerTransactionUser, TransactionAddress } from './types.js';

/**
 * States of the INVITE server transaction, RFC 3261 Figure 7 as redrawn by RFC 6026 §8.7
 * (Accepted state, Timer L; a transport error informs the TU and leaves the state unchanged, §8.8):
 *
 * ```
 *                                |INVITE
 *                                |pass INV to TU
 *             INVITE             V send 100 if TU won't in 200 ms
 *             send response+------------+
 *                 +--------|            |--------+ 101-199 from TU
 *                 |        |            |        | send response
 *                 +------->|            |<-------+
 *                          | Proceeding |
 *                          |            |--------+ Transport Err.
 *                          |            |        | Inform TU
 *                          |            |<-------+
 *                          +------------+
 *             300-699 from TU |    |2xx from TU
 *             send response   |    |send response
 *              +--------------+    +------------+
 *              |                                |
 * INVITE       V          Timer G fires         |
 * send response+-----------+ send response      |
 *       +--------|           |--------+         |
 *       |        |           |        |         |
 *       +------->| Completed |<-------+ INVITE  |  Transport Err.
 *                |           |          -       |  Inform TU
 *       +--------|           |----+   +-----+   |  +---+
 *       |        +-----------+    |   |     v   v  |   v
 *       |          ^   |          |   |  +------------+
 *       |          |   |    ACK   |   +--|            |---+ ACK
 *       +----------+   |    -     |      |  Accepted  |   | to TU
 *       Transport Err. |          |      |            |<--+
 *       Inform TU      |          V      +------------+
 *                      |  +-----------+     |  ^     |
 *                      |  |           |     |  |     |
 *                      |  | Confirmed |     |  +-----+
 *                      |  |           |     |  2xx from TU
 *        Timer H fires |  +-----------+     |  send response
 *        -             |      |             |
 *                      |      | Timer I     | Timer L fires
 *                      |      | fires -     | -
 *                      |      V             |
 *                      |  +------------+    |
 *                      +->| Terminated |<---+
 *                         +------------+
 * ```
 */
export enum InviteServerState {
  Proceeding = 'Proceeding',
  Completed = 'Completed',
  Confirmed = 'Confirmed',
  Accepted = 'Accepted',
  Terminated = 'Terminated',
}

const S = InviteServerState;

/** Allowed transitions: the edges of the figure above. */
const TRANSITIONS: Readonly<Record<InviteServerState, readonly InviteServerState[]>> = {
  [S.Proceeding]: [S.Completed, S.Accepted],
  [S.Completed]: [S.Confirmed, S.Terminated],
  [S.Confirmed]: [S.Terminated],
  [S.Accepted]: [S.Terminated],
  [S.Terminated]: [],
};

/**
 * The INVITE server transaction (RFC 3261 §17.2.1, RFC 6026 §8.5–§8.8). The stack passes the INVITE
 * to the TU; the TU answers through {@link respond}.
 */
export class InviteServerTransaction extends Transaction<InviteServerState> {
  #source: TransactionAddress;
  #connectionId: string | undefined;
  readonly #user: ServerTransactionUser;
  #state: InviteServerState = S.Proceeding;
  #lastProvisional: SipResponse | undefined;
  #finalResponse: SipResponse | undefined;

  constructor(
    request: SipRequest,
    source: TransactionAddress,
    user: ServerTransactionUser,
    context: TransactionContext,
    options: ServerTransactionOptions = {},
  ) {
    if (request.method !== 'INVITE') throw new TypeError(`an INVITE server transaction cannot serve ${request.method}`);
    super('ist', request, source.transport, context);
    this.#source = source;
    this.#connectionId = options.connectionId;
    this.#user = user;
    // §17.2.1: the server transaction MUST generate a 100 (Trying) response unless it knows that the
    // TU will generate a provisional or final response within 200 ms.
    if (this.timers.trying <= 0) this.#sendTrying();
    else this.startTimer('Trying', this.timers.trying, () => this.#sendTrying());
  }

  /**
   * Where responses go: the source of the INVITE, or of its latest retransmission when that came
   * by another flow (RFC 3261 §18.2.2, RFC 3581).
   */
  get source(): TransactionAddress {
    return this.#source;
  }

  /** The connection (flow) responses go back on, if any: the one the INVITE (or its latest copy) arrived on. */
  get connectionId(): string | undefined {
    return this.#connectionId;
  }

  get kind(): TransactionKind {
    return 'ist';
  }

  get state(): InviteServerState {
    return this.#state;
  }

  get closed(): boolean {
    return this.#state === S.Terminated;
  }

  /** The final response sent, once there is one (its To tag is what an RFC 2543 ACK must carry, §17.2.3). */
  get finalResponse(): SipResponse | undefined {
    return this.#finalResponse;
  }

  /** Sends a response from the TU. Throws InvalidStateError when the state does not accept it. */
  respond(response: SipResponse): void {
    const status = response.status;
    if (!Number.isInteger(status) || status < 100 || status > 699) throw new RangeError(`invalid status code ${status}`);
    switch (this.#state) {
      case S.Proceeding:
        this.stopTimer('Trying');
        if (status < 200) {
          // §17.2.1: the TU passes any number of provisional responses to the server transaction. So
          // long as the server transaction is in the "Proceeding" state, each of these MUST be passed
          // to the transport layer for transmission; they are not retransmitted by the transaction.
          this.#lastProvisional = response;
          this.send(response, this.source, this.connectionId);
        } else if (status < 300) {
          // RFC 6026 §8.5: if, while in "Proceeding", the TU passes a 2xx response, the server
          // transaction MUST pass it to the transport layer for transmission. It is not retransmitted
          // by the server transaction (the TU does that, §13.3.1.4). It MUST then enter "Accepted".
          this.#finalResponse = response;
          this.send(response, this.source, this.connectionId);
          this.#transition(S.Accepted);
        } else {
          // §17.2.1: while in "Proceeding", if the TU passes a 300-699 response, it MUST be passed to
          // the transport layer for transmission, and the state machine MUST enter "Completed".
          this.#finalResponse = response;
          this.send(response, this.source, this.connectionId);
          this.#transition(S.Completed);
        }
        return;
      case S.Accepted:
        // RFC 6026 §8.7: while in "Accepted", if the TU passes a 2xx response, the server transaction
        // MUST pass the response to the transport layer for transmission (the TU's retransmissions).
        if (status >= 200 && status < 300) {
          this.send(response, this.source, this.connectionId);
          return;
        }
        throw new InvalidStateError(`INVITE server transaction: cannot send ${status} after a 2xx`);
      case S.Completed:
      case S.Confirmed:
      case S.Terminated:
        throw new InvalidStateError(`INVITE server transaction: cannot send ${status} in ${this.#state}`);
    }
  }

  /**
   * Handles a retransmitted INVITE or an ACK that matched this transaction (§17.2.3); `arrival`
   * is where that copy came from (responses follow an INVITE that came by another flow).
   */
  receiveRequest(request: SipRequest, arrival?: RequestArrival): void {
    const isAck = request.method === 'ACK';
    if (!isAck && request.method !== 'INVITE') {
      this.logger.warn({ method: request.method }, 'request of another method dropped');
      return;
    }
    if (!isAck && arrival) this.#follow(arrival);
    switch (this.#state) {
      case S.Proceeding:
        if (isAck) {
          this.logger.debug({}, 'ACK before any final response dropped');
          return;
        }
        // §17.2.1: if a request retransmission is received while in the "Proceeding" state, the most
        // recent provisional response that was received from the TU MUST be passed to the transport
        // layer for retransmission. Before the TU answered, the 100 (Trying) is sent now.
        if (this.#lastProvisional) this.send(this.#lastProvisional, this.source, this.connectionId);
        else this.#sendTrying();
        return;
      case S.Completed:
        if (isAck) {
          // §17.2.1: if an ACK is received while the server transaction is in the "Completed" state,
          // it MUST transition to "Confirmed". Timer I: T4 for unreliable, zero for reliable transports.
          this.#transition(S.Confirmed);
          this.startWaitTimer('I', this.timers.I, () => this.#timerI());
          return;
        }
        // §17.2.1: while in the "Completed" state, if a request retransmission is received, the server
        // SHOULD pass the response to the transport for retransmission.
        if (this.#finalResponse) this.send(this.#finalResponse, this.source, this.connectionId);
        return;
      case S.Confirmed:
        // §17.2.1: the purpose of the "Confirmed" state is to absorb any additional ACK messages that
        // arrive, triggered from retransmissions of the final response.
        return;
      case S.Accepted:
        if (isAck) {
          // RFC 6026 Figure 7: an ACK in "Accepted" is passed to the TU (it acknowledges the 2xx).
          this.callUser('receiveAck', () => this.#user.receiveAck?.(request));
          return;
        }
        // RFC 6026 §8.7: while in the "Accepted" state, any retransmissions of the INVITE received will
        // match this transaction state machine and will be absorbed by the machine without changing its
        // state. These retransmissions are not passed onto the TU.
        return;
      case S.Terminated:
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

  /** Ends the transaction at once without telling the TU of a failure (shutdown). Idempotent. */
  close(): void {
    if (this.#state !== S.Terminated) this.#transition(S.Terminated, true);
  }

  protected transportFailed(error: Error): void {
    if (this.#state === S.Terminated) return;
    // §17.2.4 as updated by RFC 6026 §8.8: if the procedures of RFC 3263 to reach a backup fail (the
    // stack's TransactionTransport did that), the server transaction SHOULD inform the TU that a
    // failure has occurred, and MUST remain in the current state.
    this.logger.warn({ err: error, state: this.#state }, 'transport error');
    this.callUser('onTransportError', () => this.#user.onTransportError(error));
  }

  #sendTrying(): void {
    this.stopTimer('Trying');
    if (this.#state !== S.Proceeding || this.#lastProvisional) return;
    // §8.2.6.1: a 100 (Trying) carries no To tag and copies Timestamp (createResponse does both).
    const trying = createResponse(this.request, 100);
    this.#lastProvisional = trying;
    this.send(trying, this.source, this.connectionId);
  }

  #startTimerG(interval: number): void {
    this.startTimer('G', interval, () => {
      // §17.2.1: when timer G fires, the response is passed to the transport layer once more for
      // retransmission, and timer G is set to fire in MIN(2*T1, T2) seconds; from then on the value
      // doubles, unless it exceeds T2, in which case it is reset with the value of T2.
      if (this.#state !== S.Completed || !this.#finalResponse) return;
      this.send(this.#finalResponse, this.source, this.connectionId);
      this.#startTimerG(Math.min(interval * 2, this.timers.T2));
    });
  }

  #timerH(): void {
    // §17.2.1: if timer H fires while in the "Completed" state, it implies that the ACK was never
    // received. The server transaction MUST transition to "Terminated", and MUST indicate to the TU
    // that a transaction failure has occurred.
    if (this.#state !== S.Completed) return;
    this.logger.info({ timeout: this.timers.H }, 'no ACK for the final response (Timer H)');
    this.callUser('onTimeout', () => this.#user.onTimeout?.());
    if (!this.closed) this.#transition(S.Terminated);
  }

  #timerI(): void {
    // §17.2.1: once timer I fires, the server MUST transition to the "Terminated" state.
    if (this.#state === S.Confirmed) this.#transition(S.Terminated);
  }

  #timerL(): void {
    // RFC 6026 §8.7: when Timer L fires and the state machine is in the "Accepted" state, the machine
    // MUST transition to the "Terminated" state.
    if (this.#state === S.Accepted) this.#transition(S.Terminated);
  }

  /** The only writer of the state. `forced` allows close() from any state. */
  #transition(to: InviteServerState, forced = false): void {
    const from = this.#state;
    if (!forced && !TRANSITIONS[from].includes(to)) {
      throw new InvalidStateError(`INVITE server transaction: no transition ${from} → ${to}`);
    }
    this.#state = to;
    switch (to) {
      case S.Completed:
        // §17.2.1: for unreliable transports, timer G is set to fire in T1 seconds, and is not set to
        // fire for reliable transports. When the "Completed" state is entered, timer H MUST be set to
        // fire in 64*T1 seconds for all transports.
        if (this.timers.G !== undefined) this.#startTimerG(this.timers.G);
        this.startTimer('H', this.timers.H, () => this.#timerH());
        break;
      case S.Confirmed:
        // §17.2.1: timer G is ignored in this state, so any retransmissions of the response cease.
        this.stopTimer('G');
        this.stopTimer('H');
        break;
      case S.Accepted:
        // RFC 6026 §8.7: the server transaction MUST start Timer L (64*T1) on entering "Accepted".
        this.startTimer('L', this.timers.L, () => this.#timerL());
        break;
      case S.Terminated:
        // RFC 6026 §8.7: once the transaction is in the "Terminated" state, it MUST be destroyed immediately.
        this.stopAllTimers();
        break;
      case S.Proceeding:
        break;
    }
    this.announce(from, to, to === S.Terminated);
    if (to === S.Terminated) this.callUser('onTerminated', () => this.#user.onTerminated?.());
  }
}
