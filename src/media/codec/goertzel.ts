/**
 * Goertzel algorithm: the power of one frequency component, without a full DFT. Uses the
 * generalised form (non-integer bin k = N·f/fs), so the target frequency needs no alignment to a
 * DFT bin. Returns |X(f)|² over samples[start, end).
 */
export function goertzelPower(
  samples: ArrayLike<number>,
  frequency: number,
  sampleRate: number,
  start = 0,
  end = samples.length,
): number {
  const coeff = 2 * Math.cos((2 * Math.PI * frequency) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (let i = start; i < end; i++) {
    const s0 = (samples[i] ?? 0) + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/** Σx² over samples[start, end). */
function energyOf(samples: ArrayLike<number>, start: number, end: number): number {
  let energy = 0;
  for (let i = start; i < end; i++) energy += (samples[i] ?? 0) ** 2;
  return energy;
}

/**
 * The share of the signal's energy that lies at `frequency`, from 0 to about 1: 2·|X(f)|² / (N·Σx²)
 * over samples[start, end). A pure sine at `frequency` gives ≈ 1, a sum of two equal sines ≈ 0.5
 * for each, silence 0. It does not depend on level, so it suits recordings of unknown gain.
 */
export function toneLevel(
  samples: ArrayLike<number>,
  frequency: number,
  sampleRate: number,
  start = 0,
  end = samples.length,
): number {
  const energy = energyOf(samples, start, end);
  if (energy === 0 || end <= start) return 0;
  return (2 * goertzelPower(samples, frequency, sampleRate, start, end)) / ((end - start) * energy);
}

/** Options of {@link detectTone}. */
export interface DetectToneOptions {
  readonly frequency: number;
  readonly sampleRate?: number;
  /** Analysis block in ms; default 100 (10 Hz resolution, enough to tell 440 from 1000 Hz). */
  readonly blockMs?: number;
  /** Minimum {@link toneLevel} for a block to contain the tone; default 0.5. */
  readonly threshold?: number;
  /** Blocks quieter than this RMS (16-bit units) are silence and never count; default 100 (≈ −50 dBFS). */
  readonly minRms?: number;
}

/** How much of a signal carries a tone, block by block. */
export interface ToneDetection {
  /** Blocks analysed. */
  readonly blocks: number;
  /** Blocks where the tone dominates. */
  readonly toneBlocks: number;
  /** toneBlocks / blocks (0 when there are no blocks). */
  readonly ratio: number;
}

/**
 * Splits `samples` into blocks and counts those where `frequency` carries at least `threshold` of
 * the energy. Used to prove from a recording that a party heard the other's tone.
 */
export function detectTone(samples: ArrayLike<number>, options: DetectToneOptions): ToneDetection {
  const sampleRate = options.sampleRate ?? 8000;
  const blockSize = Math.max(1, Math.round(((options.blockMs ?? 100) * sampleRate) / 1000));
  const threshold = options.threshold ?? 0.5;
  const minRms = options.minRms ?? 100;
  let blocks = 0;
  let toneBlocks = 0;
  for (let start = 0; start + blockSize <= samples.length; start += blockSize) {
    const end = start + blockSize;
    blocks++;
    const rms = Math.sqrt(energyOf(samples, start, end) / blockSize);
    if (rms >= minRms && toneLevel(samples, options.frequency, sampleRate, start, end) >= threshold) toneBlocks++;
  }
  return { blocks, toneBlocks, ratio: blocks === 0 ? 0 : toneBlocks / blocks };
}
