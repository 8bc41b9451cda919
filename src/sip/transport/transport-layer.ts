import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { WebSocket } from 'ws';
import { InvalidStateError, TypedEmitter, randomToken, type Clock, type Logger, type TimerHandle } from '../../lib/index.js';
import { StreamFramer, MAX_MESSAGE_SIZE } from '../message/index.js';
import { addressKey, formatTransportAddress, isWildcard, normalizeIp, pickInterfaceAddress, transportAddress } from './address.js';
import { AuthenticatedSources } from './authenticated-sources.js';
import { ConnectionLimiter } from './connection-limiter.js';
import { ConnectionTable } from './connection-table.js';
import type { ListenerHooks } from './listener-hooks.js';
import { OutboundConnector, type TlsClientOptions } from './outbound-connector.js';
import { SocketConnection, type FramerFactory } from './socket-connection.js';
import type { ConnectionSink, StreamConnection } from './stream-connection.js';
import { StreamListener } from './stream-listener.js';
import { TransportError } from './transport-error.js';
import { UdpEndpoint } from './udp-endpoint.js';
import { WebSocketConnection } from './websocket-connection.js';
import { WebSocketListener } from './websocket-listener.js';
import type {
  AddressFamily,
  BoundAddress,
  ConnectionInfo,
  InboundPacket,
  ListenAddress,
  ListenConfig,
  RefusedMessage,
  SendOptions,
  TransportAddress,
  TransportProtocol,
} from './types.js';

/** Default limits and timeouts of the transport layer (documented in docs, see the report). */
export const TRANSPORT_DEFAULTS = {
  /** An unbound TCP/TLS/WS connection without traffic for 10 minutes is closed. */
  idleTimeoutMs: 600_000,
  /** The idle sweep runs every 15 s (so idle connections close up to 15 s late). */
  sweepIntervalMs: 15_000,
  /** Opening a TCP connection plus TLS handshake must finish within 10 s. */
  connectTimeoutMs: 10_000,
  /** Inbound TLS handshakes and WebSocket HTTP upgrades must finish within 10 s. */
  handshakeTimeoutMs: 10_000,
  /** Inbound connections beyond this many open ones are refused at once. */
  maxConnections: 10_000,
  /** Inbound connections from one source (IPv4 address, IPv6 /64) beyond this many open ones are refused. */
  maxConnectionsPerSource: 100,
  /** A TCP/TLS message (header section and body) not complete 5 s after its first octet ends its connection. */
  messageTimeoutMs: 5_000,
  /** An inbound connection is closed after 60 s unless its source authenticated or a registration binds it. */
  authTimeoutMs: 60_000,
  /** Header section of a message from a source that has not authenticated: at most 16 KiB (else 513). */
  maxUnauthenticatedHeaderSize: 16_384,
  /** A connection whose peer leaves more than 1 MiB unread is dropped. */
  maxWriteBuffer: 1_048_576,
} as const;

/** Connection refusals of one source are logged at most once per 10 s. */
const REFUSAL_LOG_INTERVAL_MS = 10_000;
const HEADER_END = Buffer.from('\r\n\r\n');

/** Construction options of {@link TransportLayer}; every number defaults to {@link TRANSPORT_DEFAULTS}. */
export interface TransportLayerOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly idleTimeoutMs?: number;
  readonly sweepIntervalMs?: number;
  readonly connectTimeoutMs?: number;
  readonly handshakeTimeoutMs?: number;
  readonly maxConnections?: number;
  readonly maxConnectionsPerSource?: number;
  readonly messageTimeoutMs?: number;
  readonly authTimeoutMs?: number;
  readonly maxUnauthenticatedHeaderSize?: number;
  readonly maxWriteBuffer?: number;
  /** Verification of peers we open TLS connections to (default: verify against Node's CA bundle). */
  readonly tlsClient?: TlsClientOptions;
}

