import { LruMap, sourceKey, type Clock, type Logger } from '../../lib/index.js';
import type { TransportProtocol } from './types.js';

/** Limits of {@link ConnectionLimiter}. */
export interface ConnectionLimiterOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Inbound connections open at once, from everyone. */
  readonly maxConnections: number;
  /** Inbound connections open at once from one source (IPv4 address, IPv6 /64). */
  readonly maxPerSource: number;
  /** Refusals of one source are logged at most once per this many ms. */
  readonly logIntervalMs: number;
}

interface RefusalLog {
  at: number;
  /** Refusals since the last line logged. */
  unlogged: number;
}

/** Sources whose refusals are remembered for the log (the least recent are forgotten first). */
const LOGGED_SOURCES = 1000;

/**
 * Slots for inbound TCP, TLS and WebSocket connections: a global bound and one per source, so
 * that one address cannot take every slot (a source is counted like the flood limit and the
 * digest blocks count it: IPv4 per address, IPv6 per /64). A slot is taken when the socket is
 * accepted (for TLS and WebSocket, before the handshake) and given back when it closes.
 */
export class ConnectionLimiter {
  readonly #o: ConnectionLimiterOptions;
  readonly #perSource = new Map<string, number>();
  readonly #logged = new LruMap<string, RefusalLog>(LOGGED_SOURCES);
  #total = 0;

  constructor(options: ConnectionLimiterOptions) {
    this.#o = options;
  }

  /** Inbound connections holding a slot. */
  get total(): number {
    return this.#total;
  }

  /** Inbound connections holding a slot from the source of `address`. */
  countOf(address: string): number {
    return this.#perSource.get(sourceKey(address)) ?? 0;
  }

  /**
   * Takes a slot for a connection from `address`: the function that gives it back (call it once,
   * when the socket closes), or undefined when a limit is reached and the socket must be closed.
   */
  acquire(address: string, transport: TransportProtocol): (() => void) | undefined {
    const source = sourceKey(address);
    const held = this.#perSource.get(source) ?? 0;
    if (held >= this.#o.maxPerSource) return this.#refuse(source, transport, 'per-source', held);
    if (this.#total >= this.#o.maxConnections) return this.#refuse(source, transport, 'total', this.#total);
    this.#perSource.set(source, held + 1);
    this.#total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#total--;
      const left = (this.#perSource.get(source) ?? 1) - 1;
      if (left > 0) this.#perSource.set(source, left);
      else this.#perSource.delete(source);
    };
  }

  /** Logs a refusal once per source and interval, with the number of refusals not logged. */
  #refuse(source: string, transport: TransportProtocol, limit: 'per-source' | 'total', open: number): undefined {
    const now = this.#o.clock.now();
    const log = this.#logged.get(source);
    if (log && now - log.at < this.#o.logIntervalMs) {
      log.unlogged++;
      return undefined;
    }
    const refused = (log?.unlogged ?? 0) + 1;
    this.#logged.set(source, { at: now, unlogged: 0 });
    const max = limit === 'per-source' ? this.#o.maxPerSource : this.#o.maxConnections;
    this.#o.logger.warn(
      { source, transport, limit, open, max, refused, intervalSeconds: this.#o.logIntervalMs / 1000 },
      limit === 'per-source'
        ? 'too many connections from one source; refusing (logged once per source and interval)'
        : 'too many connections; refusing (logged once per source and interval)',
    );
    return undefined;
  }
}
