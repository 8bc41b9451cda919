import type { Clock, TimerHandle } from '../../lib/index.js';
import { DEFAULT_TIMER_SETTINGS } from '../transaction/index.js';

/** Options of {@link Retransmit2xx}. */
export interface Retransmit2xxOptions {
  readonly clock: Clock;
  /** Sends the 2xx once more. */
  readonly resend: () => void;
  /** 64*T1 passed without an ACK (§13.3.1.4: the session SHOULD then be ended with BYE). */
  readonly onTimeout: () => void;
  /** Retransmit (unreliable transport); over a reliable one only the ACK deadline runs. */
  readonly unreliable: boolean;
  readonly t1?: number;
  readonly t2?: number;
}

/**
 * RFC 3261 §13.3.1.4: the UAS core, not the transaction, retransmits a 2xx to INVITE, starting at T1
 * and doubling up to T2, until the ACK arrives; after 64*T1 without an ACK it gives up.
 */
export class Retransmit2xx {
  readonly #o: Retransmit2xxOptions;
  readonly #t1: number;
  readonly #t2: number;
  #interval: number;
  #timer: TimerHandle | undefined;
  #deadline: TimerHandle | undefined;
  #done = false;

  constructor(options: Retransmit2xxOptions) {
    this.#o = options;
    this.#t1 = options.t1 ?? DEFAULT_TIMER_SETTINGS.t1;
    this.#t2 = options.t2 ?? DEFAULT_TIMER_SETTINGS.t2;
    this.#interval = this.#t1;
    if (options.unreliable) this.#schedule();
    this.#deadline = options.clock.setTimeout(() => {
      if (this.#done) return;
      this.stop();
      options.onTimeout();
    }, 64 * this.#t1);
  }

  /** True until the ACK came, the deadline passed, or {@link stop} was called. */
  get active(): boolean {
    return !this.#done;
  }

  /** The ACK arrived (or the dialog ended): stop retransmitting. */
  stop(): void {
    this.#done = true;
    this.#o.clock.clearTimeout(this.#timer);
    this.#o.clock.clearTimeout(this.#deadline);
    this.#timer = undefined;
    this.#deadline = undefined;
  }

  #schedule(): void {
    this.#timer = this.#o.clock.setTimeout(() => {
      if (this.#done) return;
      this.#o.resend();
      this.#interval = Math.min(this.#interval * 2, this.#t2);
      this.#schedule();
    }, this.#interval);
  }
}
