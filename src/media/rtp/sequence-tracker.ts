import { SEQUENCE_MODULO } from './sequence-number.js';

/** RFC 3550 Appendix A.1: a jump larger than this is a restart or a misbehaving source. */
const MAX_DROPOUT = 3000;
/** RFC 3550 Appendix A.1: packets this far behind are late duplicates or reordering. */
const MAX_MISORDER = 100;
/** RFC 3550 Appendix A.1: sequential packets needed before a source is valid. */
const MIN_SEQUENTIAL = 2;

/** What {@link SequenceTracker.update} decided about one packet. */
export type SequenceVerdict = 'valid' | 'probation' | 'duplicateOrLate' | 'bad';

/**
 * Per-SSRC receive statistics with sequence-number wrap-around, transcribed from RFC 3550
 * Appendix A.1 (`init_seq` / `update_seq`): extended highest sequence number, packets expected and
 * lost, as a receiver report needs them (§6.4.1). Not on the relay's forwarding path.
 */
export class SequenceTracker {
  #maxSeq = 0;
  #cycles = 0;
  #baseSeq = 0;
  #badSeq = SEQUENCE_MODULO + 1;
  #probation = MIN_SEQUENTIAL;
  #received = 0;
  #initialised = false;

  /** Feeds one packet's sequence number. */
  update(seq: number): SequenceVerdict {
    if (!this.#initialised) {
      this.#init(seq);
      this.#maxSeq = (seq - 1) & 0xffff;
      this.#probation = MIN_SEQUENTIAL;
      this.#initialised = true;
    }
    const udelta = (seq - this.#maxSeq) & 0xffff;
    // RFC 3550 A.1: "Source is not valid until MIN_SEQUENTIAL packets with sequential sequence numbers have been received."
    if (this.#probation > 0) {
      if (seq === ((this.#maxSeq + 1) & 0xffff)) {
        this.#probation--;
        this.#maxSeq = seq;
        if (this.#probation === 0) {
          this.#init(seq);
          this.#received++;
          return 'valid';
        }
      } else {
        this.#probation = MIN_SEQUENTIAL - 1;
        this.#maxSeq = seq;
      }
      return 'probation';
    }
    if (udelta < MAX_DROPOUT) {
      // In order, with permissible gap; a smaller number than before means the counter wrapped.
      if (seq < this.#maxSeq) this.#cycles += SEQUENCE_MODULO;
      this.#maxSeq = seq;
    } else if (udelta <= SEQUENCE_MODULO - MAX_MISORDER) {
      // RFC 3550 A.1: "the sequence number made a very large jump" — accept after two sequential packets.
      if (seq === this.#badSeq) {
        this.#init(seq);
      } else {
        this.#badSeq = (seq + 1) & 0xffff;
        return 'bad';
      }
    } else {
      // RFC 3550 A.1: "duplicate or reordered packet" — still counted as received.
      this.#received++;
      return 'duplicateOrLate';
    }
    this.#received++;
    return 'valid';
  }

  #init(seq: number): void {
    this.#baseSeq = seq;
    this.#maxSeq = seq;
    this.#badSeq = SEQUENCE_MODULO + 1;
    this.#cycles = 0;
    this.#received = 0;
  }

  /** Extended highest sequence number received (cycles × 2^16 + highest). */
  get extendedHighest(): number {
    return this.#cycles + this.#maxSeq;
  }

  /** Packets counted as received since the source became valid. */
  get received(): number {
    return this.#received;
  }

  /** Packets expected: extended highest − base + 1 (RFC 3550 A.3). */
  get expected(): number {
    return this.#initialised && this.#probation === 0 ? this.extendedHighest - this.#baseSeq + 1 : 0;
  }

  /** Cumulative packets lost: expected − received (negative with duplicates, RFC 3550 §6.4.1). */
  get lost(): number {
    return this.expected - this.#received;
  }
}
