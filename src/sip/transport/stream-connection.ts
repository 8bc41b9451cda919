import type { Clock, Logger } from '../../lib/index.js';
import type { ConnectionInfo, TransportAddress, TransportProtocol } from './types.js';

/** What a connection reports to its owner (the transport layer). */
export interface ConnectionSink {
  /** One complete SIP message arrived on `conn`. */
  message(conn: StreamConnection, data: Buffer): void;
  /**
   * A message on `conn` could not be framed or is too large: answer `status` when `head` (the
   * whole lines of its header section that were read) holds a request; the connection then ends.
   */
  refused(conn: StreamConnection, refusal: StreamRefusal): void;
  /** `conn` closed, from either side; called exactly once. */
  closed(conn: StreamConnection): void;
}

/** A message refused on a stream before delivery. */
export interface StreamRefusal {
  /** The response code that fits (400 unframeable, 513 too large). */
  readonly status: number;
  /** The reason phrase naming the problem. */
  readonly reason: string;
  /** The whole lines of its header section that were read (a copy). */
  readonly head: Buffer;
}

/** Everything a connection is built with. */
export interface StreamConnectionInit {
  readonly id: string;
  readonly transport: TransportProtocol;
  readonly remote: TransportAddress;
  readonly local: TransportAddress;
  readonly outbound: boolean;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly sink: ConnectionSink;
}

/**
 * One connection-oriented flow (RFC 5626 §3: a TCP, TLS or WebSocket connection between two
 * addresses). Subclasses adapt a byte stream or a WebSocket; this base keeps the lifecycle
 * (idempotent close that resolves once the socket is gone), activity time and registration bindings.
 */
export abstract class StreamConnection {
  /** Connection (flow) id, unique across restarts. */
  readonly id: string;
  /** Transport of this connection. */
  readonly transport: TransportProtocol;
  /** The peer's address as seen on the socket (RFC 3581: what responses and requests go back to). */
  readonly remote: TransportAddress;
  /** Our end of the connection. */
  readonly local: TransportAddress;
  /** True when we opened it. */
  readonly outbound: boolean;
  /** Clock time it was established. */
  readonly createdAt: number;
  /** Logger with the connection's id and peer. */
  protected readonly logger: Logger;
  protected readonly sink: ConnectionSink;
  /** The clock of activity times and timers. */
  protected readonly clock: Clock;
  #lastActivity: number;
  #bindings = 0;
  #closed = false;
  #finished = false;
  readonly #done: Promise<void>;
  #resolveDone: () => void = () => undefined;

  protected constructor(init: StreamConnectionInit) {
    this.id = init.id;
    this.transport = init.transport;
    this.remote = init.remote;
    this.local = init.local;
    this.outbound = init.outbound;
    this.clock = init.clock;
    this.createdAt = init.clock.now();
    this.#lastActivity = this.createdAt;
    this.logger = init.logger;
    this.sink = init.sink;
    this.#done = new Promise((resolve) => {
      this.#resolveDone = resolve;
    });
  }

  /** True once close started or the peer went away; nothing more is sent or delivered. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Clock time of the last byte received or sent. */
  get lastActivity(): number {
    return this.#lastActivity;
  }

  /** True while at least one registration binds this flow. */
  get bound(): boolean {
    return this.#bindings > 0;
  }

  /** Marks one more registration as using this flow (RFC 5626 §6: kept open while bound). */
  bind(): void {
    this.#bindings++;
  }

  /** Releases one binding taken with {@link bind}. */
  unbind(): void {
    if (this.#bindings > 0) this.#bindings--;
  }

  /** A snapshot for the registrar and the panel. */
  info(): ConnectionInfo {
    return {
      id: this.id,
      transport: this.transport,
      remote: this.remote,
      local: this.local,
      outbound: this.outbound,
      createdAt: this.createdAt,
      lastActivity: this.#lastActivity,
      bound: this.bound,
    };
  }

  /** Writes one whole SIP message (or a keep-alive); rejects with TransportError on failure. */
  abstract send(data: Buffer): Promise<void>;

  /** Closes the connection; idempotent. Resolves once the underlying socket has closed. */
  close(reason: string): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.logger.debug({ reason }, 'closing connection');
      try {
        this.destroy();
      } catch (err) {
        this.logger.debug({ err }, 'destroying the socket threw');
        this.finished();
      }
    }
    return this.#done;
  }

  /** Records activity now (used by the idle sweep). */
  protected touch(): void {
    this.#lastActivity = this.clock.now();
  }

  /** Tears the underlying socket down; must end in {@link finished}. */
  protected abstract destroy(): void;

  /** Called by subclasses when the underlying socket has closed, whoever closed it. */
  protected finished(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#closed = true;
    this.#resolveDone();
    try {
      this.sink.closed(this);
    } catch (err) {
      this.logger.error({ err }, 'connection-closed handler threw');
    }
  }

  /** Hands one message to the owner; a throwing owner never breaks the socket's event loop. */
  protected deliver(data: Buffer): void {
    if (this.#closed) return;
    try {
      this.sink.message(this, data);
    } catch (err) {
      this.logger.error({ err }, 'inbound message handler threw');
    }
  }
}
