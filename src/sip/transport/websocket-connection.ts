import { isUtf8 } from 'node:buffer';
import type { RawData, WebSocket } from 'ws';
import { keepAliveKind } from './keep-alive.js';
import { StreamConnection, type StreamConnectionInit } from './stream-connection.js';
import { TransportError } from './transport-error.js';

/** Settings of a WebSocket connection. */
export interface WebSocketConnectionInit extends StreamConnectionInit {
  readonly socket: WebSocket;
  /** Bytes queued for a slow reader beyond which the connection is dropped. */
  readonly maxWriteBuffer: number;
}

/**
 * A SIP-over-WebSocket connection (RFC 7118). Each WebSocket message carries exactly one SIP
 * message (§5), so no Content-Length framing is needed; the message size limit is enforced by the
 * server's `maxPayload` (the peer gets close code 1009).
 */
export class WebSocketConnection extends StreamConnection {
  readonly #ws: WebSocket;
  readonly #maxWriteBuffer: number;

  constructor(init: WebSocketConnectionInit) {
    super(init);
    this.#ws = init.socket;
    this.#maxWriteBuffer = init.maxWriteBuffer;
    const ws = init.socket;
    ws.on('message', (data: RawData) => this.#onMessage(data));
    ws.on('ping', () => this.touch());
    ws.on('error', (err) => this.logger.debug({ err }, 'websocket error'));
    ws.on('close', () => this.finished());
    if (ws.readyState === ws.CLOSED) queueMicrotask(() => this.finished());
  }

  override send(data: Buffer): Promise<void> {
    if (this.closed || this.#ws.readyState !== this.#ws.OPEN) {
      return Promise.reject(new TransportError('SEND_FAILED', `connection ${this.id} is closed`));
    }
    if (this.#ws.bufferedAmount > this.#maxWriteBuffer) {
      void this.close('peer does not read (write buffer full)');
      return Promise.reject(new TransportError('SEND_FAILED', `connection ${this.id} is not draining`));
    }
    this.touch();
    return new Promise((resolve, reject) => {
      const done = (err?: Error): void => {
        if (err) reject(new TransportError('SEND_FAILED', `write on ${this.id} failed: ${err.message}`, { cause: err }));
        else resolve();
      };
      // RFC 7118 §5: SIP messages may go in text or binary frames; text when the bytes are valid
      // UTF-8 (what browser stacks expect), binary otherwise (text frames must be UTF-8, RFC 6455 §5.6).
      if (isUtf8(data)) this.#ws.send(data.toString('utf8'), done);
      else this.#ws.send(data, { binary: true }, done);
    });
  }

  protected override destroy(): void {
    this.#ws.terminate();
  }

  #onMessage(raw: RawData): void {
    if (this.closed) return;
    this.touch();
    const data = Buffer.isBuffer(raw) ? raw : Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw);
    const keepAlive = keepAliveKind(data);
    if (keepAlive === 'ping') {
      // RFC 5626 §3.5.1 pong; WebSocket SIP stacks (SIP.js, JsSIP) send CRLFCRLF and expect CRLF.
      this.#ws.send('\r\n', (err) => {
        if (err) this.logger.debug({ err }, 'pong failed');
      });
      return;
    }
    if (keepAlive === 'pong') return;
    this.deliver(data);
  }
}
