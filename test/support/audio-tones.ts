/**
 * Tones for audio tests: writes a sine as an 8 kHz 16-bit mono WAV (what baresip's aufile plays) and
 * measures, with the media engine's Goertzel, how much of a recording is one tone or another.
 */
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
