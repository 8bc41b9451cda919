import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { Clock } from '../../lib/index.js';
import { formatTransportAddress } from './address.js';
import { TransportError } from './transport-error.js';
import type { TransportAddress } from './types.js';

/** How the server authenticates peers it opens TLS connections to. */
export interface TlsClientOptions {
  /** Verify the peer's certificate (default true; the certificate must name the IP address it is reached at). */
  readonly rejectUnauthorized?: boolean;
  /** Trusted CA certificates instead of Node's bundle. */
  readonly ca?: string | Buffer | ReadonlyArray<string | Buffer>;
  /** Client certificate and key for peers that require mutual TLS. */
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
}

/** Settings of the {@link OutboundConnector}. */
export interface OutboundConnectorOptions {
  readonly clock: Clock;
  /** A connect (TCP + TLS handshake) taking longer fails with CONNECT_FAILED. */
  readonly connectTimeoutMs: number;
  readonly tlsClient: TlsClientOptions;
}

/**
 * Opens server-initiated TCP/TLS connections (RFC 3261 §18.2.2: when the connection a request came
 * on is gone, the response goes over a new connection to the source address; also requests to
 * devices or trunks with no open flow). Resolves with a connected (TLS: handshaken) socket.
 */
export class OutboundConnector {
  readonly #options: OutboundConnectorOptions;
  readonly #pending = new Set<Socket>();

  constructor(options: OutboundConnectorOptions) {
    this.#options = options;
  }

  /** Connects to `dest` (tcp or tls), from `localAddress` when given. */
  connect(dest: TransportAddress, localAddress: string | undefined): Promise<Socket> {
    const { clock, connectTimeoutMs, tlsClient } = this.#options;
    const target = formatTransportAddress(dest);
    return new Promise((resolve, reject) => {
      let socket: Socket;
      let raw: Socket;
      try {
        raw = tcpConnect({ host: dest.address, port: dest.port, family: dest.family, localAddress });
        // TLS runs over our own TCP socket so the source address and family can be chosen.
        socket =
          dest.transport === 'tls'
            ? tlsConnect({
                socket: raw,
                host: dest.address,
                rejectUnauthorized: tlsClient.rejectUnauthorized ?? true,
                ca: tlsClient.ca === undefined ? undefined : ([] as Array<string | Buffer>).concat(tlsClient.ca),
                cert: tlsClient.cert,
                key: tlsClient.key,
              })
            : raw;
      } catch (err) {
        reject(new TransportError('CONNECT_FAILED', `cannot connect to ${target}: ${String(err)}`, { cause: err }));
        return;
      }
      this.#pending.add(socket);
      let settled = false;
      const settle = (err: Error | undefined): void => {
        if (settled) return;
        settled = true;
        clock.clearTimeout(timer);
        this.#pending.delete(socket);
        socket.off('error', onError);
        socket.off('close', onClose);
        raw.off('error', onError);
        if (!err) {
          // Until the connection object attaches its own handlers, an error must not go unhandled.
          socket.on('error', () => undefined);
          resolve(socket);
          return;
        }
        socket.on('error', () => undefined);
        raw.on('error', () => undefined);
        socket.destroy();
        raw.destroy();
        reject(new TransportError('CONNECT_FAILED', `cannot connect to ${target}: ${err.message}`, { cause: err }));
      };
      const onError = (err: Error): void => settle(err);
      const onClose = (): void => settle(new Error('connection closed before it was established'));
      const timer = clock.setTimeout(() => settle(new Error(`no connection after ${connectTimeoutMs} ms`)), connectTimeoutMs);
      socket.on('error', onError);
      socket.on('close', onClose);
      if (raw !== socket) raw.on('error', onError);
      socket.once(dest.transport === 'tls' ? 'secureConnect' : 'connect', () => settle(undefined));
    });
  }

  /** Aborts every connect in progress (they reject with CONNECT_FAILED). */
  abortAll(): void {
    for (const socket of this.#pending) socket.destroy();
  }
}
