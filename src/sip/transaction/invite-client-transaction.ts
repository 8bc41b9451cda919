import { InvalidStateError } from '../../lib/index.js';
import type { SipRequest, SipResponse } from '../message/index.js';
import { ackForNon2xx } from './ack-for-non2xx.js';
import { Transaction, type TransactionContext, type TransactionKind } from './transaction.js';
import type { ClientTransactionOptions, ClientTransactionUser, TransactionAddress } from './types.js';

/**
 * States of the INVITE client transaction, RFC 3261 Figure 5 as redrawn by RFC 6026 §8.4
 * (Accepted state, Timer M):
 *
 * ```
 *                                |INVITE from TU
 *              Timer A fires     |INVITE sent      Timer B fires
 *              Reset A,          V                 or Transport Err.
 *              INVITE sent +-----------+           inform TU
 *                +---------|           |---------------------------+
 *                |         |  Calling  |                           |
 *                +-------->|           |-----------+               |
 *   300-699                +-----------+ 2xx       |               |
 *   ACK sent                  |  |       2xx to TU |               |
 *   resp. to TU               |  |1xx              |               |
 *   +-------------------------+  |1xx to TU        |               |
 *   |                            |                 |               |
 *   |                1xx         V                 |               |
 *   |                1xx to TU +-----------+       |               |
 *   |                +---------|           |       |               |
 *   |                |         |Proceeding |       |               |
 *   |                +-------->|           |       |               |
 *   |                          +-----------+ 2xx   |               |
 *   |         300-699             |    |     2xx to TU             |
 *   |         ACK sent,  +--------+    +---------------+           |
 *   |         resp. to TU|                         |   |           |
 *   |                    |                         V   V           |
 *   |                    |                       +-----------+     |
 *   |                    |                       |           |     |
 *   |                    |                       | Accepted  |---+ 2xx
 *   |                    |                       |           |   | 2xx to TU
 *   |                    |                       +-----------+<--+
 *   |     300-699        V                             |           |
 *   |     ACK sent +-----------+ Transport Err.        |           |
 *   |  +-----------|           | Inform TU             |           |
 *   |  |           | Completed |----------------+      |           |
 *   |  +---------->|           |                |      |           |
 *   +------------->+-----------+                |      |           |
 *                      |  Timer D fires         |      | Timer M   |
 *                      |  -                     |      | fires -   |
 *                      V                        V      V           |
 *                +-----------------------------------------+       |
 *                |               Terminated                |<------+
 *                +-----------------------------------------+
 * ```
 */
export enum InviteClientState {
  Calling = 'Calling',
  Proceeding = 'Proceeding',
  Completed = 'Completed',
  Accepted = 'Accepted',
  Terminated = 'Terminated',
}

const S = InviteClientState;

/** Allowed transitions: the edges of the figure above. */
const TRANSITIONS: Readonly<Record<InviteClientState, readonly InviteClientState[]>> = {
  [S.Calling]: [S.Proceeding, S.Completed, S.Accepted, S.Terminated],
  [S.Proceeding]: [S.Completed, S.Accepted],
  [S.Completed]: [S.Terminated],
  [S.Accepted]: [S.Terminated],
  [S.Terminated]: [],
};

/** The INVITE client transaction (RFC 3261 §17.1.1, RFC 6026 §8.4). It sends the INVITE on construction. */
export class InviteClientTransaction extends Transaction<InviteClientState> {
  /** Where the INVITE, its retransmissions and the ACK for a non-2xx go. */
  readonly destination: TransactionAddress;
  readonly #connectionId: string | undefined;
  readonly #user: ClientTransactionUser;
  #state: InviteClientState = S.Calling;
  #ack: SipRequest | undefined;

