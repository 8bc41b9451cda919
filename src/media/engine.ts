import { isIP } from 'node:net';
import { type Clock, InvalidStateError, type Logger, SystemClock, TypedEmitter, randomHex, silentLogger } from '../lib/index.js';
import { MediaEndpoint, type MediaEndpointSettings } from './endpoint/media-endpoint.js';
import { MediaRelay, type MediaRelaySettings } from './endpoint/media-relay.js';
import { MonotonicClock } from './endpoint/monotonic-clock.js';
import { PromptLoader } from './endpoint/play-items.js';
import { DEFAULT_PORT_RANGE, PortAllocator, type PortRange, type SocketPair } from './endpoint/port-allocator.js';
import { G711_CAPABILITIES, type MediaCapabilities, isUnspecifiedAddress } from './sdp/index.js';

/** Configuration of the media engine (from --rtp-ports, --rtp-address … in the composition root). */
export interface MediaEngineOptions {
  /** Local address media sockets bind to; default 127.0.0.1. IPv6 literals work too. */
  readonly address?: string;
  /** Address written into SDP when it differs from the bind address (NAT, containers, 0.0.0.0 binds). */
  readonly advertisedAddress?: string;
  /** UDP port range; RTP takes even ports, RTCP the next odd one. Default 20000–29999. */
  readonly portRange?: PortRange;
  /** Seconds without RTP from either device before rtpTimeout; default 30. */
  readonly rtpTimeoutSeconds?: number;
  /** The same while the call is on hold (sendonly/recvonly/inactive, c=0.0.0.0); default 3600. */
  readonly holdTimeoutSeconds?: number;
  /** Silence of a latched source before NAT rebinding may relatch (see SourceLatch); default 2000 ms. */
  readonly relatchSilenceMs?: number;
  /** What the relay carries; default G.711 µ-law/A-law + telephone-event over RTP/AVP. */
  readonly capabilities?: MediaCapabilities;
  readonly clock?: Clock;
  /**
   * Clock of media endpoints (20 ms playout pacing, digit timeouts); default a monotonic clock,
   * so wall-clock steps never bunch or stall packets. Tests pass a FakeClock.
   */
  readonly endpointClock?: Clock;
  /** Decoded prompt files kept in memory by media endpoints; default 256. */
  readonly promptCacheSize?: number;
  readonly logger?: Logger;
}

/** Per-leg interface choice for {@link MediaEngine.createRelay} (e.g. leg B on IPv6 towards a trunk). */
export interface LegInterface {
  readonly address?: string;
  readonly advertisedAddress?: string;
}

/** Engine-level events for monitoring. */
export type MediaEngineObserverEvents = {
  newRelay: [MediaRelay];
  newEndpoint: [MediaEndpoint];
  closed: [];
};

/**
 * Centrala's media engine, behind a narrow facade in rtpengine's vocabulary (STYLE principle 15):
 * `createRelay(callId)` gives a {@link MediaRelay} with legs A and B; the call engine passes SDP
 * through `relay.a.offer()` / `relay.b.answer()` (or the reverse), listens for `rtpTimeout` and
 * `closed`, and calls `relay.close()` at hang-up. It never touches sockets or packets.
 * `createEndpoint(callId)` gives a {@link MediaEndpoint}: Centrala itself as the other party
 * (prompts, tones, digit collection, recording, echo) for applications such as voicemail.
 */
export class MediaEngine {
  readonly observer: TypedEmitter<MediaEngineObserverEvents>;
  readonly #address: string;
  readonly #advertised: string | undefined;
  readonly #allocator: PortAllocator;
  readonly #relays = new Map<string, MediaRelay>();
  readonly #settings: MediaRelaySettings;
  readonly #endpoints = new Map<string, MediaEndpoint>();
  readonly #endpointSettings: MediaEndpointSettings;
  readonly #logger: Logger;
  #closed = false;

  constructor(options: MediaEngineOptions = {}) {
    this.#address = options.address ?? '127.0.0.1';
    this.#advertised = options.advertisedAddress;
    checkInterface(this.#address, this.#advertised);
    const rtpTimeout = options.rtpTimeoutSeconds ?? 30;
    const holdTimeout = options.holdTimeoutSeconds ?? 3600;
    if (!(rtpTimeout > 0) || !(holdTimeout > 0)) throw new RangeError('RTP timeouts must be positive numbers of seconds');
    this.#allocator = new PortAllocator(options.portRange ?? DEFAULT_PORT_RANGE);
    this.#logger = (options.logger ?? silentLogger()).child({ category: 'media' });
    this.observer = new TypedEmitter(this.#logger);
    this.#settings = {
      capabilities: options.capabilities ?? G711_CAPABILITIES,
      rtpTimeoutMs: rtpTimeout * 1000,
      holdTimeoutMs: holdTimeout * 1000,
      relatchSilenceMs: options.relatchSilenceMs ?? 2000,
      clock: options.clock ?? new SystemClock(),
      logger: this.#logger,
    };
    this.#endpointSettings = {
      capabilities: this.#settings.capabilities,
      clock: options.endpointClock ?? new MonotonicClock(),
      logger: this.#logger,
      relatchSilenceMs: this.#settings.relatchSilenceMs,
      prompts: new PromptLoader(options.promptCacheSize ?? 256),
    };
  }

