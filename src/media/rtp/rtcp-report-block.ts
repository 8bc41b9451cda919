/*
 * RFC 3550 §6.4.1, one reception report block (24 octets), used by SR and RR:
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 SSRC_n (SSRC of source n)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | fraction lost |       cumulative number of packets lost       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           extended highest sequence number received           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      interarrival jitter                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         last SR (LSR)                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   delay since last SR (DLSR)                  |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 */

const OFFSET_SSRC = 0;
const OFFSET_FRACTION_LOST = 4;
const OFFSET_CUMULATIVE_LOST = 5;
const OFFSET_HIGHEST_SEQUENCE = 8;
const OFFSET_JITTER = 12;
const OFFSET_LAST_SR = 16;
const OFFSET_DELAY_SINCE_LAST_SR = 20;
/** Size of one report block in octets. */
export const REPORT_BLOCK_SIZE = 24;

/** One reception report block (RFC 3550 §6.4.1). */
export interface RtcpReportBlock {
  /** SSRC of the source this block reports on. */
  readonly ssrc: number;
  /** Fraction of packets lost since the last report, as a fixed-point number /256. */
  readonly fractionLost: number;
  /** Cumulative packets lost; a signed 24-bit value (negative with duplicates). */
  readonly cumulativeLost: number;
  /** Extended highest sequence number received (cycles × 2^16 + highest). */
  readonly highestSequence: number;
  /** Interarrival jitter in timestamp units. */
  readonly jitter: number;
  /** Middle 32 bits of the NTP timestamp of the last SR received (LSR), 0 if none. */
  readonly lastSenderReport: number;
  /** Delay since that SR in units of 1/65536 s (DLSR). */
  readonly delaySinceLastSenderReport: number;
}

/** Reads one report block at `offset` (the caller checked that 24 octets are there). */
export function readReportBlock(buf: Buffer, offset: number): RtcpReportBlock {
  return {
    ssrc: buf.readUInt32BE(offset + OFFSET_SSRC),
    fractionLost: buf.readUInt8(offset + OFFSET_FRACTION_LOST),
    cumulativeLost: buf.readIntBE(offset + OFFSET_CUMULATIVE_LOST, 3),
    highestSequence: buf.readUInt32BE(offset + OFFSET_HIGHEST_SEQUENCE),
    jitter: buf.readUInt32BE(offset + OFFSET_JITTER),
    lastSenderReport: buf.readUInt32BE(offset + OFFSET_LAST_SR),
    delaySinceLastSenderReport: buf.readUInt32BE(offset + OFFSET_DELAY_SINCE_LAST_SR),
  };
}

/** Writes one report block at `offset`. */
export function writeReportBlock(block: RtcpReportBlock, buf: Buffer, offset: number): void {
  buf.writeUInt32BE(block.ssrc, offset + OFFSET_SSRC);
  buf.writeUInt8(block.fractionLost, offset + OFFSET_FRACTION_LOST);
  buf.writeIntBE(block.cumulativeLost, offset + OFFSET_CUMULATIVE_LOST, 3);
  buf.writeUInt32BE(block.highestSequence, offset + OFFSET_HIGHEST_SEQUENCE);
  buf.writeUInt32BE(block.jitter, offset + OFFSET_JITTER);
  buf.writeUInt32BE(block.lastSenderReport, offset + OFFSET_LAST_SR);
  buf.writeUInt32BE(block.delaySinceLastSenderReport, offset + OFFSET_DELAY_SINCE_LAST_SR);
}
