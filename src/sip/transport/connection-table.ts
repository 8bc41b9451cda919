import type { Clock, TimerHandle } from '../../lib/index.js';
import { addressKey } from './address.js';
import type { StreamConnection } from './stream-connection.js';
import type { TransportAddress } from './types.js';

/** Idle policy of the table. */
export interface ConnectionTableOptions {
  readonly clock: Clock;
  /** An unbound connection with no traffic for this long is closed. */
  readonly idleTimeoutMs: number;
  /** How often the idle sweep runs. */
  readonly sweepIntervalMs: number;
}

/**
 * The open stream connections, by id and by remote address. Runs the idle sweep: a connection no
 * registration binds is closed after `idleTimeoutMs` without traffic; a bound flow stays open as long
 * as it is bound (RFC 5626 §5.2: the registrar keeps the flow to reach the UA back).
 */
export class ConnectionTable {
  readonly #byId = new Map<string, StreamConnection>();
  readonly #byRemote = new Map<string, Set<StreamConnection>>();
  readonly #options: ConnectionTableOptions;
  #sweepTimer: TimerHandle | undefined;
  #sweeping = false;

  constructor(options: ConnectionTableOptions) {
    this.#options = options;
  }

  /** Number of open connections. */
  get size(): number {
    return this.#byId.size;
  }

  /** Adds a new connection. */
  add(conn: StreamConnection): void {
    this.#byId.set(conn.id, conn);
    const key = addressKey(conn.remote);
    let set = this.#byRemote.get(key);
    if (!set) {
      set = new Set();
      this.#byRemote.set(key, set);
    }
    set.add(conn);
  }

  /** Forgets a connection (after it closed). */
  remove(conn: StreamConnection): void {
    if (this.#byId.get(conn.id) !== conn) return;
    this.#byId.delete(conn.id);
    const key = addressKey(conn.remote);
    const set = this.#byRemote.get(key);
    set?.delete(conn);
    if (set?.size === 0) this.#byRemote.delete(key);
  }

  /** The open connection with this id. */
  get(id: string): StreamConnection | undefined {
    const conn = this.#byId.get(id);
    return conn && !conn.closed ? conn : undefined;
  }

  /** The open connection to `remote` (same transport, address, port) with the latest activity. */
  findByRemote(remote: Pick<TransportAddress, 'transport' | 'address' | 'port'>): StreamConnection | undefined {
    let best: StreamConnection | undefined;
    for (const conn of this.#byRemote.get(addressKey(remote)) ?? []) {
      if (conn.closed) continue;
      if (!best || conn.lastActivity > best.lastActivity) best = conn;
    }
    return best;
  }

  /** Every connection in the table. */
  all(): StreamConnection[] {
    return [...this.#byId.values()];
  }

  /** Starts the periodic idle sweep. */
  startSweeping(): void {
    if (this.#sweeping) return;
    this.#sweeping = true;
    this.#armSweep();
  }

  /** Stops the idle sweep. */
  stopSweeping(): void {
    this.#sweeping = false;
    this.#options.clock.clearTimeout(this.#sweepTimer);
    this.#sweepTimer = undefined;
  }

  /** Closes every unbound connection idle for `idleTimeoutMs` or more; returns their ids. */
  sweep(): string[] {
    const now = this.#options.clock.now();
    const closed: string[] = [];
    for (const conn of this.#byId.values()) {
      if (conn.closed || conn.bound) continue;
      if (now - conn.lastActivity >= this.#options.idleTimeoutMs) {
        closed.push(conn.id);
        void conn.close('idle');
      }
    }
    return closed;
  }

  #armSweep(): void {
    this.#sweepTimer = this.#options.clock.setTimeout(() => {
      if (!this.#sweeping) return;
      this.sweep();
      this.#armSweep();
    }, this.#options.sweepIntervalMs);
  }
}
