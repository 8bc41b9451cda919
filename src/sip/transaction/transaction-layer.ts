import { InvalidStateError, type Clock, type Logger } from '../../lib/index.js';
import type { SipRequest, SipResponse } from '../message/index.js';
import { InviteClientTransaction } from './invite-client-transaction.js';
import { InviteServerTransaction } from './invite-server-transaction.js';
import { matchesRfc2543 } from './matches-rfc2543.js';
import { NonInviteClientTransaction } from './non-invite-client-transaction.js';
import { NonInviteServerTransaction } from './non-invite-server-transaction.js';
import { timerSettings, type TimerSettings } from './timer-table.js';
import type { TransactionContext } from './transaction.js';
import { clientKey, hasMagicCookie, responseClientKey, serverKey } from './transaction-key.js';
import type {
  ClientTransactionOptions,
  RequestArrival,
  ClientTransactionUser,
  ServerTransactionOptions,
  ServerTransactionUser,
  TransactionAddress,
  TransactionTransport,
} from './types.js';

/** A client transaction of either kind. */
export type ClientTransaction = InviteClientTransaction | NonInviteClientTransaction;

/** A server transaction of either kind. */
export type ServerTransaction = InviteServerTransaction | NonInviteServerTransaction;

/** What the transaction layer is built from (wired in the composition root). */
export interface TransactionLayerOptions {
  readonly transport: TransactionTransport;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Overrides of T1, T2, T4, Timer D and the 100 (Trying) delay; RFC 3261 defaults otherwise. */
  readonly timers?: Partial<TimerSettings>;
}

/**
 * Where an incoming request went: to an existing server transaction (a retransmission, or an ACK for
 * a non-2xx), or nowhere — then it is a new request (the stack creates a server transaction and passes
 * it to the TU) or an ACK for a 2xx (the stack passes it to the TU, RFC 3261 §17.2.3 / §13.3.1.4).
 */
export type RequestRouting =
  | { readonly matched: true; readonly transaction: ServerTransaction }
  | { readonly matched: false };

/**
 * The transaction table (RFC 3261 §17): creates client transactions for requests the TU sends,
 * matches responses to them (§17.1.3), matches requests to server transactions (§17.2.3, with the
 * RFC 2543 fallback), creates server transactions for new requests, and forgets every transaction
 * the moment it enters Terminated.
 */
export class TransactionLayer {
  /** The timer settings in force (the TU needs T1/T2 for its 2xx retransmissions, §13.3.1.4). */
  readonly settings: TimerSettings;
  readonly #context: TransactionContext;
  readonly #logger: Logger;
  readonly #clients = new Map<string, ClientTransaction>();
  /** Server transactions whose creating request had a magic-cookie branch, by {@link serverKey}. */
  readonly #servers = new Map<string, ServerTransaction>();
  /** RFC 2543 server transactions (no magic cookie), by Call-ID. */
  readonly #legacy = new Map<string, Set<ServerTransaction>>();
  #closed = false;

  constructor(options: TransactionLayerOptions) {
    this.settings = timerSettings(options.timers);
    this.#logger = options.logger.child({ category: 'sip.transaction' });
    this.#context = { transport: options.transport, clock: options.clock, logger: options.logger, settings: this.settings };
  }

  /** True after {@link close}. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Number of live client transactions. */
  get clientCount(): number {
    return this.#clients.size;
  }

