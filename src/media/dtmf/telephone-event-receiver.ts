import { TelephoneEvent, eventToDigit } from './telephone-event.js';

/** One completed telephone event, reported once however many packets carried it. */
export interface ReceivedTelephoneEvent {
  /** Event code (0–15 DTMF, 16 flash …). */
  readonly event: number;
  /** The DTMF digit, when the event is one. */
  readonly digit: string | undefined;
  /** Duration in timestamp units (8000 per second for DTMF). */
  readonly duration: number;
  /** RTP timestamp of the event's start, which identifies it. */
  readonly timestamp: number;
  /** True when the end packet never arrived and a newer event closed this one. */
  readonly endLost: boolean;
}

/**
 * Turns a stream of telephone-event RTP payloads into one report per event.
 *
 * RFC 4733 §2.5.1.1: every packet of one event carries the RTP timestamp of the event's start;
 * §2.5.1.4: the final packet (E bit set) SHOULD be sent three times. So an event is identified by
 * its timestamp, reported at its first end packet, and its retransmitted end packets are ignored.
 * §2.5.2.2: if the end packets are lost, a packet with a new timestamp ends the previous event.
 */
export class TelephoneEventReceiver {
  #current: { timestamp: number; event: number; duration: number } | undefined;
  #lastEnded: number | undefined;

  /** Feeds one packet (its RTP timestamp and payload); returns the events completed by it, oldest first. */
  push(timestamp: number, payload: Uint8Array): ReceivedTelephoneEvent[] {
    const parsed = TelephoneEvent.parse(payload);
    if (!parsed.ok) return [];
    const te = parsed.value;
    if (timestamp === this.#lastEnded) return [];
    const out: ReceivedTelephoneEvent[] = [];
    if (this.#current && this.#current.timestamp !== timestamp) {
      out.push(this.#report(this.#current, true));
      this.#current = undefined;
    }
    if (te.end) {
      out.push(this.#report({ timestamp, event: te.event, duration: te.duration }, false));
      this.#current = undefined;
      this.#lastEnded = timestamp;
    } else {
      this.#current = { timestamp, event: te.event, duration: te.duration };
    }
    return out;
  }

  #report(e: { timestamp: number; event: number; duration: number }, endLost: boolean): ReceivedTelephoneEvent {
    return { event: e.event, digit: eventToDigit(e.event), duration: e.duration, timestamp: e.timestamp, endLost };
  }
}
