import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { Logger } from '../../lib/index.js';
import { formatHostPort, formatTransportAddress, ipFamily, isWildcard, transportAddress } from './address.js';
import type { ListenerHooks } from './listener-hooks.js';
import { keepAliveKind } from './keep-alive.js';
import { parseStunBindingRequest, stunBindingSuccess } from './stun-binding.js';
import { TransportError } from './transport-error.js';
import type { BoundAddress, ListenAddress, TransportAddress } from './types.js';

/** Largest UDP payload over IPv4/IPv6 without jumbograms. */
export const MAX_DATAGRAM_SIZE = 65_507;

/** Receives the SIP datagrams of a {@link UdpEndpoint}. */
export type DatagramHandler = (data: Buffer, source: TransportAddress, local: BoundAddress) => void;

/**
 * One bound UDP socket (one per listen address; udp4 or udp6, IPv6 sockets are IPv6-only so that
 * `0.0.0.0` and `::` can share a port). Datagrams are SIP messages (RFC 3261 §18.3: one message per
 * datagram); CRLF keep-alives are dropped and STUN Binding Requests answered (RFC 5626 §4.4).
 */
export class UdpEndpoint {
  /** The bound address. */
  readonly local: BoundAddress;
  /** True when bound to `0.0.0.0` / `::`. */
  readonly wildcard: boolean;
  readonly #socket: Socket;
  readonly #logger: Logger;
  readonly #onDatagram: DatagramHandler;
  #closing: Promise<void> | undefined;

  private constructor(socket: Socket, local: BoundAddress, wildcard: boolean, hooks: ListenerHooks, onDatagram: DatagramHandler) {
    this.#socket = socket;
    this.local = local;
    this.wildcard = wildcard;
    this.#logger = hooks.logger;
    this.#onDatagram = onDatagram;
    socket.on('message', (msg, rinfo) => this.#onMessage(msg, rinfo));
    socket.on('error', (err) => {
      this.#logger.warn({ err }, 'udp socket error');
      hooks.onError(err);
    });
  }

  /** Binds a socket; rejects with TransportError (LISTEN_FAILED) when the address cannot be bound. */
  static bind(listen: ListenAddress, hooks: ListenerHooks, onDatagram: DatagramHandler): Promise<UdpEndpoint> {
    const family = ipFamily(listen.host);
    if (family === undefined) {
      return Promise.reject(new TransportError('LISTEN_FAILED', `udp listen host ${listen.host} is not an IP address`));
    }
    const socket = createSocket({ type: family === 4 ? 'udp4' : 'udp6', ipv6Only: family === 6 });
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => {
        socket.close();
        reject(new TransportError('LISTEN_FAILED', `cannot bind udp ${formatHostPort(listen.host, listen.port)}: ${err.message}`, {
          cause: err,
          listener: { protocol: 'udp', host: listen.host, port: listen.port },
        }));
      };
      socket.once('error', onError);
      socket.bind({ address: listen.host, port: listen.port, exclusive: true }, () => {
        socket.off('error', onError);
        const info = socket.address();
        const local = transportAddress('udp', info.address, info.port);
        if (!local) {
          socket.close();
          reject(new TransportError('LISTEN_FAILED', `udp socket reports no address`));
          return;
        }
        const bound: BoundAddress = { ...local, advertise: listen.advertise };
        const logger = hooks.logger.child({ local: formatTransportAddress(local) });
        resolve(new UdpEndpoint(socket, bound, isWildcard(listen.host), { ...hooks, logger }, onDatagram));
      });
    });
  }

  /** Sends one datagram to `dest`; rejects with TransportError on failure. */
  send(data: Buffer, dest: TransportAddress): Promise<void> {
    if (this.#closing) return Promise.reject(new TransportError('NO_SOCKET', 'udp socket is closed'));
    if (data.length > MAX_DATAGRAM_SIZE) {
      return Promise.reject(new TransportError('BAD_DESTINATION', `${data.length} bytes do not fit in a UDP datagram`));
    }
    return new Promise((resolve, reject) => {
      try {
        this.#socket.send(data, dest.port, dest.address, (err) => {
          if (err) reject(new TransportError('SEND_FAILED', `udp send to ${formatHostPort(dest.address, dest.port)} failed: ${err.message}`, { cause: err }));
          else resolve();
        });
      } catch (err) {
        reject(new TransportError('SEND_FAILED', `udp send failed: ${String(err)}`, { cause: err }));
      }
    });
  }

  /** Closes the socket; idempotent. */
  close(): Promise<void> {
    this.#closing ??= new Promise((resolve) => {
      try {
        this.#socket.close(() => resolve());
      } catch {
        resolve();
      }
    });
    return this.#closing;
  }

  #onMessage(msg: Buffer, rinfo: RemoteInfo): void {
    if (this.#closing) return;
    try {
      const source = transportAddress('udp', rinfo.address, rinfo.port);
      if (!source) return;
      // RFC 5626 §4.4.1: CRLF keep-alives are for streams; on UDP some clients send them anyway.
      if (keepAliveKind(msg) !== undefined) return;
      const stun = parseStunBindingRequest(msg);
      if (stun) {
        // RFC 5626 §4.4.2 / §8.4: answer STUN keep-alives on the SIP port with the mapped address.
        this.send(stunBindingSuccess(stun.transactionId, source), source).catch((err: unknown) =>
          this.#logger.debug({ err }, 'stun response failed'),
        );
        return;
      }
      this.#onDatagram(msg, source, this.local);
    } catch (err) {
      this.#logger.error({ err }, 'udp datagram handler threw');
    }
  }
}
