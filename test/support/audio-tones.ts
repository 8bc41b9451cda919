/**
 * Tones for audio tests: writes a sine as an 8 kHz 16-bit mono WAV (what baresip's aufile plays) and
 * measures, with the media engine's Goertzel, how much of a recording is one tone or another.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { codec } from '../../src/media/index.js';

const SAMPLE_RATE = 8000;

/** Writes `durationMs` of a `frequency` Hz sine at `amplitude` (0..1 of full scale) to `path`. */
export function writeToneWav(path: string, frequency: number, durationMs: number, amplitude = 0.3): void {
  const samples = codec.generateTone({ frequencies: [frequency], durationMs, amplitude, sampleRate: SAMPLE_RATE });
  writeFileSync(path, codec.writeWav({ encoding: 'pcm16', sampleRate: SAMPLE_RATE, samples }));
}

/** What a recording holds, measured against the tone it should hear and the tone it sent. */
export interface ToneAnalysis {
  /** Length of the recording in seconds. */
  readonly seconds: number;
  /** Share of 100 ms blocks where the expected tone carries ≥ half of the energy (0..1). */
  readonly heardBlockRatio: number;
  /** Share of 100 ms blocks where the party's own tone carries ≥ half of the energy (0..1). */
  readonly ownBlockRatio: number;
  /** Share of the whole recording's energy at the expected frequency (≈ 1 for a clean tone). */
  readonly heardLevel: number;
  /** Share of the whole recording's energy at the own frequency (≈ 0 when there is no echo or loop). */
  readonly ownLevel: number;
  /** Goertzel power at the expected frequency over power at the own frequency, in dB. */
  readonly heardOverOwnDb: number;
  /** RMS of the recording in 16-bit units. */
  readonly rms: number;
}

/** Reads a 16-bit or G.711 WAV recording (any sample rate, first channel) and measures `heard` against `own`. */
export function analyseRecording(path: string, heard: number, own: number): ToneAnalysis {
  const wav = codec.readWav(readFileSync(path));
  if (!wav.ok) throw new Error(`${path}: ${wav.error}`);
  const { sampleRate, channels } = wav.value;
  const all = wav.value.samples;
  const samples = channels === 1 ? all : all.filter((_, i) => i % channels === 0);
  const blocks = (frequency: number): number => codec.detectTone(samples, { frequency, sampleRate }).ratio;
  let energy = 0;
  for (const s of samples) energy += s * s;
  const heardPower = codec.goertzelPower(samples, heard, sampleRate);
  const ownPower = codec.goertzelPower(samples, own, sampleRate);
  return {
    seconds: samples.length / sampleRate,
    heardBlockRatio: blocks(heard),
    ownBlockRatio: blocks(own),
    heardLevel: codec.toneLevel(samples, heard, sampleRate),
    ownLevel: codec.toneLevel(samples, own, sampleRate),
    heardOverOwnDb: 10 * Math.log10((heardPower + 1e-9) / (ownPower + 1e-9)),
    rms: samples.length === 0 ? 0 : Math.sqrt(energy / samples.length),
  };
}

/**
 * Thresholds that prove a recording heard the other party's tone and not its own, with wide margins: through
 * Centrala a clean PCMU path measures heard blocks 1.0, own blocks 0, heard level ≥ 0.999, own level ≤ 1e-6
 * and heard/own 55–76 dB. `heardLevel` is a whole-recording Goertzel bin, so a phone whose playback clock runs
 * a little off (Linphone plays a 440 Hz file at about 438 Hz) measures less there; block ratios are robust.
 */
export const HEARING = { minHeardBlocks: 0.8, maxOwnBlocks: 0.02, minHeardLevel: 0.8, maxOwnLevel: 0.01, minHeardOverOwnDb: 30 } as const;

/** Asserts that `h` (a recording of `who`) holds the other tone and not its own, by {@link HEARING}. */
export function assertHeardOther(h: ToneAnalysis, who: string, minHeardLevel: number = HEARING.minHeardLevel): void {
  const figures = JSON.stringify(h);
  assert.ok(h.heardBlockRatio >= HEARING.minHeardBlocks, `${who} heard the other tone too rarely: ${figures}`);
  assert.ok(h.heardLevel >= minHeardLevel, `${who}: the other tone is not what it heard: ${figures}`);
  assert.ok(h.ownBlockRatio <= HEARING.maxOwnBlocks, `${who} heard its own tone: ${figures}`);
  assert.ok(h.ownLevel <= HEARING.maxOwnLevel, `${who} heard its own tone: ${figures}`);
  assert.ok(h.heardOverOwnDb >= HEARING.minHeardOverOwnDb, `${who}: other/own below ${HEARING.minHeardOverOwnDb} dB: ${figures}`);
}
