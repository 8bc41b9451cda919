import { type RtpPacket, seqAdd, seqDiff, timestampAdd, timestampDiff } from '../rtp/index.js';

/** What the buffer hands on, in playout order: a packet, or silence standing in for lost/absent audio. */
export type JitterOutput = { readonly packet: RtpPacket } | { readonly silence: number };

/** Counters of a {@link JitterBuffer}. */
export interface JitterStats {
  /** Packets accepted into the buffer. */
  received: number;
  /** Packets that arrived out of order but in time, and were put back in place. */
  reordered: number;
  /** Copies of a packet already buffered or handed on. */
  duplicates: number;
  /** Packets older than what was already handed on (arrived too late to be put in place). */
  late: number;
  /** Sequence numbers never received (filled with silence). */
  lost: number;
}

/** Options of a {@link JitterBuffer}. */
export interface JitterBufferOptions {
  /** Packets held back for reordering before the oldest is released; default 3 (60 ms of 20 ms packets). */
  readonly depth?: number;
  /** Longest silence one gap is filled with, in samples; default 80000 (10 s at 8 kHz). */
  readonly maxGapSamples?: number;
}

/**
 * A small reordering buffer for the receive path (recording, echo): packets are held until
 * `depth` newer ones have arrived (or {@link releaseDue} says they waited long enough), then handed
 * on in sequence order. Duplicates and packets older than what was handed on are dropped. A gap
 * in the sequence or in the timestamps (loss, or a sender that stopped during silence, RFC 3551
 * §4.1) becomes silence of the timestamp distance, so a recording keeps its length and timing.
 * A new SSRC (the sender restarted its stream) starts over after handing on what was held.
 *
 * Pure: time comes in as arguments, so the endpoint drives it and tests need no clock.
 */
export class JitterBuffer {
  readonly #depth: number;
  readonly #maxGap: number;
  readonly #held = new Map<number, { packet: RtpPacket; at: number }>();
  /** Recently handed-on sequence numbers, to tell a duplicate from a late packet. */
  readonly #handed: number[] = [];
  readonly #stats: JitterStats = { received: 0, reordered: 0, duplicates: 0, late: 0, lost: 0 };
  #ssrc: number | undefined;
  /** Sequence number and timestamp expected next on output. */
  #nextSeq: number | undefined;
  #nextTimestamp: number | undefined;
  /** Highest sequence number received, to tell reordering from loss. */
  #highest: number | undefined;

  constructor(options: JitterBufferOptions = {}) {
    this.#depth = options.depth ?? 3;
    this.#maxGap = options.maxGapSamples ?? 80000;
    if (!Number.isInteger(this.#depth) || this.#depth < 0) throw new RangeError(`jitter buffer depth ${this.#depth} must be a whole number ≥ 0`);
  }

  /** A snapshot of the counters. */
  get stats(): Readonly<JitterStats> {
    return { ...this.#stats };
  }

  /** Packets held now. */
  get size(): number {
    return this.#held.size;
  }

  /** Arrival time of the oldest held packet, if any. */
  get oldestArrival(): number | undefined {
    let oldest: number | undefined;
    for (const h of this.#held.values()) if (oldest === undefined || h.at < oldest) oldest = h.at;
    return oldest;
  }

  /** Adds a received audio packet (arrived at `now`); returns what is released by it, in order. */
  push(packet: RtpPacket, now: number): JitterOutput[] {
    const out: JitterOutput[] = [];
    if (this.#ssrc !== packet.ssrc) {
      if (this.#ssrc !== undefined) out.push(...this.flush());
      this.#ssrc = packet.ssrc;
      this.#nextSeq = undefined;
      this.#nextTimestamp = undefined;
      this.#highest = undefined;
    }
    const seq = packet.sequenceNumber;
    if (this.#nextSeq !== undefined && seqDiff(this.#nextSeq, seq) < 0) {
      // Already handed on (a duplicate) or skipped as lost (late): too old either way.
      if (this.#handed.includes(seq)) this.#stats.duplicates++;
      else this.#stats.late++;
      return out;
    }
    if (this.#held.has(seq)) {
      this.#stats.duplicates++;
      return out;
    }
    this.#stats.received++;
    if (this.#highest !== undefined && seqDiff(this.#highest, seq) < 0) this.#stats.reordered++;
    if (this.#highest === undefined || seqDiff(this.#highest, seq) > 0) this.#highest = seq;
    this.#held.set(seq, { packet, at: now });
    while (this.#held.size > this.#depth) out.push(...this.#releaseOldest());
    return out;
  }

  /** Releases, in order, until no held packet has waited `maxWaitMs` or more (the sender paused, or a gap stays open). */
  releaseDue(now: number, maxWaitMs: number): JitterOutput[] {
    const out: JitterOutput[] = [];
    for (let oldest = this.oldestArrival; oldest !== undefined && now - oldest >= maxWaitMs; oldest = this.oldestArrival) {
      out.push(...this.#releaseOldest());
    }
    return out;
  }

  /** Hands on everything held, in order (end of a recording). */
  flush(): JitterOutput[] {
    const out: JitterOutput[] = [];
    while (this.#held.size > 0) out.push(...this.#releaseOldest());
    return out;
  }

  #oldestHeld(): { packet: RtpPacket; at: number } | undefined {
    let best: { packet: RtpPacket; at: number } | undefined;
    const base = this.#nextSeq ?? this.#highest ?? 0;
    for (const h of this.#held.values()) {
      if (!best || seqDiff(base, h.packet.sequenceNumber) < seqDiff(base, best.packet.sequenceNumber)) best = h;
    }
    return best;
  }

  #releaseOldest(): JitterOutput[] {
    const oldest = this.#oldestHeld();
    if (!oldest) return [];
    const { packet } = oldest;
    this.#held.delete(packet.sequenceNumber);
    const out: JitterOutput[] = [];
    if (this.#nextSeq !== undefined) this.#stats.lost += Math.max(0, seqDiff(this.#nextSeq, packet.sequenceNumber));
    if (this.#nextTimestamp !== undefined) {
      const gap = timestampDiff(this.#nextTimestamp, packet.timestamp);
      if (gap > 0) out.push({ silence: Math.min(gap, this.#maxGap) });
    }
    out.push({ packet });
    this.#nextSeq = seqAdd(packet.sequenceNumber, 1);
    // G.711: one octet per sample, so the payload length is the packet's duration in timestamp units.
    this.#nextTimestamp = timestampAdd(packet.timestamp, packet.payload.length);
    this.#handed.push(packet.sequenceNumber);
    if (this.#handed.length > HANDED_MEMORY) this.#handed.shift();
    return out;
  }
}

/** How many handed-on sequence numbers are remembered for duplicate detection. */
const HANDED_MEMORY = 64;
