import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { formatHostPort, ipFamily, isWildcard, transportAddress } from './address.js';
import { admitConnections, type ListenerHooks } from './listener-hooks.js';
import { TransportError } from './transport-error.js';
import type { BoundAddress, ListenAddress, TlsListenAddress } from './types.js';

/** Receives accepted sockets (for TLS: after the handshake). */
export type AcceptHandler = (socket: Socket) => void;

/** Server-side limits of a stream listener. */
export interface StreamListenerOptions {
  /** TLS handshakes taking longer are aborted. */
  readonly handshakeTimeoutMs: number;
}

/** A listening TCP or TLS server socket (RFC 3261 §18.1.1/§26.2: TLS on its own port, 5061 by default). */
export class StreamListener {
  /** The bound address. */
  readonly local: BoundAddress;
  /** True when bound to `0.0.0.0` / `::`. */
  readonly wildcard: boolean;
  readonly #server: Server;
  readonly #sockets: Set<Socket>;
  #closing: Promise<void> | undefined;

  private constructor(server: Server, sockets: Set<Socket>, local: BoundAddress, wildcard: boolean) {
    this.#server = server;
    this.#sockets = sockets;
    this.local = local;
    this.wildcard = wildcard;
  }

  /** Binds a TCP listener. */
  static tcp(listen: ListenAddress, hooks: ListenerHooks, onAccept: AcceptHandler): Promise<StreamListener> {
    const server = createTcpServer({ noDelay: true });
    return StreamListener.#listen('tcp', server, listen, hooks, onAccept);
  }

  /** Binds a TLS listener with the given certificate and key. */
  static tls(
    listen: TlsListenAddress,
    options: StreamListenerOptions,
    hooks: ListenerHooks,
    onAccept: AcceptHandler,
  ): Promise<StreamListener> {
    let server: Server;
    try {
      server = createTlsServer({ cert: listen.cert, key: listen.key, handshakeTimeout: options.handshakeTimeoutMs });
    } catch (err) {
      return Promise.reject(new TransportError('LISTEN_FAILED', `bad TLS certificate or key: ${String(err)}`, { cause: err }));
    }
    server.on('secureConnection', (socket: TLSSocket) => onAccept(socket));
    // A failed handshake (scanner, plain-TCP client on the TLS port) only affects that peer.
    server.on('tlsClientError', (err: Error) => hooks.logger.debug({ err }, 'tls handshake failed'));
    return StreamListener.#listen('tls', server, listen, hooks);
  }

  /** `onAccept` gets admitted plain TCP sockets; TLS sockets reach theirs after the handshake. */
  static #listen(
    kind: 'tcp' | 'tls',
    server: Server,
    listen: ListenAddress,
    hooks: ListenerHooks,
    onAccept?: AcceptHandler,
  ): Promise<StreamListener> {
    const family = ipFamily(listen.host);
    if (family === undefined) {
      return Promise.reject(new TransportError('LISTEN_FAILED', `${kind} listen host ${listen.host} is not an IP address`));
    }
    const sockets = new Set<Socket>();
    admitConnections(server, kind, hooks, sockets, onAccept);
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => {
        server.close();
        reject(new TransportError('LISTEN_FAILED', `cannot listen on ${kind} ${formatHostPort(listen.host, listen.port)}: ${err.message}`, {
          cause: err,
          listener: { protocol: kind, host: listen.host, port: listen.port },
        }));
      };
      server.once('error', onError);
      server.listen({ host: listen.host, port: listen.port, ipv6Only: family === 6, exclusive: true }, () => {
        server.off('error', onError);
        server.on('error', (err) => {
          hooks.logger.warn({ err, transport: kind }, 'listener error');
          hooks.onError(err);
        });
        const info = server.address();
        const local = typeof info === 'object' && info ? transportAddress(kind, info.address, info.port) : undefined;
        if (!local) {
          server.close();
          reject(new TransportError('LISTEN_FAILED', `${kind} listener reports no address`));
          return;
        }
        resolve(new StreamListener(server, sockets, { ...local, advertise: listen.advertise }, isWildcard(listen.host)));
      });
    });
  }

  /** Stops accepting and destroys every socket it accepted; resolves once all are closed. */
  close(): Promise<void> {
    this.#closing ??= new Promise((resolve) => {
      this.#server.close(() => resolve());
      for (const socket of this.#sockets) socket.destroy();
    });
    return this.#closing;
  }
}
