/*
 * Serial-number arithmetic for RTP's 16-bit sequence numbers and 32-bit timestamps (RFC 3550
 * §5.1: "The sequence number increments by one for each RTP data packet sent ... The initial value
 * ... SHOULD be random"), so both wrap around. Comparisons use the RFC 1982 rule: `a` is newer than
 * `b` when the forward distance from `b` to `a` is less than half the number space.
 */

/** Number of distinct RTP sequence numbers (2^16). */
export const SEQUENCE_MODULO = 0x10000;
/** Number of distinct RTP timestamps (2^32). */
export const TIMESTAMP_MODULO = 0x100000000;

/** `seq + n` modulo 2^16 (n may be negative). */
export function seqAdd(seq: number, n: number): number {
  return (((seq + n) % SEQUENCE_MODULO) + SEQUENCE_MODULO) % SEQUENCE_MODULO;
}

/** Signed distance from `from` to `to` in -32768..32767: positive when `to` is newer. */
export function seqDiff(from: number, to: number): number {
  const d = (to - from) & 0xffff;
  return d >= 0x8000 ? d - SEQUENCE_MODULO : d;
}

/** Whether sequence number `a` is newer than `b` across the wrap (65535 → 0 is newer). */
export function seqNewer(a: number, b: number): boolean {
  return seqDiff(b, a) > 0;
}

/** `ts + n` modulo 2^32 (n may be negative). */
export function timestampAdd(ts: number, n: number): number {
  return (((ts + n) % TIMESTAMP_MODULO) + TIMESTAMP_MODULO) % TIMESTAMP_MODULO;
}

/** Signed distance between two RTP timestamps, in -2^31..2^31-1: positive when `to` is later. */
export function timestampDiff(from: number, to: number): number {
  return (to - from) | 0;
}
