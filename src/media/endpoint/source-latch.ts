/** A UDP transport address. */
export interface UdpEndpoint {
  readonly address: string;
  readonly port: number;
}

/** What {@link SourceLatch.check} decided about one packet. */
export type LatchVerdict = 'forward' | 'latched' | 'relatched' | 'drop';

/**
 * Symmetric RTP latching (rtpengine's "learning", RFC 4961 symmetric RTP, and the comedia
 * behaviour of RFC 4145): a device behind NAT writes its private address in SDP, but its packets
 * arrive from the NAT's public address and port, which is also the only place replies can reach
 * it. So the relay sends to where the device's packets come from. The rule, for one socket:
 *
 * 1. Before any packet is accepted, the destination is the address in the device's SDP.
 * 2. The first acceptable packet latches: its source becomes the destination and its SSRC is
 *    remembered. (Acceptable = the caller's cheap check: RTP version 2 with a negotiated payload
 *    type, or RTCP version 2.)
 * 3. Packets from the latched source are forwarded (its SSRC may change: same 5-tuple, same device).
 * 4. Packets from any other source are dropped, except:
 *    a. a packet from exactly the address and port the SDP names takes over at once — the SDP is
 *       the device's own word, and an attacker spoofing that address cannot receive the replies,
 *       which keep going to the device; this also undoes an attacker who latched first;
 *    b. NAT rebinding: a packet carrying the latched SSRC from a new source relatches when the
 *       latched source has been silent for `relatchSilenceMs` (2 s by default). An off-path
 *       attacker cannot guess a 32-bit SSRC, and a live device is never silent that long, so the
 *       stream cannot be hijacked while it flows.
 *    A different SSRC from a new source never relatches without signalling.
 * 5. A new SDP from the device (re-INVITE, answer) resets the latch: the device may have moved
 *    (transfer, new network) and says so in signalling; rule 2 applies again.
 */
export class SourceLatch {
  readonly #relatchSilenceMs: number;
  #expected: UdpEndpoint | undefined;
  #latched: UdpEndpoint | undefined;
  #ssrc: number | undefined;
  #lastSeenAt = 0;

  constructor(relatchSilenceMs = 2000) {
    this.#relatchSilenceMs = relatchSilenceMs;
  }

  /** Rule 5: a new SDP address (undefined: the device does not want packets, e.g. c=0.0.0.0). Unlatches. */
  reset(expected: UdpEndpoint | undefined): void {
    this.#expected = expected;
    this.#latched = undefined;
    this.#ssrc = undefined;
  }

  /** Where packets for the device go now: the latched source, else the SDP address. */
  get destination(): UdpEndpoint | undefined {
    return this.#latched ?? this.#expected;
  }

  /** Whether a packet has been accepted since the last reset. */
  get isLatched(): boolean {
    return this.#latched !== undefined;
  }

  /** The SDP address currently expected. */
  get expected(): UdpEndpoint | undefined {
    return this.#expected;
  }

  /**
   * Decides about one received packet. `acceptable` is the caller's validity check of the packet,
   * `ssrc` its (sender) SSRC; `now` is the clock's time. Allocates nothing on the forward path.
   */
  check(address: string, port: number, acceptable: boolean, ssrc: number, now: number): LatchVerdict {
    const latched = this.#latched;
    if (latched !== undefined && latched.port === port && latched.address === address) {
      this.#lastSeenAt = now;
      return 'forward';
    }
    if (!acceptable) return 'drop';
    if (latched === undefined) {
      this.#latch(address, port, ssrc, now);
      return 'latched';
    }
    const expected = this.#expected;
    if (expected !== undefined && expected.port === port && expected.address === address) {
      this.#latch(address, port, ssrc, now);
      return 'relatched';
    }
    if (ssrc === this.#ssrc && now - this.#lastSeenAt >= this.#relatchSilenceMs) {
      this.#latch(address, port, ssrc, now);
      return 'relatched';
    }
    return 'drop';
  }

  #latch(address: string, port: number, ssrc: number, now: number): void {
    this.#latched = { address, port };
    this.#ssrc = ssrc;
    this.#lastSeenAt = now;
  }
}
