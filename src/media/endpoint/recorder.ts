/** Options of a recording. */
export interface RecordOptions {
  /** Longest recording kept, in ms (after trimming the leading silence); default 180000 (SPEC 2.3: 3 minutes). */
  readonly maxDurationMs?: number;
  /** Trim silence at the start and the end; default true. */
  readonly trimSilence?: boolean;
  /** Stop after this much silence following speech, in ms; default: never. */
  readonly maxSilenceMs?: number;
  /** A 20 ms block whose RMS is below this (16-bit units) is silence; default 250 (about −42 dBFS). */
  readonly silenceThreshold?: number;
  /** Digits that stop the recording (not recorded); default '#'. '' records through every digit. */
  readonly stopDigits?: string;
  /** Aborting ends the recording; the result keeps what was recorded, with reason 'aborted'. */
  readonly signal?: AbortSignal;
}

/** Why a recording ended. */
export type RecordEndReason = 'digit' | 'maxDuration' | 'silence' | 'aborted' | 'closed';

/** Samples per analysis block (20 ms at 8 kHz). */
const BLOCK = 160;

/**
 * Collects received 8 kHz audio for one recording: trims leading silence as it goes (nothing is
 * kept until the first block above the threshold), stops at the maximum length, tracks the
 * silence since the last speech, and trims the trailing silence at the end. A recording of
 * silence only is empty.
 */
export class Recorder {
  readonly #max: number;
  readonly #trim: boolean;
  readonly #threshold: number;
  readonly #maxSilence: number | undefined;
  readonly #chunks: Int16Array[] = [];
  #length = 0;
  /** Length at the end of the last block that was not silence. */
  #lastSound = 0;
  #heardSound = false;
  /** Partial block carried over between pushes, for the level measurement. */
  #block = new Int16Array(BLOCK);
  #blockFill = 0;

  constructor(options: RecordOptions) {
    this.#max = Math.round(((options.maxDurationMs ?? 180_000) * 8000) / 1000);
    this.#trim = options.trimSilence ?? true;
    this.#threshold = options.silenceThreshold ?? 250;
    this.#maxSilence = options.maxSilenceMs === undefined ? undefined : Math.round(options.maxSilenceMs * 8);
    if (!(this.#max > 0)) throw new RangeError(`maxDurationMs ${options.maxDurationMs} must be positive`);
    if (this.#maxSilence !== undefined && !(this.#maxSilence > 0)) throw new RangeError(`maxSilenceMs ${options.maxSilenceMs} must be positive`);
  }

  /** Adds received samples; returns why the recording must end now, if it must. */
  push(samples: Int16Array): 'maxDuration' | 'silence' | undefined {
    for (let i = 0; i < samples.length; ) {
      const n = Math.min(BLOCK - this.#blockFill, samples.length - i);
      this.#block.set(samples.subarray(i, i + n), this.#blockFill);
      this.#blockFill += n;
      i += n;
      if (this.#blockFill < BLOCK) break;
      this.#blockFill = 0;
      const ended = this.#addBlock(this.#block);
      this.#block = new Int16Array(BLOCK);
      if (ended) return ended;
    }
    return undefined;
  }

  /** The recording: leading and trailing silence trimmed when asked, at most the maximum length. */
  finish(): Int16Array {
    if (this.#blockFill > 0 && this.#length < this.#max) this.#addBlock(this.#block.subarray(0, this.#blockFill));
    this.#blockFill = 0;
    const all = new Int16Array(this.#length);
    let at = 0;
    for (const c of this.#chunks) {
      all.set(c, at);
      at += c.length;
    }
    return this.#trim ? all.subarray(0, this.#lastSound) : all;
  }

  #addBlock(block: Int16Array): 'maxDuration' | 'silence' | undefined {
    const loud = rms(block) >= this.#threshold;
    if (!loud && this.#trim && !this.#heardSound) return undefined;
    const room = this.#max - this.#length;
    const kept = block.length > room ? block.slice(0, room) : block.slice();
    this.#chunks.push(kept);
    this.#length += kept.length;
    if (loud) {
      this.#heardSound = true;
      this.#lastSound = this.#length;
    }
    if (this.#length >= this.#max) return 'maxDuration';
    if (this.#maxSilence !== undefined && this.#heardSound && this.#length - this.#lastSound >= this.#maxSilence) return 'silence';
    return undefined;
  }
}

/** Root mean square of a block, in 16-bit units. */
export function rms(samples: Int16Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}