/** Events of the transport layer. */
export type TransportLayerEvents = {
  /** One SIP message (stream) or datagram (UDP) arrived. */
  packet: [InboundPacket];
  /** A message was refused before delivery (too large, unframeable): answer it if it can be. */
  refused: [RefusedMessage];
  /** A stream connection was established, by the peer or by us. */
  connectionOpened: [ConnectionInfo];
  /** A stream connection closed (the registrar drops the flows bound to it, RFC 5626 §5.2). */
  connectionClosed: [string];
  /** A listening socket failed after it was bound. */
  error: [Error];
};

type Listener = UdpEndpoint | StreamListener | WebSocketListener;

/** Whether a transport is reliable (RFC 3261 §17: timers for retransmission are zero on reliable ones). */
export function isReliableTransport(transport: TransportProtocol): boolean {
  return transport !== 'udp';
}

/**
 * The SIP transport layer (RFC 3261 §18): UDP, TCP, TLS, WS and WSS (RFC 7118) over IPv4 and IPv6.
 * Delivers whole messages with their source address and flow, sends over the flow a message
 * belongs to, opens TCP/TLS connections when none exists, answers keep-alives (RFC 5626) and
 * closes idle connections that no registration binds. It moves bytes; it does not parse SIP.
 */
export class TransportLayer extends TypedEmitter<TransportLayerEvents> {
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #settings: Required<Omit<TransportLayerOptions, 'clock' | 'logger' | 'tlsClient'>>;
  readonly #table: ConnectionTable;
  readonly #connector: OutboundConnector;
  readonly #udp: UdpEndpoint[] = [];
  readonly #listeners: Array<StreamListener | WebSocketListener> = [];
  readonly #connecting = new Map<string, Promise<StreamConnection>>();
  readonly #createFramer: FramerFactory = (onPing, remote) =>
    new StreamFramer({
      maxMessageSize: MAX_MESSAGE_SIZE,
      maxHeaderSize: () => this.#headerLimit(remote.address),
      onKeepAlive: (kind) => {
        if (kind === 'ping') onPing();
      },
    });
  readonly #sink: ConnectionSink;
  readonly #limiter: ConnectionLimiter;
  readonly #authenticated: AuthenticatedSources;
  readonly #authTimers = new Map<string, TimerHandle>();
  #closing: Promise<void> | undefined;

