/**
 * Test helpers for the transport tests: a layer on a FakeClock, SIP message bytes, and peers that
 * collect what they receive. Used only by `*.test.ts` files; not exported from index.ts.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { FakeClock, silentLogger } from '../../lib/index.js';
import { TransportLayer, type TransportLayerEvents, type TransportLayerOptions } from './transport-layer.js';

/** A layer on a FakeClock with a silent logger. */
export function testLayer(options: Partial<TransportLayerOptions> = {}): { layer: TransportLayer; clock: FakeClock } {
  const clock = new FakeClock();
  const layer = new TransportLayer({ clock, logger: silentLogger(), ...options });
  return { layer, clock };
}

let seq = 0;

/** A small SIP request with an exact Content-Length. */
export function sipRequest(method = 'OPTIONS', body = '', transport = 'TCP'): Buffer {
  seq++;
  return Buffer.from(
    `${method} sip:100@pbx.test SIP/2.0\r\n` +
      `Via: SIP/2.0/${transport} 192.0.2.2:5099;branch=z9hG4bK-test-${seq};rport\r\n` +
      `From: <sip:200@pbx.test>;tag=f${seq}\r\nTo: <sip:100@pbx.test>\r\n` +
      `Call-ID: call-${seq}@test\r\nCSeq: ${seq} ${method}\r\nMax-Forwards: 70\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** Resolves with the next `count` events of `name`. */
export function nextEvents<K extends keyof TransportLayerEvents>(
  layer: TransportLayer,
  name: K,
  count = 1,
): Promise<Array<TransportLayerEvents[K][0]>> {
  return new Promise((resolve) => {
    const got: Array<TransportLayerEvents[K][0]> = [];
    const off = layer.on(name, (...args: TransportLayerEvents[K]) => {
      got.push(args[0]);
      if (got.length === count) {
        off();
        resolve(got);
      }
    });
  });
}

/** Resolves with the next event `name` of `layer`. */
export async function nextEvent<K extends keyof TransportLayerEvents>(layer: TransportLayer, name: K): Promise<TransportLayerEvents[K][0]> {
  const [first] = await nextEvents(layer, name, 1);
  return first as TransportLayerEvents[K][0];
}

/** Everything a stream peer received, with a way to wait for some of it. */
export class Collector {
  #data = Buffer.alloc(0);
  #closed = false;
  readonly #waiters = new Set<() => void>();

  constructor(stream: Duplex) {
    stream.on('data', (chunk: Buffer) => {
      this.#data = Buffer.concat([this.#data, chunk]);
      this.#wake();
    });
    stream.on('close', () => {
      this.#closed = true;
      this.#wake();
    });
    stream.on('error', () => undefined);
  }

  /** What arrived so far. */
  get text(): string {
    return this.#data.toString('latin1');
  }

  /** True once the stream closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Resolves when `predicate(text)` holds; rejects if the stream closes first. */
  waitFor(predicate: (text: string) => boolean): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (predicate(this.text)) {
          this.#waiters.delete(check);
          resolve(this.text);
        } else if (this.#closed) {
          this.#waiters.delete(check);
          reject(new Error(`stream closed; received ${JSON.stringify(this.text)}`));
        }
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Resolves when the stream has closed. */
  waitClosed(): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.#closed) {
          this.#waiters.delete(check);
          resolve();
        }
      };
      this.#waiters.add(check);
      check();
    });
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}

/** Resolves once `emitter` emits `event` (first argument). */
export function once<T = unknown>(emitter: NodeJS.EventEmitter, event: string): Promise<T> {
  return new Promise((resolve) => emitter.once(event, (arg: T) => resolve(arg)));
}

/** A UDP peer bound to loopback. */
export async function udpPeer(family: 4 | 6): Promise<{ socket: UdpSocket; port: number; next(): Promise<Buffer>; close(): Promise<void> }> {
  const socket = createSocket(family === 4 ? 'udp4' : 'udp6');
  const queue: Buffer[] = [];
  const waiting: Array<(b: Buffer) => void> = [];
  socket.on('message', (msg) => {
    const w = waiting.shift();
    if (w) w(msg);
    else queue.push(msg);
  });
  await new Promise<void>((resolve) => socket.bind(0, family === 4 ? '127.0.0.1' : '::1', () => resolve()));
  return {
    socket,
    port: socket.address().port,
    next: () => {
      const b = queue.shift();
      return b ? Promise.resolve(b) : new Promise((resolve) => waiting.push(resolve));
    },
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

/** A plain TCP server peer that records the sockets it accepts. */
export async function tcpPeer(host: string): Promise<{ server: Server; port: number; accepted: Socket[]; nextSocket(): Promise<Socket>; close(): Promise<void> }> {
  const accepted: Socket[] = [];
  const waiting: Array<(s: Socket) => void> = [];
  const server = createServer((socket) => {
    accepted.push(socket);
    socket.on('error', () => undefined);
    waiting.shift()?.(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    server,
    port,
    accepted,
    nextSocket: () => new Promise((resolve) => waiting.push(resolve)),
    close: () =>
      new Promise((resolve) => {
        for (const s of accepted) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Network handles (sockets, servers) still open in this process. */
export function openNetworkHandles(): string[] {
  return process.getActiveResourcesInfo().filter((r) => /TCP|UDP|TLS|Pipe/.test(r) && r !== 'PipeWrap');
}
