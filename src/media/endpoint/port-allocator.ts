import { type Socket, createSocket } from 'node:dgram';
import { isIP } from 'node:net';

/** An inclusive UDP port range for media, e.g. 20000–29999. */
export interface PortRange {
  readonly min: number;
  readonly max: number;
}

/** The default media port range (the --rtp-ports default). */
export const DEFAULT_PORT_RANGE: PortRange = { min: 20000, max: 29999 };

/** No free RTP/RTCP pair in the range: the PBX is full (or the range is used by other software). */
export class PortRangeExhaustedError extends Error {
  override readonly name = 'PortRangeExhaustedError';
  constructor(
    readonly range: PortRange,
    readonly address: string,
    readonly inUse: number,
  ) {
    super(
      `no free RTP/RTCP port pair in ${range.min}-${range.max} on ${address} ` +
        `(${inUse} of ${pairCount(range)} pairs in use by Centrala, the rest taken by other processes)`,
    );
  }
}

/** A bound RTP socket on an even port and its RTCP socket on the next (odd) port. */
export interface SocketPair {
  readonly address: string;
  readonly family: 4 | 6;
  readonly rtpPort: number;
  readonly rtp: Socket;
  readonly rtcp: Socket;
}

/** First even port of the range. */
function firstEven(range: PortRange): number {
  return range.min % 2 === 0 ? range.min : range.min + 1;
}

/** Number of (even, even + 1) pairs that fit in the range. */
function pairCount(range: PortRange): number {
  return Math.max(0, Math.floor((range.max - firstEven(range) + 1) / 2));
}

/**
 * Hands out RTP/RTCP socket pairs from a port range. RFC 3550 §11: "For UDP and similar protocols,
 * RTP SHOULD use an even destination port number and the corresponding RTCP stream SHOULD use the
 * next higher (odd) destination port number." Ports are tried round-robin from after the last one
 * handed out, so a port just released is not reused at once (late packets of the old call would
 * land in the new one). A port another process holds is skipped.
 */
export class PortAllocator {
  readonly #range: PortRange;
  readonly #inUse = new Set<number>();
  #cursor: number;

  constructor(range: PortRange = DEFAULT_PORT_RANGE) {
    if (!Number.isInteger(range.min) || !Number.isInteger(range.max) || range.min < 1 || range.max > 65535) {
      throw new RangeError(`port range ${range.min}-${range.max} must lie within 1-65535`);
    }
    if (pairCount(range) < 1) throw new RangeError(`port range ${range.min}-${range.max} holds no even/odd port pair`);
    this.#range = range;
    this.#cursor = firstEven(range);
  }

  /** The range ports come from. */
  get range(): PortRange {
    return this.#range;
  }

  /** Pairs currently handed out. */
  get inUse(): number {
    return this.#inUse.size;
  }

  /** Pairs the range holds. */
  get capacity(): number {
    return pairCount(this.#range);
  }

  /** Binds an RTP/RTCP pair on `address` (IPv4 or IPv6 literal); rejects with PortRangeExhaustedError when none is free. */
  async allocate(address: string): Promise<SocketPair> {
    const family = isIP(address);
    if (family !== 4 && family !== 6) throw new TypeError(`media address ${address} is not an IP literal`);
    const count = pairCount(this.#range);
    const first = firstEven(this.#range);
    for (let tried = 0; tried < count; tried++) {
      const port = this.#cursor;
      this.#cursor = port + 2 > this.#range.max - 1 ? first : port + 2;
      if (this.#inUse.has(port)) continue;
      // Reserve before the first await so a concurrent allocate() cannot pick the same pair.
      this.#inUse.add(port);
      const pair = await bindPair(address, family, port);
      if (pair) return pair;
      this.#inUse.delete(port);
    }
    throw new PortRangeExhaustedError(this.#range, address, this.#inUse.size);
  }

  /** Returns a pair's port to the pool (after its sockets are closed). Unknown ports are ignored. */
  release(rtpPort: number): void {
    this.#inUse.delete(rtpPort);
  }
}

async function bindPair(address: string, family: 4 | 6, rtpPort: number): Promise<SocketPair | undefined> {
  const rtp = await bindSocket(address, family, rtpPort);
  if (!rtp) return undefined;
  const rtcp = await bindSocket(address, family, rtpPort + 1);
  if (!rtcp) {
    rtp.close();
    return undefined;
  }
  return { address, family, rtpPort, rtp, rtcp };
}

/** Binds one UDP socket; resolves undefined when the port is taken or not permitted. */
function bindSocket(address: string, family: 4 | 6, port: number): Promise<Socket | undefined> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type: family === 6 ? 'udp6' : 'udp4', ipv6Only: family === 6 });
    const onError = (err: NodeJS.ErrnoException): void => {
      socket.close();
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') resolve(undefined);
      else reject(err);
    };
    socket.once('error', onError);
    socket.bind({ address, port, exclusive: true }, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}
