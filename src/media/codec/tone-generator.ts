/** Parameters of a generated tone. */
export interface ToneOptions {
  /** Frequencies in Hz; several are summed (e.g. a DTMF pair), each at `amplitude`. */
  readonly frequencies: readonly number[];
  /** Samples per second; default 8000. */
  readonly sampleRate?: number;
  /** Peak amplitude of each component relative to full scale (0..1); default 0.5 (−6 dBFS). */
  readonly amplitude?: number;
}

/**
 * A phase-continuous sine generator: successive `read(n)` calls produce one unbroken signal, so a
 * tone can be sent in 20 ms RTP frames without clicks. Output is clipped to 16 bits.
 */
export class ToneGenerator {
  readonly #steps: number[];
  readonly #amplitude: number;
  #position = 0;

  constructor(options: ToneOptions) {
    const sampleRate = options.sampleRate ?? 8000;
    for (const f of options.frequencies) {
      // Nyquist: a frequency at or above half the sample rate cannot be represented.
      if (!(f > 0 && f < sampleRate / 2)) throw new RangeError(`frequency ${f} Hz outside 0..${sampleRate / 2} Hz`);
    }
    const amplitude = options.amplitude ?? 0.5;
    if (!(amplitude >= 0 && amplitude <= 1)) throw new RangeError(`amplitude ${amplitude} outside 0..1`);
    this.#steps = options.frequencies.map((f) => (2 * Math.PI * f) / sampleRate);
    this.#amplitude = amplitude * 32767;
  }

  /** The next `count` samples. */
  read(count: number): Int16Array {
    const out = new Int16Array(count);
    for (let i = 0; i < count; i++) {
      let v = 0;
      for (const step of this.#steps) v += Math.sin(step * this.#position);
      out[i] = Math.max(-32768, Math.min(32767, Math.round(v * this.#amplitude)));
      this.#position++;
    }
    return out;
  }
}

/** A tone of `durationMs` milliseconds as 16-bit samples. */
export function generateTone(options: ToneOptions & { durationMs: number }): Int16Array {
  const sampleRate = options.sampleRate ?? 8000;
  return new ToneGenerator(options).read(Math.round((options.durationMs * sampleRate) / 1000));
}