  /** Whether the engine is closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Open relays by id. */
  get relays(): ReadonlyMap<string, MediaRelay> {
    return this.#relays;
  }

  /** How long both devices of a relay may send no RTP before `rtpTimeout` (on hold: the longer limit); endpoints' users apply the same. */
  get rtpTimeouts(): { readonly activeMs: number; readonly holdMs: number } {
    return { activeMs: this.#settings.rtpTimeoutMs, holdMs: this.#settings.holdTimeoutMs };
  }

  /** Open endpoints by id. */
  get endpoints(): ReadonlyMap<string, MediaEndpoint> {
    return this.#endpoints;
  }

  /** Port usage: pairs in use and pairs in the range. */
  get ports(): { inUse: number; capacity: number; range: PortRange } {
    return { inUse: this.#allocator.inUse, capacity: this.#allocator.capacity, range: this.#allocator.range };
  }

  /**
   * Opens a relay for a call: binds an RTP/RTCP pair for each leg. Rejects with
   * PortRangeExhaustedError when the range is full (the call engine answers 503), and with
   * InvalidStateError after close.
   */
  async createRelay(callId: string, legs: { a?: LegInterface; b?: LegInterface } = {}): Promise<MediaRelay> {
    if (this.#closed) throw new InvalidStateError('MediaEngine.createRelay() after close');
    const a = this.#interface(legs.a);
    const b = this.#interface(legs.b);
    const pairA = await this.#allocator.allocate(a.address);
    let pairB: SocketPair;
    try {
      pairB = await this.#allocator.allocate(b.address);
    } catch (err) {
      this.#release(pairA);
      throw err;
    }
    if (this.#closed) {
      this.#release(pairA);
      this.#release(pairB);
      throw new InvalidStateError('MediaEngine closed while the relay was being created');
    }
    const relay = new MediaRelay({
      id: randomHex(8),
      callId,
      pairs: { a: pairA, b: pairB },
      advertised: { a: a.advertisedAddress, b: b.advertisedAddress },
      settings: this.#settings,
      onClose: (closed) => {
        this.#relays.delete(closed.id);
        this.#allocator.release(pairA.rtpPort);
        this.#allocator.release(pairB.rtpPort);
      },
    });
    this.#relays.set(relay.id, relay);
    this.#logger.debug({ callId, relay: relay.id, a: pairA.rtpPort, b: pairB.rtpPort }, 'relay created');
    this.observer.emit('newRelay', relay);
    return relay;
  }

  /**
   * Opens a media endpoint for a call (Centrala as a party: prompts, digits, recording): binds one
   * RTP/RTCP pair. Then `endpoint.answer(offer)` or `endpoint.createOffer()`. Rejects like
   * {@link createRelay} (PortRangeExhaustedError → 503).
   */
  async createEndpoint(callId: string, leg: LegInterface = {}): Promise<MediaEndpoint> {
    if (this.#closed) throw new InvalidStateError('MediaEngine.createEndpoint() after close');
    const local = this.#interface(leg);
    const pair = await this.#allocator.allocate(local.address);
    if (this.#closed) {
      this.#release(pair);
      throw new InvalidStateError('MediaEngine closed while the endpoint was being created');
    }
    const endpoint = new MediaEndpoint({
      id: randomHex(8),
      callId,
      pair,
      advertisedAddress: local.advertisedAddress,
      settings: this.#endpointSettings,
      onClose: (closed) => {
        this.#endpoints.delete(closed.id);
        this.#allocator.release(pair.rtpPort);
      },
    });
    this.#endpoints.set(endpoint.id, endpoint);
    this.#logger.debug({ callId, endpoint: endpoint.id, port: pair.rtpPort }, 'endpoint created');
    this.observer.emit('newEndpoint', endpoint);
    return endpoint;
  }

  /** Closes every relay and endpoint (each emits closed with reason 'engineClosed'). Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const relay of [...this.#relays.values()]) relay.engineClosed();
    for (const endpoint of [...this.#endpoints.values()]) endpoint.engineClosed();
    this.observer.emit('closed');
  }

  #interface(leg: LegInterface | undefined): { address: string; advertisedAddress: string } {
    const address = leg?.address ?? this.#address;
    const advertised = leg?.advertisedAddress ?? (leg?.address === undefined ? this.#advertised : undefined);
    checkInterface(address, advertised);
    return { address, advertisedAddress: advertised ?? address };
  }

  #release(pair: SocketPair): void {
    pair.rtp.close();
    pair.rtcp.close();
    this.#allocator.release(pair.rtpPort);
  }
}

/** A bind address must be an IP literal; binding all interfaces needs an advertised address for SDP. */
function checkInterface(address: string, advertised: string | undefined): void {
  if (isIP(address) === 0) throw new TypeError(`media address ${address} is not an IP literal`);
  if (advertised !== undefined && isIP(advertised) === 0) throw new TypeError(`advertised media address ${advertised} is not an IP literal`);
  if (advertised === undefined && isUnspecifiedAddress(address)) {
    throw new TypeError(`media address ${address} binds every interface: set an advertised address for SDP`);
  }
}
