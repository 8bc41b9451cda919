import { type ParseResult, parseError, parsed } from '../parse-result.js';

/*
 * RFC 4733 §2.3, payload format for named telephone events:
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     event     |E|R| volume    |          duration             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */

const OFFSET_EVENT = 0;
const OFFSET_FLAGS_VOLUME = 1;
const OFFSET_DURATION = 2;
/** Size of one telephone-event payload. */
export const TELEPHONE_EVENT_SIZE = 4;

const END_BIT = 0x80;
const RESERVED_BIT = 0x40;
const VOLUME_MASK = 0x3f;

/** RFC 4733 §3.2 DTMF event codes: 0–9, * (10), # (11), A–D (12–15), flash (16). */
const DIGITS = '0123456789*#ABCD';
/** Event code of hook flash (RFC 4733 §3.2). */
export const FLASH_EVENT = 16;

/** One telephone-event payload (RFC 4733 §2.3), immutable. */
export class TelephoneEvent {
  /** Event code, 0–255 (0–16 are DTMF and flash). */
  readonly event: number;
  /** E bit: this packet ends the event. */
  readonly end: boolean;
  /** R bit: "reserved for future use. The sender MUST set it to zero, the receiver MUST ignore it." Kept for exact round trips. */
  readonly reserved: boolean;
  /** Power level in −dBm0, 0–63 (larger is quieter). */
  readonly volume: number;
  /** Duration so far, in timestamp units (8000 Hz for DTMF). */
  readonly duration: number;

  private constructor(event: number, end: boolean, reserved: boolean, volume: number, duration: number) {
    this.event = event;
    this.end = end;
    this.reserved = reserved;
    this.volume = volume;
    this.duration = duration;
  }

  /** Builds an event; out-of-range fields are a bug and throw. */
  static create(fields: { event: number; end?: boolean; volume?: number; duration: number }): TelephoneEvent {
    const { event, volume = 10, duration } = fields;
    if (!Number.isInteger(event) || event < 0 || event > 255) throw new RangeError(`event ${event} out of range 0..255`);
    if (!Number.isInteger(volume) || volume < 0 || volume > VOLUME_MASK) throw new RangeError(`volume ${volume} out of range 0..63`);
    if (!Number.isInteger(duration) || duration < 0 || duration > 0xffff) throw new RangeError(`duration ${duration} out of range`);
    return new TelephoneEvent(event, fields.end ?? false, false, volume, duration);
  }

  /** Builds the event for a DTMF digit (0–9, *, #, A–D). */
  static fromDigit(digit: string, fields: { end?: boolean; volume?: number; duration: number }): TelephoneEvent {
    const event = digitToEvent(digit);
    if (event === undefined) throw new RangeError(`not a DTMF digit: ${digit}`);
    return TelephoneEvent.create({ ...fields, event });
  }

  /** Parses one RTP payload of the telephone-event format. */
  static parse(bytes: Uint8Array): ParseResult<TelephoneEvent> {
    if (bytes.length !== TELEPHONE_EVENT_SIZE) {
      return parseError(`telephone-event payload is ${bytes.length} octets, expected ${TELEPHONE_EVENT_SIZE}`);
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const flags = view.getUint8(OFFSET_FLAGS_VOLUME);
    return parsed(
      new TelephoneEvent(
        view.getUint8(OFFSET_EVENT),
        (flags & END_BIT) !== 0,
        (flags & RESERVED_BIT) !== 0,
        flags & VOLUME_MASK,
        view.getUint16(OFFSET_DURATION),
      ),
    );
  }

  /** The DTMF digit this event stands for, or undefined for other events. */
  get digit(): string | undefined {
    return eventToDigit(this.event);
  }

  /** Serialises the payload; `serialize(parse(x))` gives back x octet for octet. */
  serialize(): Buffer {
    const buf = Buffer.allocUnsafe(TELEPHONE_EVENT_SIZE);
    buf.writeUInt8(this.event, OFFSET_EVENT);
    buf.writeUInt8((this.end ? END_BIT : 0) | (this.reserved ? RESERVED_BIT : 0) | this.volume, OFFSET_FLAGS_VOLUME);
    buf.writeUInt16BE(this.duration, OFFSET_DURATION);
    return buf;
  }
}

/** The event code of a DTMF digit (case-insensitive A–D), or undefined. */
export function digitToEvent(digit: string): number | undefined {
  if (digit.length !== 1) return undefined;
  const index = DIGITS.indexOf(digit.toUpperCase());
  return index === -1 ? undefined : index;
}

/** The DTMF digit of an event code 0–15, or undefined. */
export function eventToDigit(event: number): string | undefined {
  return event >= 0 && event < DIGITS.length ? DIGITS[event] : undefined;
}