  /** Number of live server transactions. */
  get serverCount(): number {
    let legacy = 0;
    for (const set of this.#legacy.values()) legacy += set.size;
    return this.#servers.size + legacy;
  }

  /**
   * Starts a client transaction: an INVITE client transaction for INVITE, a non-INVITE one otherwise.
   * The request must carry a top Via with a fresh magic-cookie branch ({@link newBranch}). ACK is not
   * sent through a transaction (§17.1.1.3, §13.2.2.4): the stack sends it directly.
   */
  sendRequest(
    request: SipRequest,
    destination: TransactionAddress,
    user: ClientTransactionUser,
    options: ClientTransactionOptions = {},
  ): ClientTransaction {
    this.#assertOpen();
    if (request.method === 'ACK') throw new TypeError('ACK is sent without a client transaction');
    const branch = request.topVia()?.branch;
    if (branch === undefined || !hasMagicCookie(branch)) throw new TypeError('a client transaction needs a top Via branch with the magic cookie');
    const key = clientKey(branch, request.method);
    if (this.#clients.has(key)) throw new InvalidStateError(`a client transaction ${request.method} ${branch} exists`);
    const transaction =
      request.method === 'INVITE'
        ? new InviteClientTransaction(request, destination, user, this.#context, options)
        : new NonInviteClientTransaction(request, destination, user, this.#context, options);
    this.#clients.set(key, transaction);
    transaction.observer.once('terminated', () => {
      if (this.#clients.get(key) === transaction) this.#clients.delete(key);
    });
    return transaction;
  }

  /**
   * Passes a response to the client transaction it matches (§17.1.3). Returns false when none does:
   * the stack then decides (RFC 6026 §7.5: a UA core handles a late 2xx to its INVITE, everything else is dropped).
   */
  receiveResponse(response: SipResponse): boolean {
    if (this.#closed) return false;
    const key = responseClientKey(response);
    const transaction = key === undefined ? undefined : this.#clients.get(key);
    if (!transaction) return false;
    transaction.receiveResponse(response);
    return true;
  }

  /**
   * Passes a request to the server transaction it matches (§17.2.3), or reports that none does.
   * CANCEL is matched against CANCEL transactions only; use {@link findInviteServerTransaction} for
   * the INVITE it cancels. `arrival` (where this copy came from) redirects the responses of a
   * transaction whose request is retransmitted over another flow (RFC 3261 §18.2.2).
   */
  receiveRequest(request: SipRequest, arrival?: RequestArrival): RequestRouting {
    if (this.#closed) return { matched: false };
    const transaction = this.#match(request);
    if (!transaction) return { matched: false };
    transaction.receiveRequest(request, arrival);
    return { matched: true, transaction };
  }

  /**
   * Creates the server transaction for a new request (one {@link receiveRequest} did not match):
   * an INVITE server transaction for INVITE, a non-INVITE one otherwise. Responses go to `source`
   * (RFC 3581: where the request came from) on `options.connectionId`.
   */
  createServerTransaction(
    request: SipRequest,
    source: TransactionAddress,
    user: ServerTransactionUser,
    options: ServerTransactionOptions = {},
  ): ServerTransaction {
    this.#assertOpen();
    if (request.method === 'ACK') throw new TypeError('an ACK never creates a server transaction (§17.2.3)');
    if (!request.topVia()) throw new TypeError('a request without Via cannot have a server transaction');
    if (this.#match(request)) throw new InvalidStateError('the request matches an existing server transaction');
    const transaction =
      request.method === 'INVITE'
        ? new InviteServerTransaction(request, source, user, this.#context, options)
        : new NonInviteServerTransaction(request, source, user, this.#context, options);
    const key = serverKey(request);
    if (key !== undefined) {
      this.#servers.set(key, transaction);
      transaction.observer.once('terminated', () => {
        if (this.#servers.get(key) === transaction) this.#servers.delete(key);
      });
    } else {
      const callId = request.callId() ?? '';
      let bucket = this.#legacy.get(callId);
      if (!bucket) {
        bucket = new Set();
        this.#legacy.set(callId, bucket);
      }
      bucket.add(transaction);
      transaction.observer.once('terminated', () => {
        const set = this.#legacy.get(callId);
        set?.delete(transaction);
        if (set?.size === 0) this.#legacy.delete(callId);
      });
    }
    return transaction;
  }

  /**
   * §9.2: the INVITE server transaction a CANCEL targets, found by applying §17.2.3 to the CANCEL as if
   * its method were INVITE. Undefined when there is none (the UAS then answers the CANCEL with 481).
   */
  findInviteServerTransaction(cancel: SipRequest): InviteServerTransaction | undefined {
    const key = serverKey(cancel, 'INVITE');
    let found: ServerTransaction | undefined;
    if (key !== undefined) {
      found = this.#servers.get(key);
    } else {
      for (const candidate of this.#legacy.get(cancel.callId() ?? '') ?? []) {
        if (matchesRfc2543(candidate.request, cancel, { asMethod: 'INVITE' })) {
          found = candidate;
          break;
        }
      }
    }
    return found instanceof InviteServerTransaction ? found : undefined;
  }

  /** Terminates every transaction without telling TUs of failures (shutdown) and refuses new ones. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const all: Array<ClientTransaction | ServerTransaction> = [...this.#clients.values(), ...this.#servers.values()];
    for (const set of this.#legacy.values()) all.push(...set);
    for (const transaction of all) transaction.close();
    this.#logger.debug({ closed: all.length }, 'transaction layer closed');
  }

  #match(request: SipRequest): ServerTransaction | undefined {
    const key = serverKey(request);
    if (key !== undefined) return this.#servers.get(key);
    // §17.2.3: the RFC 2543 rules for requests without the magic cookie.
    for (const candidate of this.#legacy.get(request.callId() ?? '') ?? []) {
      const finalToTag = candidate.finalResponse?.to()?.tag;
      if (matchesRfc2543(candidate.request, request, { finalToTag })) return candidate;
    }
    return undefined;
  }

  #assertOpen(): void {
    if (this.#closed) throw new InvalidStateError('the transaction layer is closed');
  }
}
