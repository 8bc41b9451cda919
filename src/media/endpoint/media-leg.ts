import type { RemoteInfo } from 'node:dgram';
import { type Clock, type Logger } from '../../lib/index.js';
import { isRtcpVersion2, isRtpVersion2, parseRtcpCompound, readRtpPayloadType, readRtpSsrc } from '../rtp/index.js';
import { type MediaAddress, SdpOriginKeeper, isUnspecifiedAddress } from '../sdp/index.js';
import type { SocketPair } from './port-allocator.js';
import type { RelaySdpResult } from './relay-sdp-result.js';
import { type LatchVerdict, SourceLatch, type UdpEndpoint } from './source-latch.js';

/** The two legs of a relay: A (usually the caller) and B. */
export type LegName = 'a' | 'b';

/** Packet counters of one socket (RTP or RTCP) of a leg. */
export interface StreamCounters {
  /** Datagrams received on this leg's socket. */
  packetsIn: number;
  bytesIn: number;
  /** Datagrams this leg sent to its device (relayed from the other leg). */
  packetsOut: number;
  bytesOut: number;
  /** Received but not relayed: foreign source, no destination known yet, other leg closed. */
  dropped: number;
  /** Sends that failed in the OS (e.g. no route). */
  sendErrors: number;
}

/** A snapshot of a leg's counters. */
export interface LegStats {
  readonly rtp: Readonly<StreamCounters>;
  readonly rtcp: Readonly<StreamCounters>;
  /** The last reception report the device sent about the stream it receives (from its RTCP SR/RR). */
  readonly lastReport: ReceptionQuality | undefined;
}

/** Reception quality a device reported in RTCP (RFC 3550 §6.4.1). */
export interface ReceptionQuality {
  /** Fraction of packets lost since the previous report, 0..1. */
  readonly fractionLost: number;
  readonly cumulativeLost: number;
  /** Interarrival jitter in RTP timestamp units. */
  readonly jitter: number;
  /** Clock time the report arrived. */
  readonly at: number;
}

/** A change of where a leg sends, for monitoring. */
export interface LatchChange {
  readonly leg: LegName;
  readonly kind: 'rtp' | 'rtcp';
  readonly verdict: Extract<LatchVerdict, 'latched' | 'relatched'>;
  readonly source: UdpEndpoint;
}

const newCounters = (): StreamCounters => ({ packetsIn: 0, bytesIn: 0, packetsOut: 0, bytesOut: 0, dropped: 0, sendErrors: 0 });

/** What a leg reports to its relay (named callbacks, STYLE principle 7). */
export interface MediaLegOwner {
  /** Relays an RTP datagram received on `from` to the other leg's device; false if it could not. */
  relayRtp(from: MediaLeg, packet: Buffer): boolean;
  /** The same for RTCP. */
  relayRtcp(from: MediaLeg, packet: Buffer): boolean;
  /** The leg latched or relatched onto a source. */
  onLatch(change: LatchChange): void;
  /** Offer/answer on behalf of a leg's device. */
  offer(from: LegName, sdp: string | Uint8Array): RelaySdpResult;
  answer(from: LegName, sdp: string | Uint8Array): RelaySdpResult;
}

/**
 * One side of a relay: a socket pair facing one device, where that device's packets arrive and
 * where the other side's packets are sent from (symmetric RTP). Created and closed by
 * {@link MediaRelay}; a leg closes only with its relay.
 *
 * Forwarding hot path: a received datagram is checked against the latched source (two compares),
 * counted and handed to the other leg, which sends the same Buffer to its device. No RTP parsing:
 * only when a packet comes from a source not yet latched are the version, payload type and SSRC
 * read (three octet reads), as the latching rule needs them. RTCP, a few packets per 5 s, is
 * parsed for the reception report shown in stats. Nothing is allocated per packet beyond what
 * dgram allocates itself (the Buffer and RemoteInfo).
 */
export class MediaLeg {
  readonly name: LegName;
  readonly #pair: SocketPair;
  readonly #advertised: string;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #owner: MediaLegOwner;
  readonly #rtpLatch: SourceLatch;
  readonly #rtcpLatch: SourceLatch;
  readonly #rtpCounters = newCounters();
  readonly #rtcpCounters = newCounters();
  readonly #originKeeper: SdpOriginKeeper;
  #payloadTypes: ReadonlySet<number> = new Set();
  #lastReport: ReceptionQuality | undefined;
  #lastRtpAt: number | undefined;
  #closed = false;

