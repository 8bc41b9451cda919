/**
 * What the four transaction machines share: identity, the timer bookkeeping on the injected Clock,
 * sending with transport-error reporting, and the observer. Each machine keeps its own state enum,
 * its own transition table and its own handlers (STYLE principle 3).
 */
import { TypedEmitter, type Clock, type Logger, type TimerHandle } from '../../lib/index.js';
import type { SipRequest, SipResponse } from '../message/index.js';
import { timerTable, type TimerSettings, type TimerTable } from './timer-table.js';
import type { TransactionAddress, TransactionTransport } from './types.js';

/** The timers of RFC 3261 §17 and RFC 6026, plus the 200 ms "Trying" delay of §17.2.1. */
export type TimerName = 'A' | 'B' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'L' | 'M' | 'Trying';

/** Dependencies every transaction receives from the {@link TransactionLayer} (or a test). */
export interface TransactionContext {
  readonly transport: TransactionTransport;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly settings: TimerSettings;
}

/** Observer events of a transaction, for monitoring and for the layer's table bookkeeping. */
export type TransactionEvents<S extends string> = {
  stateChanged: [from: S, to: S];
  terminated: [];
};

/** The four kinds of RFC 3261 §17. */
export type TransactionKind = 'ict' | 'nict' | 'ist' | 'nist';

/** Sequence of transaction ids (ids only name transactions in logs: no need to be random). */
let lastId = 0;

/** Base class of the client and server transactions. */
export abstract class Transaction<S extends string> {
  /** Unique id for logs (`txId`) within the process; matching uses the branch and the keys of the layer. */
  readonly id = `tx${(++lastId).toString(36)}`;
  /** The request that created the transaction. */
  readonly request: SipRequest;
  /** True when the transport the transaction runs over is reliable (no retransmissions). */
  readonly reliable: boolean;
  /** Events for monitoring; listener exceptions never reach the transaction. */
  readonly observer: TypedEmitter<TransactionEvents<S>>;
  /** The timer values for this transaction's transport. */
  protected readonly timers: TimerTable;
  protected readonly logger: Logger;
  readonly #clock: Clock;
  readonly #transport: TransactionTransport;
  readonly #handles = new Map<TimerName, TimerHandle>();

  protected constructor(kind: TransactionKind, request: SipRequest, transport: string, context: TransactionContext) {
    this.request = request;
    this.reliable = context.transport.isReliable(transport);
    this.timers = timerTable(context.settings, this.reliable);
    this.#clock = context.clock;
    this.#transport = context.transport;
    this.logger = context.logger.child({
      category: `sip.transaction.${kind}`,
      txId: this.id,
      callId: request.callId(),
      branch: request.topVia()?.branch,
    });
    this.observer = new TypedEmitter<TransactionEvents<S>>(this.logger);
  }

  /** Which machine this is. */
  abstract get kind(): TransactionKind;

  /** The current state. */
  abstract get state(): S;

  /** True once the transaction reached Terminated. */
  abstract get closed(): boolean;

  /** The branch of the top Via of the creating request. */
  get branch(): string | undefined {
    return this.request.topVia()?.branch;
  }

  /** Names of the timers currently running, for tests and diagnostics. */
  get runningTimers(): TimerName[] {
    return [...this.#handles.keys()];
  }

  /** Starts (or restarts) a named timer. */
  protected startTimer(name: TimerName, ms: number, fire: () => void): void {
    this.stopTimer(name);
    const handle = this.#clock.setTimeout(() => {
      this.#handles.delete(name);
      this.logger.trace({ timer: name }, `timer ${name} fired`);
      fire();
    }, ms);
    this.#handles.set(name, handle);
  }

  /**
   * Starts a timer that the RFC zeroes on reliable transports ("zero seconds"): with 0 it fires at
   * once, synchronously, so a reliable transaction never lingers in a wait state.
   */
  protected startWaitTimer(name: TimerName, ms: number, fire: () => void): void {
    if (ms <= 0) fire();
    else this.startTimer(name, ms, fire);
  }

  /** Stops a named timer if it runs. */
  protected stopTimer(name: TimerName): void {
    const handle = this.#handles.get(name);
    if (handle) {
      this.#clock.clearTimeout(handle);
      this.#handles.delete(name);
    }
  }

  /** Stops every timer (on entering Terminated). */
  protected stopAllTimers(): void {
    for (const handle of this.#handles.values()) this.#clock.clearTimeout(handle);
    this.#handles.clear();
  }

  /**
   * Passes a message to the transport. A failure, synchronous or not, always reaches
   * {@link transportFailed} asynchronously, so no machine sees a transport error in the middle of
   * one of its own handlers.
   */
  protected send(message: SipRequest | SipResponse, dest: TransactionAddress, connectionId?: string): void {
    let sending: Promise<void>;
    try {
      sending = this.#transport.send(message, dest, connectionId);
    } catch (err) {
      sending = Promise.reject(err);
    }
    sending.then(undefined, (err: unknown) => {
      this.transportFailed(err instanceof Error ? err : new Error(String(err)));
    });
  }

  /** Reacts to a failed send (§17.1.4, §17.2.4); called asynchronously, in any state. */
  protected abstract transportFailed(error: Error): void;

  /** Calls a TU callback; an exception in the TU is logged and never breaks the machine. */
  protected callUser(callback: string, call: () => void): void {
    try {
      call();
    } catch (err) {
      this.logger.error({ err, callback }, 'transaction user callback threw');
    }
  }

  /** Records a state change for the observer and, for Terminated, the layer. */
  protected announce(from: S, to: S, terminated: boolean): void {
    this.logger.debug({ from, to }, `${from} → ${to}`);
    this.observer.emit('stateChanged', from, to);
    if (terminated) this.observer.emit('terminated');
  }
}
