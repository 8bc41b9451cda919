import { StoreUnavailableError, type Clock, type Logger, type TimerHandle } from '../../lib/index.js';
import type { CallDetailRecord, CdrSink } from '../ports.js';

/** Options of {@link CdrQueue}. */
export interface CdrQueueOptions {
  /** Where records go (the store). */
  readonly sink: CdrSink;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Most records kept while the store is unavailable; beyond it the oldest is given up. */
  readonly limit: number;
  /** Time between write attempts while records wait. */
  readonly retryIntervalMs: number;
}

/**
 * The call history's way to the store, through outages. A record the store cannot take now (a
 * `StoreUnavailableError`: the database is down, or busy) is kept in memory, in order, and written when the store
 * answers again: retried every `retryIntervalMs`, and at once on {@link CdrQueue.flush} (called when the store
 * comes back). Nothing is lost silently: a record given up — the queue is full (the oldest goes), the sink refused
 * it for another reason, or it still waits at close — is logged whole at error level, to be recovered from the log.
 * Writing a record twice is harmless (the sink is idempotent on the record's id).
 */
export class CdrQueue implements CdrSink {
  readonly #o: CdrQueueOptions;
  readonly #waiting: CallDetailRecord[] = [];
  #flushing: Promise<void> | undefined;
  #timer: TimerHandle | undefined;
  #closed = false;

  constructor(options: CdrQueueOptions) {
    this.#o = options;
  }

  /** Records waiting for the store. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Writes `record`, or keeps it until the store can take it. Never rejects. */
  async write(record: CallDetailRecord): Promise<void> {
    // Behind records already waiting, so the history is written in the order calls ended.
    if (this.#waiting.length > 0) {
      this.#keep(record);
      return;
    }
    try {
      await this.#o.sink.write(record);
    } catch (err) {
      if (err instanceof StoreUnavailableError) this.#keep(record);
      else this.#giveUp(record, err, 'CDR not written: the store refused it');
    }
  }

  /** Writes the waiting records now, in order, until the store refuses again. */
  flush(): Promise<void> {
    this.#flushing ??= this.#drain().finally(() => (this.#flushing = undefined));
    return this.#flushing;
  }

  /** Stops retrying after one last attempt; records still waiting are logged whole. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#o.clock.clearTimeout(this.#timer);
    if (this.#waiting.length > 0) await this.flush();
    for (const record of this.#waiting.splice(0)) {
      this.#giveUp(record, undefined, 'CDR not written: the store was still unavailable at shutdown');
    }
  }

  async #drain(): Promise<void> {
    this.#o.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    let written = 0;
    for (let record = this.#waiting[0]; record !== undefined; record = this.#waiting[0]) {
      try {
        await this.#o.sink.write(record);
        written++;
      } catch (err) {
        if (err instanceof StoreUnavailableError) {
          this.#schedule();
          break;
        }
        this.#giveUp(record, err, 'CDR not written: the store refused it');
      }
      // The first record is still the one just tried: only close() empties the list meanwhile.
      if (this.#waiting[0] === record) this.#waiting.shift();
    }
    if (written > 0) this.#o.logger.info({ written, waiting: this.#waiting.length }, 'kept CDRs written');
  }

  #keep(record: CallDetailRecord): void {
    if (this.#waiting.length === 0) {
      this.#o.logger.warn({ cdr: record.id }, 'store unavailable: CDRs are kept in memory until it answers again');
    }
    this.#waiting.push(record);
    if (this.#waiting.length > this.#o.limit) {
      const oldest = this.#waiting.shift();
      if (oldest) this.#giveUp(oldest, undefined, `CDR not written: more than ${this.#o.limit} CDRs waited for the store`);
    }
    this.#schedule();
  }

  #schedule(): void {
    if (this.#closed || this.#timer !== undefined) return;
    this.#timer = this.#o.clock.setTimeout(() => {
      this.#timer = undefined;
      void this.flush();
    }, this.#o.retryIntervalMs);
  }

  #giveUp(record: CallDetailRecord, err: unknown, why: string): void {
    this.#o.logger.error({ ...(err !== undefined ? { err } : {}), cdr: record }, why);
  }
}