  /** @internal Built by MediaRelay. */
  constructor(options: {
    name: LegName;
    pair: SocketPair;
    advertisedAddress: string;
    clock: Clock;
    logger: Logger;
    owner: MediaLegOwner;
    relatchSilenceMs: number;
  }) {
    this.name = options.name;
    this.#pair = options.pair;
    this.#advertised = options.advertisedAddress;
    this.#clock = options.clock;
    this.#logger = options.logger;
    this.#owner = options.owner;
    this.#rtpLatch = new SourceLatch(options.relatchSilenceMs);
    this.#rtcpLatch = new SourceLatch(options.relatchSilenceMs);
    this.#originKeeper = new SdpOriginKeeper({ address: options.advertisedAddress });
    this.#pair.rtp.on('message', this.#onRtp);
    this.#pair.rtcp.on('message', this.#onRtcp);
    const onError = (err: Error): void => this.#logger.warn({ err, leg: this.name }, 'media socket error');
    this.#pair.rtp.on('error', onError);
    this.#pair.rtcp.on('error', onError);
  }

  /** Whether the leg (with its relay) is closed. */
  get closed(): boolean {
    return this.#closed;
  }

  /** The address this leg's device is told to send to (c= in the SDP it receives). */
  get advertisedAddress(): string {
    return this.#advertised;
  }

  /** The local address the sockets are bound to. */
  get localAddress(): string {
    return this.#pair.address;
  }

  /** Local RTP port (even); RTCP is rtpPort + 1. */
  get rtpPort(): number {
    return this.#pair.rtpPort;
  }

  /** Where RTP for the device goes now (latched source, else its SDP address), if anywhere. */
  get remoteRtp(): UdpEndpoint | undefined {
    return this.#rtpLatch.destination;
  }

  /** Where RTCP for the device goes now. */
  get remoteRtcp(): UdpEndpoint | undefined {
    return this.#rtcpLatch.destination;
  }

  /** Whether RTP from the device has been received and latched onto. */
  get latched(): boolean {
    return this.#rtpLatch.isLatched;
  }

  /** Clock time of the last RTP packet accepted from the device. */
  get lastRtpAt(): number | undefined {
    return this.#lastRtpAt;
  }

  /**
   * This leg's device sent an offer: returns the offer for the other leg's device (relay address,
   * restricted to what the relay carries), or why it is not acceptable (→ 488, or 400 for invalidSdp).
   */
  offer(sdp: string | Uint8Array): RelaySdpResult {
    return this.#owner.offer(this.name, sdp);
  }

  /** This leg's device answered the other leg's pending offer: returns the answer for the offering device. */
  answer(sdp: string | Uint8Array): RelaySdpResult {
    return this.#owner.answer(this.name, sdp);
  }

