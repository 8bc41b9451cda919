import type { Socket } from 'node:net';
import type { TimerHandle } from '../../lib/index.js';
import { CRLF_PONG } from './keep-alive.js';
import { StreamConnection, type StreamConnectionInit } from './stream-connection.js';
import { TransportError } from './transport-error.js';
import type { TransportAddress } from './types.js';

/** A message a framer cannot deliver: too large, or the stream cannot be framed. */
export interface FramingError {
  readonly error: string;
  /** The response code that fits (400, 513). */
  readonly status: number;
  /** The whole lines of the message's header section that were read. */
  readonly head: Buffer;
}

/** Splits a byte stream into SIP messages (the message module's StreamFramer fits this). */
export interface MessageFramer {
  /** Feeds bytes; returns every message completed by them, or an error that ends the stream. */
  push(chunk: Buffer): Array<Buffer | FramingError>;
  /** Octets of a message begun but not complete. */
  readonly buffered: number;
}

/** Builds a framer for a new connection from `remote`; `onPing` is called for each CRLFCRLF keep-alive seen. */
export type FramerFactory = (onPing: () => void, remote: TransportAddress) => MessageFramer;

/** Settings of a TCP/TLS connection. */
export interface SocketConnectionInit extends StreamConnectionInit {
  readonly socket: Socket;
  readonly createFramer: FramerFactory;
  /** Bytes queued for a slow reader beyond which the connection is dropped. */
  readonly maxWriteBuffer: number;
  /** A message not complete this long after its first octet ends the connection (slow headers). */
  readonly messageTimeoutMs: number;
}

/** After answering a message it refused, how long the peer has to close before the socket is destroyed. */
const LINGER_MS = 2000;

/** A TCP or TLS connection: bytes framed into SIP messages by Content-Length (RFC 3261 §18.3). */
export class SocketConnection extends StreamConnection {
  readonly #socket: Socket;
  readonly #framer: MessageFramer;
  readonly #maxWriteBuffer: number;
  readonly #messageTimeoutMs: number;
  /** Runs from the first octet of a message until it is complete. */
  #messageTimer: TimerHandle | undefined;
  /** Set once a refused message was answered: input is read and ignored until the socket closes. */
  #ending = false;

  constructor(init: SocketConnectionInit) {
    super(init);
    this.#socket = init.socket;
    this.#maxWriteBuffer = init.maxWriteBuffer;
    this.#messageTimeoutMs = init.messageTimeoutMs;
    this.#framer = init.createFramer(() => this.#pong(), init.remote);
    const socket = init.socket;
    socket.setNoDelay(true);
    // TCP keep-alive probes also refresh NAT bindings of idle flows and detect dead peers.
    socket.setKeepAlive(true, 60_000);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (err) => this.logger.debug({ err }, 'socket error'));
    socket.on('close', () => {
      this.clock.clearTimeout(this.#messageTimer);
      this.finished();
    });
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
    if (this.closed || this.#ending) return;
    this.touch();
    let items: Array<Buffer | FramingError>;
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
      this.#refuse(item);
      return;
    }
    this.#timeMessage(items.length > 0);
  }

  /**
   * Keeps the message timer: it starts with the first octet of a message and stops when the
   * message is complete, so a peer trickling a header (or body) cannot hold the connection forever.
   * `completed`: a message was completed by the last chunk, so the one now begun starts afresh.
   */
  #timeMessage(completed: boolean): void {
    if (this.#framer.buffered === 0 || completed) {
      this.clock.clearTimeout(this.#messageTimer);
      this.#messageTimer = undefined;
    }
    if (this.#framer.buffered > 0 && this.#messageTimer === undefined) {
      this.#messageTimer = this.clock.setTimeout(() => {
        this.#messageTimer = undefined;
        if (this.closed) return;
        this.logger.info({ timeoutMs: this.#messageTimeoutMs, buffered: this.#framer.buffered }, 'message not complete in time; closing connection');
        void this.close('message timeout');
      }, this.#messageTimeoutMs);
    }
  }

  /**
   * RFC 3261 §18.3: without a usable Content-Length the stream cannot be resynchronised; a message
   * over the size limit could be skipped, but a peer sending one is broken or hostile. Both are
   * answered (400 / 513, §21.5.14) when the head holds a request, and then the connection ends:
   * our side is half-closed after the answer, and the socket is destroyed once the peer closes
   * or after a short linger (reading and ignoring what still arrives, so the answer is not reset).
   */
  #refuse(item: FramingError): void {
    this.#ending = true;
    this.clock.clearTimeout(this.#messageTimer);
    this.#messageTimer = undefined;
    this.logger.info({ error: item.error, status: item.status }, 'message refused on stream; answering and closing connection');
    try {
      this.sink.refused(this, { status: item.status, reason: item.error, head: item.head });
    } catch (err) {
      this.logger.error({ err }, 'refused-message handler threw');
    }
    this.#socket.end();
    this.clock.setTimeout(() => void this.close(item.error), LINGER_MS);
  }

  #pong(): void {
    if (this.closed || !this.#socket.writable) return;
    // RFC 5626 §3.5.1: a CRLFCRLF ping is answered with a CRLF pong.
    this.#socket.write(CRLF_PONG);
  }
}
