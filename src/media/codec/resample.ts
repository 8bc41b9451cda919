import { type ParseResult, parseError, parsed } from '../parse-result.js';
import { readWav } from './wav.js';

/** The rate Centrala plays and records at (G.711, RFC 3551 §4.5.14). */
export const NARROWBAND_RATE = 8000;

/** Taps per decimation factor of the anti-aliasing filter (odd, so the filter is symmetric about one tap). */
const TAPS_PER_FACTOR = 16;

/**
 * Converts linear PCM at an integer multiple of 8 kHz (16, 24, 32, 48 kHz …) to 8 kHz: a
 * Blackman-windowed sinc low-pass at 3.6 kHz (below the new Nyquist of 4 kHz, so nothing above
 * folds back into the band), then every `rate / 8000`-th sample. 8 kHz input comes back as is.
 */
export function resampleToNarrowband(samples: Int16Array, sampleRate: number): Int16Array {
  if (sampleRate === NARROWBAND_RATE) return samples;
  const factor = sampleRate / NARROWBAND_RATE;
  if (!Number.isInteger(factor) || factor < 1) {
    throw new RangeError(`sample rate ${sampleRate} Hz is not a multiple of 8000 Hz (supported: 8, 16, 24, 32, 48 kHz …)`);
  }
  const taps = lowPass(factor);
  const half = (taps.length - 1) / 2;
  const out = new Int16Array(Math.floor(samples.length / factor));
  for (let o = 0; o < out.length; o++) {
    const centre = o * factor;
    let acc = 0;
    for (let t = 0; t < taps.length; t++) {
      const i = centre + t - half;
      if (i >= 0 && i < samples.length) acc += (samples[i] ?? 0) * (taps[t] ?? 0);
    }
    out[o] = Math.max(-32768, Math.min(32767, Math.round(acc)));
  }
  return out;
}

function lowPass(factor: number): Float64Array {
  const length = TAPS_PER_FACTOR * factor + 1;
  const cutoff = 3600 / (NARROWBAND_RATE * factor); // cycles per input sample
  const taps = new Float64Array(length);
  const mid = (length - 1) / 2;
  let sum = 0;
  for (let n = 0; n < length; n++) {
    const x = n - mid;
    const sinc = x === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
    const window = 0.42 - 0.5 * Math.cos((2 * Math.PI * n) / (length - 1)) + 0.08 * Math.cos((4 * Math.PI * n) / (length - 1));
    taps[n] = sinc * window;
    sum += taps[n] ?? 0;
  }
  for (let n = 0; n < length; n++) taps[n] = (taps[n] ?? 0) / sum; // unity gain at 0 Hz
  return taps;
}

/**
 * Reads a WAV file for playing: mono PCM 16-bit, µ-law or A-law at 8 kHz or a multiple of it,
 * returned as 8 kHz linear samples. Anything else is refused with a reason naming the format.
 */
export function readNarrowbandWav(bytes: Uint8Array): ParseResult<Int16Array> {
  const wav = readWav(bytes);
  if (!wav.ok) return wav;
  const { channels, sampleRate, samples } = wav.value;
  if (channels !== 1) return parseError(`WAV has ${channels} channels; prompts must be mono`);
  if (sampleRate % NARROWBAND_RATE !== 0) return parseError(`WAV sample rate ${sampleRate} Hz is not 8 kHz or a multiple of it`);
  return parsed(resampleToNarrowband(samples, sampleRate));
}
