import { StoreUnavailableError, TypedEmitter, type Clock, type Logger, type TimerHandle } from '../lib/index.js';
import { retryAfterSeconds } from './store-errors.js';

/** Whether the store answers: `up`, or `down` (requests fail at once until a probe succeeds). */
export type StoreState = 'up' | 'down';

/** Events of {@link StoreHealth}. */
export type StoreHealthEvents = {
  /** A probe failed: the store is unreachable. */
  down: [error: unknown];
  /** A probe succeeded after an outage of `downMs`. */
  up: [downMs: number];
};

/** Options of {@link StoreHealth}. */
export interface StoreHealthOptions {
  /**
   * Connects anew and runs one cheap query (`select 1`); rejects when the store does not answer. A connection of its
   * own: a pooled one may be one the server has just closed.
   */
  readonly probe: () => Promise<void>;
  /** One cheap query on the pool (`select 1`), for {@link StoreHealth.check}. */
  readonly ping: () => Promise<void>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Time between probes while the store is down. */
  readonly probeIntervalMs: number;
}

/**
 * Knows whether the store answers. A lost connection (a query or an idle connection failed: server restarting,
 * backend terminated, network down) starts a probe at once; only a failed probe marks the store `down`, so one
 * connection closed by the server does not. While down, queries fail at once with {@link StoreUnavailableError}
 * (no waiting for connect timeouts, no pile-up in the pool) and a probe runs every `probeIntervalMs` until one
 * succeeds: the store is `up` again and the pool opens new connections on demand.
 */
export class StoreHealth {
  readonly #o: StoreHealthOptions;
  #state: StoreState = 'up';
  #downSince = 0;
  #lastError: unknown;
  #probing: Promise<boolean> | undefined;
  #timer: TimerHandle | undefined;
  #closed = false;
  /** `down` / `up` transitions; listeners never break the monitor. */
  readonly events: TypedEmitter<StoreHealthEvents>;

  constructor(options: StoreHealthOptions) {
    this.#o = options;
    this.events = new TypedEmitter<StoreHealthEvents>(options.logger);
  }

  /** The current state. */
  get state(): StoreState {
    return this.#state;
  }

  /** When the current outage began (ms since the epoch); undefined while up. */
  get downSince(): number | undefined {
    return this.#state === 'down' ? this.#downSince : undefined;
  }

  /** Throws {@link StoreUnavailableError} while the store is down (checked before every connection is taken). */
  assertUp(): void {
    if (this.#state === 'up') return;
    const reason = this.#lastError instanceof Error ? `: ${this.#lastError.message.split('\n')[0]}` : '';
    throw new StoreUnavailableError(`store unavailable: the database is down${reason}`, {
      cause: this.#lastError,
      retryAfterSeconds: retryAfterSeconds(),
    });
  }

  /** A connection was lost or could not be made: probe now (no-op while down: the probes already run). */
  connectionLost(err: unknown): void {
    if (this.#closed || this.#state === 'down') return;
    this.#lastError = err;
    void this.probe();
  }

  /**
   * Runs one probe (or joins the one running) and returns whether the store answers; a failure marks the store
   * down, a success after an outage marks it up.
   */
  probe(): Promise<boolean> {
    this.#probing ??= this.#o
      .probe()
      .then(
        () => {
          this.#markUp();
          return true;
        },
        (err: unknown) => {
          this.#markDown(err);
          return false;
        },
      )
      .finally(() => (this.#probing = undefined));
    return this.#probing;
  }

  /**
   * Whether the store answers now (for /healthz): false at once while down, else whether a query on the pool
   * succeeds (a lost connection then probes, as for any query).
   */
  async check(): Promise<boolean> {
    if (this.#state === 'down') return false;
    try {
      await this.#o.ping();
      return true;
    } catch (err) {
      this.connectionLost(err);
      return false;
    }
  }

  /** Stops probing. Idempotent. */
  close(): void {
    this.#closed = true;
    this.#o.clock.clearTimeout(this.#timer);
  }

  #markDown(err: unknown): void {
    if (this.#closed) return;
    this.#lastError = err;
    if (this.#state === 'up') {
      this.#state = 'down';
      this.#downSince = this.#o.clock.now();
      this.#o.logger.error({ err }, 'store down: the database does not answer; requests that need it get a temporary failure');
      this.events.emit('down', err);
    }
    this.#o.clock.clearTimeout(this.#timer);
    this.#timer = this.#o.clock.setTimeout(() => void this.probe(), this.#o.probeIntervalMs);
  }

  #markUp(): void {
    if (this.#closed || this.#state === 'up') return;
    const downMs = this.#o.clock.now() - this.#downSince;
    this.#state = 'up';
    this.#lastError = undefined;
    this.#o.clock.clearTimeout(this.#timer);
    this.#o.logger.warn({ downMs }, 'store up again');
    this.events.emit('up', downMs);
  }
}