  constructor(options: TransportLayerOptions) {
    super(options.logger);
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#settings = {
      idleTimeoutMs: options.idleTimeoutMs ?? TRANSPORT_DEFAULTS.idleTimeoutMs,
      sweepIntervalMs: options.sweepIntervalMs ?? TRANSPORT_DEFAULTS.sweepIntervalMs,
      connectTimeoutMs: options.connectTimeoutMs ?? TRANSPORT_DEFAULTS.connectTimeoutMs,
      handshakeTimeoutMs: options.handshakeTimeoutMs ?? TRANSPORT_DEFAULTS.handshakeTimeoutMs,
      maxConnections: options.maxConnections ?? TRANSPORT_DEFAULTS.maxConnections,
      maxConnectionsPerSource: options.maxConnectionsPerSource ?? TRANSPORT_DEFAULTS.maxConnectionsPerSource,
      messageTimeoutMs: options.messageTimeoutMs ?? TRANSPORT_DEFAULTS.messageTimeoutMs,
      authTimeoutMs: options.authTimeoutMs ?? TRANSPORT_DEFAULTS.authTimeoutMs,
      maxUnauthenticatedHeaderSize: options.maxUnauthenticatedHeaderSize ?? TRANSPORT_DEFAULTS.maxUnauthenticatedHeaderSize,
      maxWriteBuffer: options.maxWriteBuffer ?? TRANSPORT_DEFAULTS.maxWriteBuffer,
    };
    this.#authenticated = new AuthenticatedSources(this.#clock);
    this.#limiter = new ConnectionLimiter({
      clock: this.#clock,
      logger: this.#logger,
      maxConnections: this.#settings.maxConnections,
      maxPerSource: this.#settings.maxConnectionsPerSource,
      logIntervalMs: REFUSAL_LOG_INTERVAL_MS,
    });
    this.#table = new ConnectionTable({
      clock: this.#clock,
      idleTimeoutMs: this.#settings.idleTimeoutMs,
      sweepIntervalMs: this.#settings.sweepIntervalMs,
    });
    this.#connector = new OutboundConnector({
      clock: this.#clock,
      connectTimeoutMs: this.#settings.connectTimeoutMs,
      tlsClient: options.tlsClient ?? {},
    });
    this.#sink = {
      message: (conn, data) => {
        const packet = { data, source: conn.remote, local: conn.local, connectionId: conn.id };
        // TCP/TLS framers apply the header limit as the bytes arrive; a WebSocket message comes whole.
        if (conn instanceof WebSocketConnection && this.#refusedOversized(packet)) return;
        this.emit('packet', packet);
      },
      refused: (conn, refusal) =>
        this.emit('refused', {
          data: refusal.head,
          source: conn.remote,
          local: conn.local,
          connectionId: conn.id,
          status: refusal.status,
          reason: refusal.reason,
        }),
      closed: (conn) => {
        this.#clock.clearTimeout(this.#authTimers.get(conn.id));
        this.#authTimers.delete(conn.id);
        this.#table.remove(conn);
        this.emit('connectionClosed', conn.id);
      },
    };
  }

  /** True once {@link close} was called. */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /**
   * Binds every configured address. May be called more than once to add addresses. If one address
   * fails, the ones bound by this call are closed again and the promise rejects with a TransportError
   * (LISTEN_FAILED) naming the address. IPv6 sockets are IPv6-only: list `0.0.0.0` and `::` for both.
   */
  async listen(config: ListenConfig): Promise<void> {
    if (this.closed) throw new InvalidStateError('transport layer is closed');
    const hooks: ListenerHooks = {
      logger: this.#logger,
      onError: (err) => this.emit('error', err),
      admit: (transport, remoteAddress) => this.#admit(transport, remoteAddress),
    };
    const stream = { handshakeTimeoutMs: this.#settings.handshakeTimeoutMs };
    const ws = { handshakeTimeoutMs: this.#settings.handshakeTimeoutMs, maxMessageSize: MAX_MESSAGE_SIZE };
    const jobs: Array<{ listen: ListenAddress; bind: () => Promise<Listener> }> = [
      ...(config.udp ?? []).map((a) => ({ listen: a, bind: () => UdpEndpoint.bind(a, hooks, (d, s, l) => this.#onDatagram(d, s, l)) })),
      ...(config.tcp ?? []).map((a) => ({ listen: a, bind: () => StreamListener.tcp(a, hooks, (s) => this.#adoptSocket(s, 'tcp', false)) })),
      ...(config.tls ?? []).map((a) => ({ listen: a, bind: () => StreamListener.tls(a, stream, hooks, (s) => this.#adoptSocket(s, 'tls', false)) })),
      ...(config.ws ?? []).map((a) => ({ listen: a, bind: () => WebSocketListener.listen('ws', a, ws, hooks, (w, r) => this.#adoptWebSocket(w, r, 'ws')) })),
      ...(config.wss ?? []).map((a) => ({ listen: a, bind: () => WebSocketListener.listen('wss', a, ws, hooks, (w, r) => this.#adoptWebSocket(w, r, 'wss')) })),
    ];
    const results = await Promise.allSettled(jobs.map((job) => checkAdvertise(job.listen).then(job.bind)));
    const bound: Listener[] = [];
    let failure: unknown;
    results.forEach((result, i) => {
      const listen = jobs[i]?.listen;
      if (result.status === 'fulfilled') bound.push(result.value);
      else if (listen?.optional && isAddressUnavailable(result.reason)) {
        this.#logger.warn({ host: listen.host, port: listen.port, err: result.reason }, 'optional listen address unavailable; skipped');
      } else failure ??= result.reason;
    });
    if (failure !== undefined || this.closed) {
      await Promise.all(bound.map((l) => l.close()));
      throw failure ?? new InvalidStateError('transport layer closed while listening');
    }
    for (const listener of bound) {
      if (listener instanceof UdpEndpoint) this.#udp.push(listener);
      else this.#listeners.push(listener);
      this.#logger.info({ local: formatTransportAddress(listener.local) }, 'listening');
    }
  }

  /** Every bound address, in listen order (UDP first). */
  boundAddresses(): BoundAddress[] {
    return [...this.#udp, ...this.#listeners].map((l) => l.local);
  }

  /**
   * The address to put in Via / Contact / Record-Route for `transport` (RFC 3261 §18.2.1 sent-by):
   * the first listener of that transport (preferring `family`), its `advertise` host if set (an IP,
   * or a DNS name returned as is), else the bound address, else for a wildcard bind the first
   * external interface address.
   * Throws TransportError (NO_SOCKET) when nothing listens on `transport`.
   */
  localAddress(transport: TransportProtocol, family?: AddressFamily): TransportAddress {
    const all = [...this.#udp, ...this.#listeners].filter((l) => l.local.transport === transport);
    const listener = all.find((l) => family === undefined || l.local.family === family) ?? all[0];
    if (!listener) throw new TransportError('NO_SOCKET', `not listening on ${transport}`);
    const { local } = listener;
    if (local.advertise !== undefined) {
      const ip = normalizeIp(local.advertise);
      if (ip) return { transport, address: ip.address, port: local.port, family: ip.family };
      return { transport, address: local.advertise, port: local.port, family: local.family };
    }
    if (!listener.wildcard) return { transport, address: local.address, port: local.port, family: local.family };
    const address = pickInterfaceAddress(networkInterfaces(), local.family);
    return { transport, address, port: local.port, family: local.family };
  }

  /**
   * Sends one serialized message. With `connectionId`, uses that flow while it is open (RFC 3261
   * §18.2.2); otherwise reuses an open connection to `dest`, opens one for TCP/TLS, and fails with
   * TransportError (NO_CONNECTION) for WS/WSS, which only a client can open.
   */
  async send(data: Buffer, dest: TransportAddress, options: SendOptions = {}): Promise<void> {
    if (this.closed) throw new InvalidStateError('transport layer is closed');
    if (options.connectionId !== undefined) {
      const flow = this.#table.get(options.connectionId);
      if (flow) return flow.send(data);
      // RFC 5626 §5.3: a request for a failed flow is not re-routed (the proxy answers 430).
      if (options.strictFlow) throw new TransportError('NO_CONNECTION', `connection ${options.connectionId} is closed`);
    }
    const target = transportAddress(dest.transport, dest.address, dest.port);
    if (!target || target.port === 0) {
      throw new TransportError('BAD_DESTINATION', `${formatTransportAddress(dest)} is not an IP address and port`);
    }
    if (target.transport === 'udp') return this.#udpFor(target, options.local).send(data, target);
    const existing = this.#table.findByRemote(target);
    if (existing) return existing.send(data);
    if (target.transport === 'ws' || target.transport === 'wss') {
      throw new TransportError('NO_CONNECTION', `no open ${target.transport} connection to ${formatTransportAddress(target)}`);
    }
    const conn = await this.#connect(target);
    return conn.send(data);
  }

  /** True while the connection (flow) with this id is open. */
  hasConnection(id: string): boolean {
    return this.#table.get(id) !== undefined;
  }

  /** A snapshot of one open connection. */
  connection(id: string): ConnectionInfo | undefined {
    return this.#table.get(id)?.info();
  }

  /** Snapshots of every open connection. */
  connections(): ConnectionInfo[] {
    return this.#table.all().filter((c) => !c.closed).map((c) => c.info());
  }

  /**
   * Marks the flow as used by one more registration, so the idle sweep keeps it (RFC 5626 §5.2).
   * Counted: call {@link unbindConnection} once per bind. Returns false when the flow is gone.
   */
  bindConnection(id: string): boolean {
    const conn = this.#table.get(id);
    conn?.bind();
    return conn !== undefined;
  }

  /** Releases one binding; an unbound flow is closed after the idle timeout without traffic. */
  unbindConnection(id: string): void {
    this.#table.get(id)?.unbind();
  }

  /** Inbound connections open from the source of `address` (IPv4 address, IPv6 /64). */
  connectionsFrom(address: string): number {
    return this.#limiter.countOf(address);
  }

  /**
   * Records that a request from `address` authenticated (digest): for an hour its source (IPv4
   * address, IPv6 /64) may send header sections up to the message size limit, and its inbound
   * connections are not closed by the authentication timeout.
   */
  markAuthenticated(address: string): void {
    this.#authenticated.mark(address);
  }

  /** True while the source of `address` counts as authenticated (see {@link markAuthenticated}). */
  isAuthenticated(address: string): boolean {
    return this.#authenticated.has(address);
  }

  /** Closes one connection (e.g. a banned peer); resolves once it is closed. */
  async closeConnection(id: string): Promise<void> {
    await this.#table.get(id)?.close('closed by request');
  }

  /** Runs the idle sweep now; returns the ids it closed. */
  sweepIdleConnections(): string[] {
    return this.#table.sweep();
  }

  /** Closes every connection, listener and socket; idempotent; resolves when all are closed. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#table.stopSweeping();
      this.#connector.abortAll();
      await Promise.allSettled(this.#connecting.values());
      await Promise.all(this.#table.all().map((c) => c.close('shutdown')));
      await Promise.all([...this.#listeners, ...this.#udp].map((l) => l.close()));
      this.#logger.info({}, 'transport closed');
    })();
    return this.#closing;
  }

  #onDatagram(data: Buffer, source: TransportAddress, local: BoundAddress): void {
    const { transport, address, port, family } = local;
    const packet = { data, source, local: { transport, address, port, family } };
    if (this.#refusedOversized(packet)) return;
    this.emit('packet', packet);
  }

  /** The largest header section accepted from `address` now. */
  #headerLimit(address: string): number {
    return this.isAuthenticated(address) ? MAX_MESSAGE_SIZE : this.#settings.maxUnauthenticatedHeaderSize;
  }

  /**
   * For a whole message (datagram, WebSocket message): when its header section is over the limit of
   * its source, emits `refused` with the whole lines within the limit (513) and returns true.
   */
  #refusedOversized(packet: InboundPacket): boolean {
    const limit = this.#headerLimit(packet.source.address);
    if (packet.data.length <= limit) return false;
    const end = packet.data.indexOf(HEADER_END);
    if (end >= 0 && end + HEADER_END.length <= limit) return false;
    const within = packet.data.subarray(0, limit);
    const head = Buffer.from(within.subarray(0, within.lastIndexOf('\n') + 1));
    this.emit('refused', { ...packet, data: head, status: 513, reason: 'Header section too large' });
    return true;
  }

  #udpFor(dest: TransportAddress, local: TransportAddress | undefined): UdpEndpoint {
    const byLocal = local && this.#udp.find((u) => u.local.address === local.address && u.local.port === local.port);
    const endpoint = byLocal ?? this.#udp.find((u) => u.local.family === dest.family);
    if (!endpoint) throw new TransportError('NO_SOCKET', `no IPv${dest.family} UDP socket to reach ${formatTransportAddress(dest)}`);
    return endpoint;
  }

  #connect(dest: TransportAddress): Promise<StreamConnection> {
    const key = addressKey(dest);
    let pending = this.#connecting.get(key);
    if (!pending) {
      const transport = dest.transport === 'tls' ? 'tls' : 'tcp';
      // Leave from the listening address when bound to a specific one, so the peer sees one address.
      const from = this.#listeners.find((l) => l.local.transport === transport && l.local.family === dest.family && !l.wildcard);
      pending = this.#connector.connect(dest, from?.local.address).then((socket) => {
        const conn = this.#adoptSocket(socket, transport, true);
        if (!conn) throw new TransportError('CONNECT_FAILED', `connection to ${formatTransportAddress(dest)} closed at once`);
        return conn;
      });
      const settled = pending.finally(() => this.#connecting.delete(key));
      settled.catch(() => undefined);
      this.#connecting.set(key, pending);
    }
    return pending;
  }

  #adoptSocket(socket: Socket, transport: 'tcp' | 'tls', outbound: boolean): StreamConnection | undefined {
    const remote = transportAddress(transport, socket.remoteAddress, socket.remotePort);
    const local = transportAddress(transport, socket.localAddress, socket.localPort);
    if (!remote || !local || this.closed) {
      socket.on('error', () => undefined);
      socket.destroy();
      return undefined;
    }
    const id = `${transport}-${randomToken(9)}`;
    const logger = this.#logger.child({ connectionId: id, remote: formatTransportAddress(remote) });
    const conn = new SocketConnection({
      id, transport, remote, local, outbound, socket, logger, clock: this.#clock, sink: this.#sink,
      createFramer: this.#createFramer, maxWriteBuffer: this.#settings.maxWriteBuffer, messageTimeoutMs: this.#settings.messageTimeoutMs,
    });
    return this.#register(conn);
  }

  #adoptWebSocket(ws: WebSocket, request: IncomingMessage, transport: 'ws' | 'wss'): void {
    const raw = request.socket;
    const remote = transportAddress(transport, raw.remoteAddress, raw.remotePort);
    const local = transportAddress(transport, raw.localAddress, raw.localPort);
    if (!remote || !local || this.closed) {
      ws.on('error', () => undefined);
      ws.terminate();
      return;
    }
    const id = `${transport}-${randomToken(9)}`;
    const logger = this.#logger.child({ connectionId: id, remote: formatTransportAddress(remote) });
    const conn = new WebSocketConnection({
      id, transport, remote, local, outbound: false, socket: ws, logger, clock: this.#clock, sink: this.#sink,
      maxWriteBuffer: this.#settings.maxWriteBuffer,
    });
    this.#register(conn);
  }

  /** Admission of an accepted socket (the listeners ask before any handshake). */
  #admit(transport: TransportProtocol, remoteAddress: string | undefined): (() => void) | undefined {
    if (this.closed || remoteAddress === undefined) return undefined;
    return this.#limiter.acquire(remoteAddress, transport);
  }

  /**
   * An inbound connection must earn its slot: unless its source authenticated (or a registration
   * binds it) within the authentication timeout, it is closed, so connections that never send a
   * complete request, or never authenticate, do not pile up until the idle timeout.
   */
  #armAuthTimeout(conn: StreamConnection): void {
    const timer = this.#clock.setTimeout(() => {
      this.#authTimers.delete(conn.id);
      if (conn.closed || conn.bound || this.isAuthenticated(conn.remote.address)) return;
      this.#logger.info({ connectionId: conn.id, remote: formatTransportAddress(conn.remote), timeoutMs: this.#settings.authTimeoutMs }, 'connection not authenticated in time; closing');
      void conn.close('not authenticated in time');
    }, this.#settings.authTimeoutMs);
    this.#authTimers.set(conn.id, timer);
  }

  #register(conn: StreamConnection): StreamConnection | undefined {
    if (conn.closed) return undefined;
    this.#table.add(conn);
    this.#table.startSweeping();
    if (!conn.outbound) this.#armAuthTimeout(conn);
    this.#logger.debug({ connectionId: conn.id, remote: formatTransportAddress(conn.remote), outbound: conn.outbound }, 'connection open');
    this.emit('connectionOpened', conn.info());
    return conn;
  }
}

async function checkAdvertise(listen: ListenAddress): Promise<void> {
  const advertise = listen.advertise;
  if (advertise === undefined) return;
  if (advertise.trim() === '' || /[\s/]/.test(advertise) || isWildcard(advertise)) {
    throw new TransportError('LISTEN_FAILED', `advertise address ${JSON.stringify(advertise)} is not a usable host`);
  }
}

const UNAVAILABLE_ADDRESS_CODES = new Set(['EAFNOSUPPORT', 'EADDRNOTAVAIL', 'EPROTONOSUPPORT']);

/** True when a listen failure means this machine lacks the address (family), not a conflict. */
function isAddressUnavailable(err: unknown): boolean {
  const cause = err instanceof Error ? err.cause : undefined;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? cause.code : undefined;
  return typeof code === 'string' && UNAVAILABLE_ADDRESS_CODES.has(code);
}
