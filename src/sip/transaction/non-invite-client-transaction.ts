import { InvalidStateError } from '../../lib/index.js';
import type { SipRequest, SipResponse } from '../message/index.js';
import { Transaction, type TransactionContext, type TransactionKind } from './transaction.js';
import type { ClientTransactionOptions, ClientTransactionUser, TransactionAddress } from './types.js';

/**
 * States of the non-INVITE client transaction, RFC 3261 Figure 6:
 *
 * ```
 *                                    |Request from TU
 *                                    |send request
 *                Timer E             V
 *                send request  +-----------+
 *                    +---------|           |-------------------+
 *                    |         |  Trying   |  Timer F          |
 *                    +-------->|           |  or Transport Err.|
 *                              +-----------+  inform TU        |
 *                 200-699         |  |                         |
 *                 resp. to TU     |  |1xx                      |
 *                 +---------------+  |resp. to TU              |
 *                 |                  |                         |
 *                 |   Timer E        V       Timer F           |
 *                 |   send req +-----------+ or Transport Err. |
 *                 |  +---------|           | inform TU         |
 *                 |  |         |Proceeding |------------------>|
 *                 |  +-------->|           |-----+             |
 *                 |            +-----------+     |1xx          |
 *                 |              |      ^        |resp to TU   |
 *                 | 200-699      |      +--------+             |
 *                 | resp. to TU  |                             |
 *                 |              |                             |
 *                 |              V                             |
 *                 |            +-----------+                   |
 *                 |            |           |                   |
 *                 +----------->| Completed |                   |
 *                              |           |                   |
 *                              +-----------+                   |
 *                                ^   |                         |
 *                                |   | Timer K                 |
 *                                +---+ -                       |
 *                                    |                         |
 *                                    V                         |
 *              NOTE:           +-----------+                   |
 *                              |           |                   |
 *          transitions         | Terminated|<------------------+
 *          labeled with        |           |
 *          the event           +-----------+
 *          over the action
 *          to take
 * ```
 */
export enum NonInviteClientState {
  Trying = 'Trying',
  Proceeding = 'Proceeding',
  Completed = 'Completed',
  Terminated = 'Terminated',
}

const S = NonInviteClientState;

/** Allowed transitions: the edges of the figure above. */
const TRANSITIONS: Readonly<Record<NonInviteClientState, readonly NonInviteClientState[]>> = {
  [S.Trying]: [S.Proceeding, S.Completed, S.Terminated],
  [S.Proceeding]: [S.Completed, S.Terminated],
  [S.Completed]: [S.Terminated],
  [S.Terminated]: [],
};

/** The non-INVITE client transaction (RFC 3261 §17.1.2). It sends the request on construction. */
export class NonInviteClientTransaction extends Transaction<NonInviteClientState> {
  /** Where the request and its retransmissions go. */
  readonly destination: TransactionAddress;
  readonly #connectionId: string | undefined;
  readonly #user: ClientTransactionUser;
  #state: NonInviteClientState = S.Trying;

