import { randomInt } from 'node:crypto';
import type { Clock, TimerHandle } from '../../lib/index.js';
import { type G711Law, g711Encode } from '../codec/index.js';
import { RtpPacket, seqAdd, timestampAdd } from '../rtp/index.js';

/** Samples per packet: 20 ms at 8 kHz (RFC 3551 §4.2: the default packetization interval is 20 ms). */
export const FRAME_SAMPLES = 160;
/** The packetization interval. */
export const FRAME_MS = 20;
/** Behind schedule by more than this, the sender skips slots instead of bursting to catch up. */
const MAX_CATCH_UP_MS = 100;

/** Where and how packets go; read at every packet, so a re-INVITE can change them mid-play. */
export interface RtpSenderTarget {
  /** The negotiated codec and its payload type; undefined sends nothing (not negotiated, or on hold). */
  format(): { law: G711Law; payloadType: number } | undefined;
  send(packet: Buffer): void;
}

/** A source of 20 ms frames: the next 160 samples, or undefined when it has ended. */
export type FrameSource = () => Int16Array | undefined;

/**
 * Turns frames into an RTP stream paced at 20 ms (RFC 3550 §5.1):
 *
 * - SSRC, first sequence number and first timestamp are random ("SHOULD be random", §5.1, §8.1).
 * - Time is divided into 20 ms slots from the first packet; slot k is due at start + 20·k on a
 *   monotonic clock and carries timestamp ts0 + 160·k. Each timer is set for the next due slot,
 *   so late timers never add up to drift; a late timer sends every slot that has fallen due
 *   (up to 100 ms of catch-up), and beyond that skips the slots, keeping timestamps on time.
 * - The timestamp follows the slots even while nothing is sent, so it always reflects when the
 *   audio was sampled; the sequence number increases by one per packet sent.
 * - The marker bit is set on the first packet of a talkspurt (RFC 3551 §4.1): the first packet
 *   of the stream and the first after the sender was idle for at least one slot. Sources
 *   started back to back continue the talkspurt with continuous timestamps.
 */
export class RtpSender {
  readonly ssrc = randomInt(0, 2 ** 32);
  readonly #clock: Clock;
  readonly #target: RtpSenderTarget;
  #seq = randomInt(0, 2 ** 16);
  readonly #timestamp0 = randomInt(0, 2 ** 32);
  #start: number | undefined;
  /** Slot of the next packet, and of the last packet sent. */
  #slot = 0;
  #lastSentSlot: number | undefined;
  #source: { read: FrameSource; done: () => void } | undefined;
  #timer: TimerHandle | undefined;
  #packets = 0;

  constructor(clock: Clock, target: RtpSenderTarget) {
    this.#clock = clock;
    this.#target = target;
  }

  /** Packets sent. */
  get packetsSent(): number {
    return this.#packets;
  }

  /** Whether a source is playing. */
  get busy(): boolean {
    return this.#source !== undefined;
  }

  /** Plays `read` until it returns undefined (then calls `done`) or {@link stop} is called. One source at a time. */
  start(read: FrameSource, done: () => void): void {
    if (this.#source) throw new Error('RtpSender is already playing');
    this.#source = { read, done };
    const now = this.#clock.now();
    if (this.#start === undefined) {
      this.#start = now;
      this.#slot = 0;
    } else {
      // The next slot if it is still ahead (back to back), else the current one (a new talkspurt).
      this.#slot = Math.max(this.#slot, Math.floor((now - this.#start) / FRAME_MS));
    }
    this.#tick();
  }

  /** Stops the current source without calling its `done`; the stream's timing continues for the next one. */
  stop(): void {
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#source = undefined;
  }

  #tick = (): void => {
    this.#timer = undefined;
    const start = this.#start ?? 0;
    const now = this.#clock.now();
    let due = start + this.#slot * FRAME_MS;
    if (now - due > MAX_CATCH_UP_MS) {
      this.#slot += Math.floor((now - due) / FRAME_MS);
      due = start + this.#slot * FRAME_MS;
    }
    while (this.#source && due <= now) {
      const frame = this.#source.read();
      if (frame === undefined) {
        const { done } = this.#source;
        this.#source = undefined;
        done();
        return;
      }
      this.#send(frame);
      this.#slot++;
      due += FRAME_MS;
    }
    if (this.#source) this.#timer = this.#clock.setTimeout(this.#tick, due - now);
  };

  #send(frame: Int16Array): void {
    const format = this.#target.format();
    if (!format) return;
    const marker = this.#lastSentSlot === undefined || this.#slot !== this.#lastSentSlot + 1;
    const packet = RtpPacket.create({
      marker,
      payloadType: format.payloadType,
      sequenceNumber: this.#seq,
      timestamp: timestampAdd(this.#timestamp0, this.#slot * FRAME_SAMPLES),
      ssrc: this.ssrc,
      payload: g711Encode(format.law, frame),
    });
    this.#seq = seqAdd(this.#seq, 1);
    this.#lastSentSlot = this.#slot;
    this.#packets++;
    this.#target.send(packet.serialize());
  }
}
