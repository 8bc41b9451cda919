import type { Socket } from 'node:net';
import { CRLF_PONG } from './keep-alive.js';
import { StreamConnection, type StreamConnectionInit } from './stream-connection.js';
import { TransportError } from './transport-error.js';

/** Splits a byte stream into SIP messages (the message module's StreamFramer fits this). */
export interface MessageFramer {
  /** Feeds bytes; returns every message completed by them, or an error that ends the stream. */
  push(chunk: Buffer): Array<Buffer | { error: string }>;
}

/** Builds a framer for a new connection; `onPing` is called for each CRLFCRLF keep-alive seen. */
export type FramerFactory = (onPing: () => void) => MessageFramer;

/** Settings of a TCP/TLS connection. */
export interface SocketConnectionInit extends StreamConnectionInit {
  readonly socket: Socket;
  readonly createFramer: FramerFactory;
  /** Bytes queued for a slow reader beyond which the connection is dropped. */
  readonly maxWriteBuffer: number;
}

/** A TCP or TLS connection: bytes framed into SIP messages by Content-Length (RFC 3261 §18.3). */
export class SocketConnection extends StreamConnection {
  readonly #socket: Socket;
  readonly #framer: MessageFramer;
  readonly #maxWriteBuffer: number;

  constructor(init: SocketConnectionInit) {
    super(init);
    this.#socket = init.socket;
    this.#maxWriteBuffer = init.maxWriteBuffer;
    this.#framer = init.createFramer(() => this.#pong());
    const socket = init.socket;
    socket.setNoDelay(true);
    // TCP keep-alive probes also refresh NAT bindings of idle flows and detect dead peers.
    socket.setKeepAlive(true, 60_000);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (err) => this.logger.debug({ err }, 'socket error'));
    socket.on('close', () => this.finished());
    if (socket.destroyed) queueMicrotask(() => this.finished());
  }

  override send(data: Buffer): Promise<void> {
    if (this.closed || !this.#socket.writable) {
      return Promise.reject(new TransportError('SEND_FAILED', `connection ${this.id} is closed`));
    }
    if (this.#socket.writableLength > this.#maxWriteBuffer) {
      void this.close('peer does not read (write buffer full)');
      return Promise.reject(new TransportError('SEND_FAILED', `connection ${this.id} is not draining`));
    }
    this.touch();
    return new Promise((resolve, reject) => {
      this.#socket.write(data, (err) => {
        if (err) reject(new TransportError('SEND_FAILED', `write on ${this.id} failed: ${err.message}`, { cause: err }));
        else resolve();
      });
    });
  }

  protected override destroy(): void {
    this.#socket.destroy();
  }

  #onData(chunk: Buffer): void {
    if (this.closed) return;
    this.touch();
    let items: Array<Buffer | { error: string }>;
    try {
      items = this.#framer.push(chunk);
    } catch (err) {
      this.logger.warn({ err }, 'framing threw; closing connection');
      void this.close('framing failed');
      return;
    }
    for (const item of items) {
      if (Buffer.isBuffer(item)) {
        this.deliver(item);
        continue;
      }
      // RFC 3261 §18.3: without a usable Content-Length the stream cannot be resynchronised; a
      // message over the size limit could be skipped, but a peer sending one is broken or hostile,
      // so both end the connection (the peer reconnects and the flow's registrations are dropped).
      this.logger.info({ error: item.error }, 'bad stream framing; closing connection');
      void this.close(item.error);
      return;
    }
  }

  #pong(): void {
    if (this.closed || !this.#socket.writable) return;
    // RFC 5626 §3.5.1: a CRLFCRLF ping is answered with a CRLF pong.
    this.#socket.write(CRLF_PONG);
  }
}