  constructor(
    request: SipRequest,
    destination: TransactionAddress,
    user: ClientTransactionUser,
    context: TransactionContext,
    options: ClientTransactionOptions = {},
  ) {
    if (request.method !== 'INVITE') throw new TypeError(`an INVITE client transaction cannot send ${request.method}`);
    super('ict', request, destination.transport, context);
    this.destination = destination;
    this.#connectionId = options.connectionId;
    this.#user = user;
    // §17.1.1.2: the initial state, "calling", MUST be entered when the TU initiates a new client
    // transaction with an INVITE request. The client transaction MUST pass the request to the
    // transport layer for transmission. If an unreliable transport is being used, the client
    // transaction MUST start timer A with a value of T1. For any transport, the client transaction
    // MUST start timer B with a value of 64*T1 seconds.
    this.send(request, destination, this.#connectionId);
    if (this.timers.A !== undefined) this.#startTimerA(this.timers.A);
    this.startTimer('B', this.timers.B, () => this.#timerB());
  }

  get kind(): TransactionKind {
    return 'ict';
  }

  get state(): InviteClientState {
    return this.#state;
  }

  get closed(): boolean {
    return this.#state === S.Terminated;
  }

  /** The ACK sent for a non-2xx final response, once there is one. */
  get ack(): SipRequest | undefined {
    return this.#ack;
  }

  /** Handles a response that matched this transaction (§17.1.3). */
  receiveResponse(response: SipResponse): void {
    const status = response.status;
    if (status < 100 || status > 699) {
      this.logger.warn({ status }, 'response with an invalid status code dropped');
      return;
    }
    switch (this.#state) {
      case S.Calling:
      case S.Proceeding:
        if (status < 200) {
          // §17.1.1.2: if the client transaction receives a provisional response while in the
          // "Calling" state, it transitions to the "Proceeding" state ... SHOULD NOT retransmit the
          // request any longer. The provisional response MUST be passed to the TU; any further
          // provisional responses MUST be passed up to the TU while in the "Proceeding" state.
          if (this.#state === S.Calling) this.#transition(S.Proceeding);
          this.callUser('receiveResponse', () => this.#user.receiveResponse(response));
        } else if (status < 300) {
          // RFC 6026 §8.4: a 2xx in "Calling" or "Proceeding" MUST cause the transaction to enter
          // "Accepted" and be passed up to the TU. The transaction MUST NOT generate an ACK to the
          // 2xx; its handling is delegated to the TU.
          this.#transition(S.Accepted);
          this.callUser('receiveResponse', () => this.#user.receiveResponse(response));
        } else {
          // §17.1.1.2: a 300-699 response in "Calling" or "Proceeding" MUST cause the transition to
          // "Completed". The transaction MUST pass the response up to the TU and MUST generate an
          // ACK, even if the transport is reliable, sent to the same address, port and transport as
          // the original request. Timer D: at least 32 s for unreliable, zero for reliable transports.
          this.#transition(S.Completed);
          this.#ack = ackForNon2xx(this.request, response);
          this.send(this.#ack, this.destination, this.#connectionId);
          this.callUser('receiveResponse', () => this.#user.receiveResponse(response));
          if (this.state === S.Completed) this.startWaitTimer('D', this.timers.D, () => this.#timerD());
        }
        return;
      case S.Completed:
        // §17.1.1.2: any retransmissions of the final response that are received while in the
        // "Completed" state MUST cause the ACK to be re-passed to the transport layer for
        // retransmission, but the newly received response MUST NOT be passed up to the TU.
        if (status >= 300 && this.#ack) this.send(this.#ack, this.destination, this.#connectionId);
        return;
      case S.Accepted:
        // RFC 6026 §8.4: any 2xx responses that match this client transaction and that are received
        // while in the "Accepted" state MUST be passed up to the TU (retransmissions, other branches).
        if (status >= 200 && status < 300) {
          this.callUser('receiveResponse', () => this.#user.receiveResponse(response));
        } else {
          this.logger.debug({ status }, 'non-2xx response in Accepted dropped');
        }
        return;
      case S.Terminated:
        return;
    }
  }

  /** Ends the transaction at once without telling the TU of a failure (shutdown). Idempotent. */
  close(): void {
    if (this.#state !== S.Terminated) this.#transition(S.Terminated, true);
  }

  protected transportFailed(error: Error): void {
    switch (this.#state) {
      case S.Calling:
      case S.Completed:
        // §17.1.4: the client transaction SHOULD inform the TU that a transport failure has occurred,
        // and SHOULD transition directly to the "Terminated" state.
        this.logger.warn({ err: error }, 'transport error');
        this.callUser('onTransportError', () => this.#user.onTransportError(error));
        if (!this.closed) this.#transition(S.Terminated);
        return;
      case S.Proceeding:
      case S.Accepted:
      case S.Terminated:
        // A response arrived, so the request got through; a late failure of a retransmission changes nothing.
        this.logger.debug({ err: error, state: this.#state }, 'late transport error ignored');
        return;
    }
  }

  #startTimerA(interval: number): void {
    this.startTimer('A', interval, () => {
      // §17.1.1.2: when timer A fires, the client transaction MUST retransmit the request by passing
      // it to the transport layer, and MUST reset the timer with a value of 2*T1 ... (doubling each time).
      if (this.#state !== S.Calling) return;
      this.send(this.request, this.destination, this.#connectionId);
      this.#startTimerA(interval * 2);
    });
  }

  #timerB(): void {
    // §17.1.1.2: if the client transaction is still in the "Calling" state when timer B fires, it
    // SHOULD inform the TU that a timeout has occurred. The client transaction MUST NOT generate an ACK.
    if (this.#state !== S.Calling) return;
    this.logger.info({ timeout: this.timers.B }, 'INVITE timed out (Timer B)');
    this.callUser('onTimeout', () => this.#user.onTimeout());
    if (!this.closed) this.#transition(S.Terminated);
  }

  #timerD(): void {
    // §17.1.1.2: if timer D fires while the client transaction is in the "Completed" state, the client
    // transaction MUST move to the "Terminated" state.
    if (this.#state === S.Completed) this.#transition(S.Terminated);
  }

  #timerM(): void {
    // RFC 6026 §8.4: if Timer M fires while in the "Accepted" state, the client transaction MUST move
    // to the "Terminated" state.
    if (this.#state === S.Accepted) this.#transition(S.Terminated);
  }

  /** The only writer of the state. `forced` allows close() from any state. */
  #transition(to: InviteClientState, forced = false): void {
    const from = this.#state;
    if (!forced && !TRANSITIONS[from].includes(to)) {
      throw new InvalidStateError(`INVITE client transaction: no transition ${from} → ${to}`);
    }
    this.#state = to;
    switch (to) {
      case S.Proceeding:
        // Figure 5: Timer B only acts in "Calling"; in "Proceeding" the TU decides how long to wait.
        this.stopTimer('A');
        this.stopTimer('B');
        break;
      case S.Completed:
        this.stopTimer('A');
        this.stopTimer('B');
        break;
      case S.Accepted:
        // RFC 6026 §8.4: the client transaction MUST start Timer M with a value of 64*T1 on entering "Accepted".
        this.stopTimer('A');
        this.stopTimer('B');
        this.startTimer('M', this.timers.M, () => this.#timerM());
        break;
      case S.Terminated:
        // §17.1.1.2: the client transaction MUST be destroyed the instant it enters "Terminated".
        this.stopAllTimers();
        break;
      case S.Calling:
        break;
    }
    this.announce(from, to, to === S.Terminated);
    if (to === S.Terminated) this.callUser('onTerminated', () => this.#user.onTerminated?.());
  }
}