  /** A snapshot of the counters. */
  stats(): LegStats {
    return { rtp: { ...this.#rtpCounters }, rtcp: { ...this.#rtcpCounters }, lastReport: this.#lastReport };
  }

  /** @internal The o= keeper of SDP sent to this leg's device. */
  get originKeeper(): SdpOriginKeeper {
    return this.#originKeeper;
  }

  /** @internal Where the device receives, from its latest SDP; resets latching (rule 5 of SourceLatch). */
  setRemote(remote: MediaAddress | undefined): void {
    const family = this.#pair.family;
    const usable = remote && remote.family === family && !isUnspecifiedAddress(remote.address);
    if (remote && remote.family !== family) {
      this.#logger.warn({ leg: this.name, remote: remote.address }, 'device address family differs from the leg; waiting for its packets');
    }
    this.#rtpLatch.reset(usable ? { address: remote.address, port: remote.rtpPort } : undefined);
    this.#rtcpLatch.reset(usable ? { address: remote.rtcpAddress, port: remote.rtcpPort } : undefined);
  }

  /** @internal Payload types negotiated for the stream (both sides' numbers); gate the first latch. */
  setPayloadTypes(payloadTypes: ReadonlySet<number>): void {
    this.#payloadTypes = payloadTypes;
  }

  /** @internal Sends a relayed RTP datagram to the device. */
  sendRtp(packet: Buffer): boolean {
    return this.#send(this.#pair.rtp, this.#rtpLatch.destination, this.#rtpCounters, packet);
  }

  /** @internal Sends a relayed RTCP datagram to the device. */
  sendRtcp(packet: Buffer): boolean {
    return this.#send(this.#pair.rtcp, this.#rtcpLatch.destination, this.#rtcpCounters, packet);
  }

  /** @internal Called by the relay when it closes: closes the sockets. Idempotent. */
  relayClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pair.rtp.off('message', this.#onRtp);
    this.#pair.rtcp.off('message', this.#onRtcp);
    this.#pair.rtp.close();
    this.#pair.rtcp.close();
  }

  #send(socket: SocketPair['rtp'], dest: UdpEndpoint | undefined, counters: StreamCounters, packet: Buffer): boolean {
    if (this.#closed || dest === undefined) return false;
    counters.packetsOut++;
    counters.bytesOut += packet.length;
    socket.send(packet, dest.port, dest.address, counters === this.#rtpCounters ? this.#onRtpSent : this.#onRtcpSent);
    return true;
  }

  readonly #onRtpSent = (err: Error | null): void => {
    if (err) this.#rtpCounters.sendErrors++;
  };

  readonly #onRtcpSent = (err: Error | null): void => {
    if (err) this.#rtcpCounters.sendErrors++;
  };

  readonly #onRtp = (packet: Buffer, rinfo: RemoteInfo): void => {
    const counters = this.#rtpCounters;
    counters.packetsIn++;
    counters.bytesIn += packet.length;
    const now = this.#clock.now();
    const latch = this.#rtpLatch;
    let verdict: LatchVerdict = latch.check(rinfo.address, rinfo.port, false, 0, now);
    if (verdict === 'drop') {
      // Not from the latched source: read what the latching rule needs (RFC 3550 §5.1 fields).
      const acceptable = isRtpVersion2(packet) && (this.#payloadTypes.size === 0 || this.#payloadTypes.has(readRtpPayloadType(packet)));
      verdict = latch.check(rinfo.address, rinfo.port, acceptable, acceptable ? readRtpSsrc(packet) : 0, now);
      if (verdict === 'drop') {
        counters.dropped++;
        return;
      }
      if (verdict !== 'forward') {
        this.#owner.onLatch({ leg: this.name, kind: 'rtp', verdict, source: { address: rinfo.address, port: rinfo.port } });
      }
    }
    this.#lastRtpAt = now;
    if (!this.#owner.relayRtp(this, packet)) counters.dropped++;
  };

  readonly #onRtcp = (packet: Buffer, rinfo: RemoteInfo): void => {
    const counters = this.#rtcpCounters;
    counters.packetsIn++;
    counters.bytesIn += packet.length;
    const now = this.#clock.now();
    const latch = this.#rtcpLatch;
    let verdict: LatchVerdict = latch.check(rinfo.address, rinfo.port, false, 0, now);
    if (verdict === 'drop') {
      const acceptable = isRtcpVersion2(packet) && packet.length >= 8;
      // The SSRC of the packet's sender sits at octets 4-7 of SR, RR, SDES (first chunk) and BYE alike.
      verdict = latch.check(rinfo.address, rinfo.port, acceptable, acceptable ? packet.readUInt32BE(4) : 0, now);
      if (verdict === 'drop') {
        counters.dropped++;
        return;
      }
      if (verdict !== 'forward') {
        this.#owner.onLatch({ leg: this.name, kind: 'rtcp', verdict, source: { address: rinfo.address, port: rinfo.port } });
      }
    }
    this.#readReport(packet, now);
    if (!this.#owner.relayRtcp(this, packet)) counters.dropped++;
  };

  #readReport(packet: Buffer, now: number): void {
    const parsed = parseRtcpCompound(packet);
    if (!parsed.ok) return;
    for (const p of parsed.value) {
      if (p.type !== 'sr' && p.type !== 'rr') continue;
      const block = p.reports[0];
      if (block) {
        this.#lastReport = { fractionLost: block.fractionLost / 256, cumulativeLost: block.cumulativeLost, jitter: block.jitter, at: now };
      }
    }
  }
}
