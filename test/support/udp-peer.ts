import { type Socket, createSocket } from 'node:dgram';

/** A fake phone: one UDP socket, received datagrams queued. */
export class UdpPeer {
  readonly #queue: { data: Buffer; port: number }[] = [];
  readonly #waiters: ((m: { data: Buffer; port: number }) => void)[] = [];
  private constructor(readonly socket: Socket) {
    socket.on('message', (data, rinfo) => {
      const waiter = this.#waiters.shift();
      if (waiter) waiter({ data, port: rinfo.port });
      else this.#queue.push({ data, port: rinfo.port });
    });
  }
  static async open(address = '127.0.0.1'): Promise<UdpPeer> {
    const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve) => socket.bind(0, address, resolve));
    return new UdpPeer(socket);
  }
  get port(): number {
    return this.socket.address().port;
  }
  send(data: Buffer, port: number, address = '127.0.0.1'): Promise<void> {
    return new Promise((resolve, reject) => this.socket.send(data, port, address, (err) => (err ? reject(err) : resolve())));
  }
  /** The next datagram; fails the test after 2 s (a guard, not a sleep). */
  next(): Promise<{ data: Buffer; port: number }> {
    const queued = this.#queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const guard = setTimeout(() => reject(new Error(`no datagram on port ${this.port} within 2 s`)), 2000);
      this.#waiters.push((m) => {
        clearTimeout(guard);
        resolve(m);
      });
    });
  }
  get queued(): number {
    return this.#queue.length;
  }
  close(): void {
    this.socket.close();
  }
}