  constructor(
    request: SipRequest,
    destination: TransactionAddress,
    user: ClientTransactionUser,
    context: TransactionContext,
    options: ClientTransactionOptions = {},
  ) {
    if (request.method === 'INVITE' || request.method === 'ACK') {
      throw new TypeError(`a non-INVITE client transaction cannot send ${request.method}`);
    }
    super('nict', request, destination.transport, context);
    this.destination = destination;
    this.#connectionId = options.connectionId;
    this.#user = user;
    // §17.1.2.2: the "Trying" state is entered when the TU initiates a new client transaction with a
    // request. When entering this state, the client transaction SHOULD set timer F to fire in 64*T1
    // seconds. The request MUST be passed to the transport layer for transmission. If an unreliable
    // transport is in use, the client transaction MUST set timer E to fire in T1 seconds.
    this.send(request, destination, this.#connectionId);
    if (this.timers.E !== undefined) this.#startTimerE(this.timers.E);
    this.startTimer('F', this.timers.F, () => this.#timerF());
  }

  get kind(): TransactionKind {
    return 'nict';
  }

  get state(): NonInviteClientState {
    return this.#state;
  }

  get closed(): boolean {
    return this.#state === S.Terminated;
  }

  /** Handles a response that matched this transaction (§17.1.3). */
  receiveResponse(response: SipResponse): void {
    const status = response.status;
    if (status < 100 || status > 699) {
      this.logger.warn({ status }, 'response with an invalid status code dropped');
      return;
    }
    switch (this.#state) {
      case S.Trying:
      case S.Proceeding:
        if (status < 200) {
          // §17.1.2.2: if a provisional response is received while in the "Trying" state, the response
          // MUST be passed to the TU, and then the client transaction SHOULD move to the "Proceeding"
          // state. In "Proceeding", any further provisional response MUST be passed up to the TU.
          if (this.#state === S.Trying) this.#transition(S.Proceeding);
          this.callUser('receiveResponse', () => this.#user.receiveResponse(response));
        } else {
          // §17.1.2.2: if a final response (200-699) is received while in "Trying" or "Proceeding",
          // the response MUST be passed to the TU, and the client transaction MUST transition to
          // "Completed". Timer K: T4 for unreliable transports, zero seconds for reliable ones.
          this.#transition(S.Completed);
          this.callUser('receiveResponse', () => this.#user.receiveResponse(response));
          if (this.state === S.Completed) this.startWaitTimer('K', this.timers.K, () => this.#timerK());
        }
        return;
      case S.Completed:
        // §17.1.2.2: the "Completed" state exists to buffer any additional response retransmissions
        // that may be received (which is why the client transaction remains there only for unreliable transports).
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
      case S.Trying:
      case S.Proceeding:
        // §17.1.4: the client transaction SHOULD inform the TU that a transport failure has occurred,
        // and SHOULD transition directly to the "Terminated" state (Figure 6: Trying and Proceeding).
        this.logger.warn({ err: error }, 'transport error');
        this.callUser('onTransportError', () => this.#user.onTransportError(error));
        if (!this.closed) this.#transition(S.Terminated);
        return;
      case S.Completed:
      case S.Terminated:
        this.logger.debug({ err: error, state: this.#state }, 'late transport error ignored');
        return;
    }
  }

  #startTimerE(interval: number): void {
    this.startTimer('E', interval, () => {
      switch (this.#state) {
        case S.Trying:
          // §17.1.2.2: if timer E fires while still in this state, the timer is reset, but this time
          // with a value of MIN(2*T1, T2); when it fires again, MIN(4*T1, T2), and so on.
          this.send(this.request, this.destination, this.#connectionId);
          this.#startTimerE(Math.min(interval * 2, this.timers.T2));
          return;
        case S.Proceeding:
          // §17.1.2.2: if Timer E fires while in the "Proceeding" state, the request MUST be passed to
          // the transport layer for retransmission, and Timer E MUST be reset with a value of T2 seconds.
          this.send(this.request, this.destination, this.#connectionId);
          this.#startTimerE(this.timers.T2);
          return;
        case S.Completed:
        case S.Terminated:
          return;
      }
    });
  }

  #timerF(): void {
    // §17.1.2.2: if Timer F fires while the client transaction is still in the "Trying" (or
    // "Proceeding") state, the client transaction SHOULD inform the TU about the timeout, and then it
    // SHOULD enter the "Terminated" state.
    if (this.#state !== S.Trying && this.#state !== S.Proceeding) return;
    this.logger.info({ timeout: this.timers.F }, `${this.request.method} timed out (Timer F)`);
    this.callUser('onTimeout', () => this.#user.onTimeout());
    if (!this.closed) this.#transition(S.Terminated);
  }

  #timerK(): void {
    // §17.1.2.2: if Timer K fires while in this state, the client transaction MUST transition to the
    // "Terminated" state.
    if (this.#state === S.Completed) this.#transition(S.Terminated);
  }

  /** The only writer of the state. `forced` allows close() from any state. */
  #transition(to: NonInviteClientState, forced = false): void {
    const from = this.#state;
    if (!forced && !TRANSITIONS[from].includes(to)) {
      throw new InvalidStateError(`non-INVITE client transaction: no transition ${from} → ${to}`);
    }
    this.#state = to;
    switch (to) {
      case S.Completed:
        // Figure 6: neither Timer E nor Timer F acts once a final response arrived.
        this.stopTimer('E');
        this.stopTimer('F');
        break;
      case S.Terminated:
        // §17.1.2.2: once the transaction is in the "Terminated" state, it MUST be destroyed immediately.
        this.stopAllTimers();
        break;
      case S.Trying:
      case S.Proceeding:
        break;
    }
    this.announce(from, to, to === S.Terminated);
    if (to === S.Terminated) this.callUser('onTerminated', () => this.#user.onTerminated?.());
  }
}
