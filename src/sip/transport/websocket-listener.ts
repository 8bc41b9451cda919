import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { formatHostPort, ipFamily, isWildcard, transportAddress } from './address.js';
import { admitConnections, type ListenerHooks } from './listener-hooks.js';
import { TransportError } from './transport-error.js';
import type { BoundAddress, ListenAddress, TlsListenAddress } from './types.js';

/** The WebSocket subprotocol of SIP (RFC 7118 §4.1, IANA registry). */
export const SIP_SUBPROTOCOL = 'sip';

const NO_SIP_BODY = 'Sec-WebSocket-Protocol must offer "sip" (RFC 7118)\r\n';
const NO_SIP_SUBPROTOCOL_RESPONSE =
  'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/plain\r\n' +
  `Content-Length: ${Buffer.byteLength(NO_SIP_BODY)}\r\n\r\n${NO_SIP_BODY}`;

/** Receives an accepted SIP WebSocket with the HTTP request that opened it. */
export type WebSocketAcceptHandler = (ws: WebSocket, request: IncomingMessage) => void;

/** Limits of a WebSocket listener. */
export interface WebSocketListenerOptions {
  /** Largest WebSocket message accepted (one SIP message, RFC 7118 §5); larger ones close with 1009. */
  readonly maxMessageSize: number;
  /** An HTTP request (headers included) or TLS handshake taking longer is dropped. */
  readonly handshakeTimeoutMs: number;
}

/**
 * Picks the `sip` subprotocol from a Sec-WebSocket-Protocol header (RFC 6455 §4.2.2: the server
 * echoes one of the client's values). Returns the client's token, or undefined when `sip` is absent.
 */
export function selectSipSubprotocol(header: string | undefined): string | undefined {
  if (!header) return undefined;
  return header
    .split(',')
    .map((token) => token.trim())
    .find((token) => token.toLowerCase() === SIP_SUBPROTOCOL);
}

/** An HTTP(S) server that upgrades requests offering the `sip` subprotocol to SIP WebSocket flows. */
export class WebSocketListener {
  /** The bound address. */
  readonly local: BoundAddress;
  /** True when bound to `0.0.0.0` / `::`. */
  readonly wildcard: boolean;
  readonly #server: Server;
  readonly #wss: WebSocketServer;
  readonly #sockets: Set<Socket>;
  #closing: Promise<void> | undefined;

  private constructor(server: Server, wss: WebSocketServer, sockets: Set<Socket>, local: BoundAddress, wildcard: boolean) {
    this.#server = server;
    this.#wss = wss;
    this.#sockets = sockets;
    this.local = local;
    this.wildcard = wildcard;
  }

  /** Binds a plain (`ws`) or secure (`wss`) WebSocket listener. */
  static listen(
    kind: 'ws' | 'wss',
    listen: ListenAddress | TlsListenAddress,
    options: WebSocketListenerOptions,
    hooks: ListenerHooks,
    onAccept: WebSocketAcceptHandler,
  ): Promise<WebSocketListener> {
    const logger = hooks.logger;
    const family = ipFamily(listen.host);
    if (family === undefined) {
      return Promise.reject(new TransportError('LISTEN_FAILED', `${kind} listen host ${listen.host} is not an IP address`));
    }
    let server: Server;
    try {
      if (kind === 'wss') {
        if (!('cert' in listen) || !('key' in listen)) throw new Error('wss needs a certificate and key');
        server = createHttpsServer({ cert: listen.cert, key: listen.key, handshakeTimeout: options.handshakeTimeoutMs });
      } else {
        server = createHttpServer();
      }
    } catch (err) {
      return Promise.reject(new TransportError('LISTEN_FAILED', `cannot create ${kind} server: ${String(err)}`, { cause: err }));
    }
    server.headersTimeout = options.handshakeTimeoutMs;
    server.requestTimeout = options.handshakeTimeoutMs;
    const wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: options.maxMessageSize,
      handleProtocols: (protocols) => [...protocols].find((p) => p.toLowerCase() === SIP_SUBPROTOCOL) ?? false,
    });
    wss.on('error', (err) => logger.warn({ err }, 'websocket server error'));
    wss.on('wsClientError', (err) => logger.debug({ err }, 'websocket handshake failed'));

    const sockets = new Set<Socket>();
    admitConnections(server, kind, hooks, sockets);
    server.on('tlsClientError', (err: Error) => logger.debug({ err }, 'tls handshake failed'));
    server.on('clientError', (err: Error, socket: Duplex) => {
      logger.debug({ err }, 'bad http request');
      socket.destroy();
    });
    server.on('request', (_req, res) => {
      // Plain HTTP on the SIP WebSocket port: only upgrades are served here.
      res.writeHead(426, { Connection: 'close', Upgrade: 'websocket', 'Content-Type': 'text/plain' });
      res.end('SIP over WebSocket only (RFC 7118)\n');
    });
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      try {
        // RFC 7118 §4.1: the client MUST offer "sip" in Sec-WebSocket-Protocol and the 101 MUST
        // carry it; without the offer no valid 101 exists, so the handshake is refused.
        if (!selectSipSubprotocol(req.headers['sec-websocket-protocol'])) {
          socket.end(NO_SIP_SUBPROTOCOL_RESPONSE);
          return;
        }
        wss.handleUpgrade(req, socket, head, (ws) => onAccept(ws, req));
      } catch (err) {
        logger.warn({ err }, 'websocket upgrade failed');
        socket.destroy();
      }
    });

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
          logger.warn({ err, transport: kind }, 'listener error');
          hooks.onError(err);
        });
        const info = server.address();
        const local = typeof info === 'object' && info ? transportAddress(kind, info.address, info.port) : undefined;
        if (!local) {
          server.close();
          reject(new TransportError('LISTEN_FAILED', `${kind} listener reports no address`));
          return;
        }
        resolve(new WebSocketListener(server, wss, sockets, { ...local, advertise: listen.advertise }, isWildcard(listen.host)));
      });
    });
  }

  /** Stops accepting and destroys every socket it accepted; resolves once all are closed. */
  close(): Promise<void> {
    this.#closing ??= new Promise((resolve) => {
      this.#wss.close();
      this.#server.close(() => resolve());
      for (const socket of this.#sockets) socket.destroy();
    });
    return this.#closing;
  }
}
