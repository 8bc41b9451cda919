import { ToneGenerator } from './tone-generator.js';

/**
 * The call-progress tones Centrala plays, as ETSI ES 201 970 recommends and Poland uses
 * (425 Hz tones; ITU-T E.180 Supplement 2 lists the national variants):
 *
 * | tone       | signal                                  | cadence                      |
 * | ---------- | --------------------------------------- | ---------------------------- |
 * | dial       | 425 Hz                                  | continuous                   |
 * | ringback   | 425 Hz                                  | 1 s on, 4 s off              |
 * | busy       | 425 Hz                                  | 0.5 s on, 0.5 s off          |
 * | congestion | 425 Hz                                  | 0.2 s on, 0.2 s off          |
 * | sit        | 950, 1400, 1800 Hz one after the other  | 330 ms each, then 1 s silence (ITU-T Q.35 special information tone) |
 * | beep       | 1000 Hz                                 | 250 ms once (start of a recording) |
 */
export type ToneName = 'dial' | 'ringback' | 'busy' | 'congestion' | 'sit' | 'beep';

/** One step of a cadence: a tone (frequencies summed) or silence (no frequencies) for `ms`. */
export interface ToneStep {
  readonly frequencies: readonly number[];
  readonly ms: number;
}

/** Each tone's cadence; playing repeats it for the requested duration. */
export const TONE_CADENCES: Readonly<Record<ToneName, readonly ToneStep[]>> = {
  dial: [{ frequencies: [425], ms: 1000 }],
  ringback: [
    { frequencies: [425], ms: 1000 },
    { frequencies: [], ms: 4000 },
  ],
  busy: [
    { frequencies: [425], ms: 500 },
    { frequencies: [], ms: 500 },
  ],
  congestion: [
    { frequencies: [425], ms: 200 },
    { frequencies: [], ms: 200 },
  ],
  sit: [
    { frequencies: [950], ms: 330 },
    { frequencies: [1400], ms: 330 },
    { frequencies: [1800], ms: 330 },
    { frequencies: [], ms: 1000 },
  ],
  beep: [{ frequencies: [1000], ms: 250 }],
};

/** Peak level of generated tones: −10 dBFS, about −13 dBm0 in G.711, a usual level for progress tones. */
const TONE_AMPLITUDE = 0.316;

/** The length of one cycle of a tone's cadence, in ms. */
export function toneCycleMs(name: ToneName): number {
  return TONE_CADENCES[name].reduce((sum, step) => sum + step.ms, 0);
}

/** Renders `durationMs` of a tone (default: one cycle of its cadence) as 8 kHz samples. */
export function renderTone(name: ToneName, durationMs = toneCycleMs(name)): Int16Array {
  if (!(durationMs >= 0) || !Number.isFinite(durationMs)) throw new RangeError(`tone duration ${durationMs} ms must be a non-negative number`);
  const total = Math.round(durationMs * 8);
  const out = new Int16Array(total);
  const cadence = TONE_CADENCES[name];
  let at = 0;
  for (let i = 0; at < total; i = (i + 1) % cadence.length) {
    const step = cadence[i];
    if (!step) break;
    const count = Math.min(step.ms * 8, total - at);
    if (step.frequencies.length > 0) {
      out.set(new ToneGenerator({ frequencies: step.frequencies, amplitude: TONE_AMPLITUDE / step.frequencies.length }).read(count), at);
    }
    at += count;
  }
  return out;
}
